/**
 * TypeScript task modules in worker threads on Node 20. Node < 22 does not carry module hooks
 * into worker threads, and tsx registers its hooks only on the main thread there, so
 * `nodeWorkers({ execArgv: ['--import', 'tsx'] })` (or `node --import tsx`, or the `tsx` CLI,
 * whose flags workers inherit) still fails with `Unknown file extension ".ts"`. A worker started
 * with tsx in its `execArgv` therefore registers tsx's hooks itself, through tsx's own API, before
 * the pool loads the task module. Node ≥ 22 needs none of this and is left alone.
 * @module
 */

/** Where tsx was named in `execArgv` (`--import tsx`, `--import=tsx/esm`, tsx's CLI loader path), else `undefined`. */
export function tsxImport(execArgv: readonly string[]): string | undefined {
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const value = arg === '--import' || arg === '--loader' || arg === '--experimental-loader' ? execArgv[i + 1]
      : /^--(import|loader|experimental-loader)=/.test(arg) ? arg.slice(arg.indexOf('=') + 1) : undefined;
    if (value !== undefined && (/^tsx(\/esm)?$/.test(value) || /[\\/]tsx[\\/]dist[\\/](loader|esm[\\/]index)\.mjs$/.test(value))) return value;
  }
  return undefined;
}

/** Registers tsx's module hooks in this worker thread when it is needed and possible (see above). */
export async function registerTypeScriptHooks(execArgv: readonly string[], nodeVersion: string, cwd: string): Promise<void> {
  if (Number(nodeVersion.split('.')[0]) >= 22) return;
  const value = tsxImport(execArgv);
  if (value === undefined) return;
  // Loaded only here: most workers never need them, and each costs a fresh thread time to load.
  const [{ readFileSync }, { createRequire }, { pathToFileURL }] = await Promise.all([import('node:fs'), import('node:module'), import('node:url')]);
  // Resolve tsx as Node resolved the flag: a bare name from the working directory, a path from itself.
  const base = /^tsx(\/esm)?$/.test(value) ? pathToFileURL(`${cwd}/`).href : value.startsWith('file:') ? value : pathToFileURL(value).href;
  // tsx's ES module API (its CommonJS one cannot register ESM hooks from here): the `import`
  // target of its `./esm/api` export, read from its package.json.
  const manifest = createRequire(base).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports?.['./esm/api'];
  const target = (exported as { import?: string | { default?: string } } | undefined)?.import;
  const file = typeof target === 'string' ? target : target?.default;
  if (typeof file !== 'string') throw new Error(`${manifest} has no ES module export './esm/api'`);
  const { register } = (await import(new URL(file, pathToFileURL(manifest)).href)) as { register: () => unknown };
  register();
}
