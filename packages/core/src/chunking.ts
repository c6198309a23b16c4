/**
 * A map's chunk size, Python's default; how far `imap` reads ahead of its consumer.
 * @module
 */

/**
 * Python's default for `map`: about four chunks per worker, so the work spreads evenly while
 * each message carries many items. `ceil(length / (4 × processes))`, and 0 for no input.
 */
export function defaultChunksize(length: number, processes: number): number {
  return Math.ceil(length / (4 * processes));
}

/** Chunks from this many items on are large: a message's cost is nothing next to their work. */
export const largeChunk = 256;

/**
 * How many chunks an `imap` keeps read and not yet consumed: 4 per worker while chunks are small,
 * so that messages pipeline; 2 per worker once they are large (one running, one waiting), since
 * every further chunk only waits for the consumer, and its items and results, held across the
 * host's scavenges, end up in the old generation (W6: 8 chunks of 1000 on 2 workers grew a Deno
 * host to ~155 MB, 4 to ~118 MB; bench/README.md, "W6: where the memory goes").
 */
export function readAhead(processes: number, chunksize: number): number {
  return (chunksize >= largeChunk ? 2 : 4) * processes;
}
