import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', worker: 'src/worker.ts', executor: 'src/executor-entry.ts' },
  // ESM entries share chunks (one copy of each class). CommonJS is not split: esbuild's CJS
  // splitting would turn the worker's dynamic import() of the task module into require().
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
