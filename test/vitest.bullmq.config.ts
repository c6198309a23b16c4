import { defineConfig } from 'vitest/config';

// The cluster run: @pool/bullmq on a real redis-server and real pool-worker hosts. Started by
// bullmq-run.mjs, which first checks that redis-server is installed.
export default defineConfig({
  test: {
    root: '..',
    include: ['test/bullmq.test.ts', 'adapters/bullmq/test/**/*.test.ts'],
    globalSetup: ['test/bullmq.setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
