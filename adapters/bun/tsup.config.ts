import { defineConfig } from 'tsup';

// ESM only: Bun loads ES modules (and, through the "bun" export condition, src/ directly).
export default defineConfig({
  entry: ['src/index.ts', 'src/worker.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['@pool/core'],
});
