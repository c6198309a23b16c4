import { defineConfig } from 'tsup';

// ESM only: Deno loads ES modules, and the worker entry must sit next to index.js in dist/.
export default defineConfig({
  entry: ['src/index.ts', 'src/worker.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['@pool/core'],
});
