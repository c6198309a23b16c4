import { defineConfig } from 'vitest/config';

// One Node run: the conformance suite on every Node adapter, plus each adapter's own tests.
export default defineConfig({
  test: {
    root: '..',
    include: ['test/node.test.ts', 'test/node/**/*.test.ts', 'test/queue/*.test.ts', 'adapters/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
