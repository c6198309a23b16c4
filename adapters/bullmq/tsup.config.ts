import { defineConfig } from 'tsup';

// ESM only: the factory, and the host command (`pool-worker`) with its shebang.
export default defineConfig({
  entry: ['src/index.ts', 'src/host-cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['@pool/core', '@pool/node-worker', '@pool/node-process', 'bullmq', 'ioredis', 'msgpackr'],
});
