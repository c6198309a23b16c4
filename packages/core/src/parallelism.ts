/**
 * The runtime's available parallelism, found without importing any runtime's modules (core
 * imports nothing from `node:*`, `Deno` or `Bun`).
 * @module
 */

type Host = {
  navigator?: { hardwareConcurrency?: number };
  process?: { getBuiltinModule?: (id: string) => { availableParallelism?: () => number } | undefined };
};

/**
 * How many things this runtime can really run at once: Node's `os.availableParallelism()` where
 * the runtime offers Node's modules as a global lookup (`process.getBuiltinModule`, Node ≥ 20.16,
 * Deno 2, Bun), which honours CPU affinity; else the web's `navigator.hardwareConcurrency` (Deno,
 * Bun, Node ≥ 21, browsers). Node 20 has no `navigator`, which is why the first route exists.
 * `undefined` where neither is there.
 */
export function runtimeParallelism(): number | undefined {
  const host = globalThis as Host;
  try {
    const count = host.process?.getBuiltinModule?.('node:os')?.availableParallelism?.();
    if (typeof count === 'number' && count >= 1) return count;
  } catch {
    // a runtime that has the lookup but refuses the module: fall through
  }
  const count = host.navigator?.hardwareConcurrency;
  return typeof count === 'number' && count >= 1 ? count : undefined;
}
