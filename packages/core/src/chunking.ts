/**
 * A map's chunk size, Python's default; how far `imap` reads ahead of its consumer.
 * @module
 */
import type { Supports } from './adapter.js';
import { largeChunk } from './batching.js';
import { serializesInJavaScript } from './segments.js';

/**
 * Python's default for `map`: about four chunks per worker, so the work spreads evenly while
 * each message carries many items. `ceil(length / (4 × processes))`, and 0 for no input.
 */
export function defaultChunksize(length: number, processes: number): number {
  return Math.ceil(length / (4 * processes));
}

/**
 * How many chunks an `imap` keeps read and not yet consumed: 4 per worker while chunks are small,
 * so that messages pipeline. Once they are large, 2 per worker (one running, one waiting): every
 * further chunk only waits for the consumer, and its items and results, held across the host's
 * scavenges, end up in the old generation (W6: 8 chunks of 1000 on 2 workers grew a Deno host to
 * ~155 MB, 4 to ~118 MB; bench/README.md, "W6: where the memory goes"). Still 4 where values
 * are serialized in JavaScript (processes, queues): there a large chunk's round trip is longer
 * than its work (W6 on processes: ~7% faster with 4, peak memory level).
 */
export function readAhead(processes: number, chunksize: number, supports: Supports): number {
  return (chunksize >= largeChunk && !serializesInJavaScript(supports) ? 2 : 4) * processes;
}
