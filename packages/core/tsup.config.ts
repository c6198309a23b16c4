import path from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

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
        entryPoints: [workerSource],
        bundle: true,
        write: false,
        metafile: true,
        format: 'esm',
        platform: 'neutral',
        logLevel: 'silent',
      });
      const inBundle = new Set(Object.keys(metafile!.inputs).map((file) => path.resolve(file)));
      inBundle.add(path.resolve('src/worker-bundle.ts'));
      // Each name the pool side imports from `./worker.js` must be one it exports: esbuild cannot
      // check an external import, and a missing one fails only when `index.js` is loaded.
      build.onEnd((result) => {
        const outputs = new Map((result.outputFiles ?? []).map((file) => [path.basename(file.path), file.text]));
        const worker = outputs.get('worker.js');
        if (!worker) return undefined;
        // Every worker loads this file, and its source string sits in the young generation: one
        // character past Latin-1 (in a comment esbuild keeps) makes V8 hold it as UTF-16, twice
        // the bytes. index.js is left alone: as UTF-16 it is past V8's large-object line, and as
        // Latin-1 it would move into the young generation (measured: a scavenge in W5's window).
        const wide = /[\u0100-\uffff]/.exec(worker); // any UTF-16 code unit past Latin-1
        if (wide)
          return { errors: [{ text: `worker.js holds '${wide[0]}' (past Latin-1, in a comment?): V8 would keep its source as UTF-16` }] };
        const exported = new Set(
          [...worker.matchAll(/export\s*\{([^}]*)\}/g)].flatMap(([, list]) =>
            list!.split(',').map(
              (name) =>
                name
                  .trim()
                  .split(/\s+as\s+/)
                  .at(-1)!,
            ),
          ),
        );
        const missing = [...outputs].flatMap(([file, text]) =>
          file === 'worker.js'
            ? []
            : [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"\.\/worker\.js"/g)].flatMap(([, list]) =>
                list!
                  .split(',')
                  .map((name) => name.trim().split(/\s+as\s+/)[0]!)
                  .filter((name) => name && !exported.has(name))
                  .map((name) => `${file}: ${name}`),
              ),
        );
        return missing.length === 0
          ? undefined
          : { errors: missing.map((text) => ({ text: `worker-bundle.ts does not export what ${text} imports from ./worker.js` })) };
      });
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
