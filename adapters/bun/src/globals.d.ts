// Compile-time only: the package compiles with no host types (`types: []`), and this ambient
// file is never emitted, so nothing here reaches the public .d.ts.
interface ImportMeta {
  readonly url: string;
}
