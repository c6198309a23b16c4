import { defineConfig, type Options } from 'tsup';

// Not the shared adapter build: the worker entry must carry core's worker loop inside it, since
// a module worker cannot resolve a bare `@pool/core/worker` (and import maps do not reach
// workers). The factory keeps `@pool/core` external, so the page holds one copy of the pool.
const common: Options = { format: ['esm'], sourcemap: true, target: 'es2022', platform: 'browser' };

export default defineConfig([
  // The worker's files are the other build's: cleaning must not race it.
  { ...common, entry: ['src/index.ts'], dts: true, clean: ['!worker.js', '!worker.js.map'], external: ['@pool/core'] },
  { ...common, entry: ['src/worker.ts'], noExternal: [/^@pool\/core/] },
]) as Options[];
