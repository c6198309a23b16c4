/**
 * What core can tell of the host runtime without importing it: for adapters' capability
 * manifests, shared here so two adapters do not each guess.
 * @module
 */

/** Whether this runtime imports a `.ts` module as it is: Deno, Bun, and Node with type stripping (22.18+, 23.6+). */
export function hostLoadsTypeScript(): boolean {
  const g = globalThis as { Deno?: unknown; Bun?: unknown; process?: { features?: { typescript?: unknown } } };
  if (g.Deno !== undefined || g.Bun !== undefined) return true;
  const typescript = g.process?.features?.typescript;
  return typescript !== undefined && typescript !== false;
}
