/**
 * A full garbage collection on demand, for `maxMemoryPerChild`: a heap read after a task counts
 * the garbage not yet collected, so a worker that only allocates would be retired as if it
 * leaked. Worker entries make one from their runtime's Node modules (Node, Deno).
 * @module
 */

/** The runtime's `process.getBuiltinModule`, where it has one. */
export type BuiltinModules = ((id: string) => unknown) | undefined;

/**
 * A function that runs V8's full collection (`gc()`), or does nothing where the runtime does not
 * hand it out. `gc` is looked up at the first call, so a worker that never needs it loads nothing.
 */
export function fullCollector(builtin: BuiltinModules): () => void {
  let gc: (() => void) | null | undefined;
  return () => {
    if (gc === undefined) gc = findGc(builtin) ?? null;
    gc?.();
  };
}

/**
 * V8 gives `gc` only to contexts made while `--expose-gc` is set: the flag is set for one new
 * context and unset at once, so neither the worker's own global nor a later context gets a `gc`
 * (Jest's `--logHeapUsage` does the same). A `gc` the process was started with is used as it is.
 */
function findGc(builtin: BuiltinModules): (() => void) | undefined {
  const given = (globalThis as { gc?: unknown }).gc;
  if (typeof given === 'function') return given as () => void;
  const v8 = builtin?.('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
  const vm = builtin?.('node:vm') as { runInNewContext(code: string): unknown } | undefined;
  if (!v8 || !vm) return undefined;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}
