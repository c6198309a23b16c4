import { defineConfig, type Options } from 'tsup';

/**
 * The build every adapter shares: its factory (`src/index.ts`, with types) and its worker entry
 * (`src/worker.ts`), side by side in `dist/`, where the factory finds the worker by URL.
 * Node's adapters also ship CommonJS (`shims` gives it `import.meta.url`); Deno's and Bun's
 * load ES modules only.
 */
export function adapterBuild(withCommonJs: boolean): Options {
  return defineConfig({
    entry: ['src/index.ts', 'src/worker.ts'],
    format: withCommonJs ? ['esm', 'cjs'] : ['esm'],
    dts: { entry: 'src/index.ts' },
    sourcemap: true,
    clean: true,
    target: 'es2022',
    shims: withCommonJs,
    external: ['@pool/core'],
  }) as Options;
}
