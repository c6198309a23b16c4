/**
 * What the README's limits say of Node's `Buffer`: structured clone (worker threads) keeps its
 * bytes but not its class; Node's IPC with `advanced` serialization and `inline()` keep both.
 */
import { Buffer } from 'node:buffer';
import { inline, Pool, type Adapter } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { describe, expect, it } from 'vitest';
import { fixture } from '../conformance/harness.js';

async function roundTrip(adapter: Adapter, value: Buffer): Promise<unknown> {
  const pool = new Pool({ adapter, module: fixture('tasks.mjs'), processes: 1 });
  try {
    return await pool.apply('identity', [value]);
  } finally {
    await pool.terminate();
  }
}

describe('a Buffer through a pool', () => {
  it('comes back from nodeWorkers() as a Uint8Array of the same bytes, and from nodeProcesses() and inline() as a Buffer', async () => {
    const sent = Buffer.from('bytes, not a class');
    const threads = await roundTrip(nodeWorkers(), sent);
    expect(Buffer.isBuffer(threads)).toBe(false);
    expect(threads).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(threads as Uint8Array).equals(sent)).toBe(true);
    for (const adapter of [nodeProcesses(), inline()]) {
      const back = await roundTrip(adapter, sent);
      expect(Buffer.isBuffer(back)).toBe(true);
      expect((back as Buffer).equals(sent)).toBe(true);
    }
  });
});
