/** The host's heap, measured the same way on every runtime: for the leak and soak cases. */

/**
 * Bytes of compiled code in V8's heap, where `node:v8` tells them (Node, Deno); else 0. A leak is
 * data kept alive: code compiled late (an optimizing tier reached during the measured rounds of a
 * scaled-down run) is not one, and is left out of the figure.
 */
let codeBytes: () => number = () => 0;

async function findCodeSpace(): Promise<void> {
  try {
    const v8 = await import('node:v8');
    const code = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'code_space')?.space_used_size ?? 0;
    code();
    codeBytes = code;
  } catch {
    // No V8 heap spaces here (Bun, a browser): the whole heap is measured.
  }
}

/** A full collection, on whichever runtime: `gc` (Node/Deno/Chromium with --expose-gc), `Bun.gc`, or V8's flag set at run time. */
export async function findGc(): Promise<(() => void) | undefined> {
  await findCodeSpace();
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (typeof g.gc === 'function') return g.gc;
  if (g.Bun) return () => g.Bun!.gc(true);
  try {
    const v8 = await import('node:v8');
    const vm = await import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    // No way to force a collection here; the caller says so.
  }
  return undefined;
}

function heapUsed(): number {
  const usage = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process?.memoryUsage?.();
  if (usage) return usage.heapUsed - codeBytes();
  // Chromium's page heap (exact with --enable-precise-memory-info, as the browser run starts it).
  const memory = (globalThis as { performance?: { memory?: { usedJSHeapSize: number } } }).performance?.memory;
  if (memory) return memory.usedJSHeapSize;
  throw new Error('process.memoryUsage() (or performance.memory in a browser) is missing: the leak test needs it on every runtime');
}

/** Collects until the heap stops shrinking, and returns what is left. */
export function settledHeap(gc: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 4; i++) {
    gc();
    best = Math.min(best, heapUsed());
  }
  return best;
}

