/**
 * `webWorkers()` outside a browser: a `TypeError` that names the runtime's own adapter, not a
 * `ReferenceError` from deep inside (Node has no `navigator` before 21, no Web Locks at all).
 */
import { webWorkers } from '@pool/web';
import { describe, expect, it } from 'vitest';

describe('webWorkers() outside a browser', () => {
  it('is a TypeError naming the adapters for Node, Deno and Bun', () => {
    // Node has no global Worker (and from 21 a navigator without Web Locks).
    expect(typeof (globalThis as { Worker?: unknown }).Worker).toBe('undefined');
    let error: unknown;
    try {
      webWorkers();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/webWorkers\(\) runs in a browser .* on Node use nodeWorkers\(\) or nodeProcesses\(\)/);
  });
});
