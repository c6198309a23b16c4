import { defineConfig } from 'vitest/config';

// One Node run: the conformance suite on every Node adapter, each adapter's own tests, and the README's examples.
export default defineConfig({
  test: {
    root: '..',
    include: ['test/node.test.ts', 'test/node/**/*.test.ts', 'test/queue/*.test.ts', 'test/examples/*.test.ts', 'adapters/*/test/**/*.test.ts'],
    // The cluster run (real Redis) is its own: vitest.bullmq.config.ts, through bullmq-run.mjs.
    exclude: ['adapters/bullmq/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
