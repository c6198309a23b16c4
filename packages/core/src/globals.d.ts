// The few host globals core uses, declared here so core compiles with no runtime's types.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly pathname: string;
  readonly href: string;
}
declare const performance: { now(): number };
/** The runtime's `Event` (every runtime the pool supports has it). */
declare class Event {
  constructor(type: string);
  readonly type: string;
}
/** The runtime's `EventTarget`: the pool's lifecycle events go through one. */
declare class EventTarget {
  addEventListener(type: string, listener: ((event: Event) => void) | null, options?: { once?: boolean }): void;
  removeEventListener(type: string, listener: ((event: Event) => void) | null): void;
  dispatchEvent(event: Event): boolean;
}
