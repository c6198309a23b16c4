import path from 'node:path';
import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';

const workerSource = 'src/worker.ts';

/**
 * ES modules: a worker loads `dist/worker.js` and nothing else of core (one file starts faster
 * than a graph of shared chunks), built from `worker-bundle.ts`. Elsewhere, an import of a module
 * that the worker bundle holds becomes an import of `./worker.js`, so there is one copy of it.
 */
function shareWorkerBundle(): Plugin {
  return {
    name: 'share-worker-bundle',
    setup(build) {
      if (build.initialOptions.format !== 'esm') return;
      const { metafile } = build.esbuild.buildSync({
        entryPoints: [workerSource], bundle: true, write: false, metafile: true, format: 'esm', platform: 'neutral', logLevel: 'silent',
      });
      const inBundle = new Set(Object.keys(metafile!.inputs).map((file) => path.resolve(file)));
      inBundle.add(path.resolve('src/worker-bundle.ts'));
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point' || inBundle.has(args.importer)) return undefined;
        const target = path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        return inBundle.has(target) ? { path: './worker.js', external: true } : undefined;
      });
    },
  };
}

export default defineConfig({
  entry: { index: 'src/index.ts', worker: 'src/worker-bundle.ts', executor: 'src/executor-entry.ts' },
  // ESM entries share chunks (one copy of each class). CommonJS is not split: esbuild's CJS
  // splitting would turn the worker's dynamic import() of the task module into require().
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', worker: workerSource, executor: 'src/executor-entry.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  esbuildPlugins: [shareWorkerBundle()],
});
