/**
 * TypeScript task modules on Node, for each adapter and route that should work on this Node
 * (see the README's "TypeScript task modules" table), and the clear error where none applies.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BrokenPoolError, hostLoadsTypeScript, Pool } from '@pool/core';
import { nodeProcesses } from '@pool/node-process';
import { nodeWorkers } from '@pool/node-worker';
import { describe, expect, it } from 'vitest';
import typescriptModule from '../conformance/cases/typescript.js';
import { fixture, harness, rejection } from '../conformance/harness.js';

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const stripsTypes = major > 23 || (major === 23 && minor >= 6);
const tsx = ['--import', 'tsx'];

// With tsx: threads (registered by the adapter's worker entry on Node 20) and processes.
// The adapters' manifests say so themselves: tsx in execArgv gives the workers a TypeScript loader.
typescriptModule(harness({ name: 'nodeWorkers + tsx', adapter: () => nodeWorkers({ execArgv: tsx }), describe, it, expect }));
typescriptModule(harness({ name: 'nodeProcesses + tsx', adapter: () => nodeProcesses({ execArgv: tsx }), describe, it, expect }));
it('the manifests say tsx in execArgv loads TypeScript', () => {
  expect(nodeWorkers({ execArgv: tsx }).supports.typescript).toBe(true);
  expect(nodeProcesses({ execArgv: ['--import=tsx'] }).supports.typescript).toBe(true);
  expect(nodeWorkers({ execArgv: [] }).supports.typescript).toBe(hostLoadsTypeScript());
});

describe('TypeScript task modules on Node: routes', () => {
  it('node --import tsx: nodeWorkers() with no options inherits the loader', () => {
    const run = spawnSync(process.execPath, [...tsx, fileURLToPath(new URL('./fixtures/ts-parent.mjs', import.meta.url))], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('[5]');
    expect(run.status).toBe(0);
  });

  it('the tsx command: nodeWorkers() inherits its loader too', () => {
    const cli = fileURLToPath(import.meta.resolve('tsx/cli'));
    const run = spawnSync(process.execPath, [cli, fileURLToPath(new URL('./fixtures/ts-parent.mjs', import.meta.url))], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('[5]');
    expect(run.status).toBe(0);
  });

  if (!stripsTypes) {
    it('without a loader, the pool breaks with a hint that names the routes that work', async () => {
      const pool = new Pool({ adapter: nodeWorkers({ execArgv: [] }), module: fixture('tasks.ts'), processes: 1 });
      try {
        const error = (await rejection(pool.apply('norm', [{ x: 3, y: 4 }]))) as BrokenPoolError;
        expect(error).toBeInstanceOf(BrokenPoolError);
        expect((error.cause as Error).message).toMatch(/Unknown file extension "\.ts"/);
        expect((error.cause as Error).message).toMatch(/execArgv: \['--import', 'tsx'\]/);
      } finally {
        await pool.terminate();
      }
    });
  }
});
