// The few host globals core uses, declared here so core compiles with no runtime's types.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare function queueMicrotask(callback: () => void): void;
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly href: string;
}
declare const performance: { now(): number };
