// Compile-time only: the package compiles with no host types (`types: []`), and this ambient
// file is never emitted, so nothing here reaches the public .d.ts.
interface ImportMeta {
  readonly url: string;
}
// Global here, not in index.ts: the public .d.ts names `URL`, which must stay the user's own.
declare class URL {
  constructor(url: string | URL, base?: string);
  readonly href: string;
  readonly origin: string;
  static createObjectURL(blob: Blob): string;
}
declare class Blob {
  constructor(parts: string[], options: { type: string });
}
