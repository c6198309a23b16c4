/**
 * What core can tell of the host runtime without importing it: for adapters' capability
 * manifests, shared here so two adapters do not each guess.
 * @module
 */

/** Whether this runtime imports a `.ts` module as it is: Deno, Bun, and Node with type stripping (22.18+, 23.6+). */
export function hostLoadsTypeScript(): boolean {
  const g = globalThis as { Deno?: unknown; Bun?: unknown; process?: { features?: { typescript?: unknown } } };
  if (g.Deno !== undefined || g.Bun !== undefined) return true;
  const typescript = g.process?.features?.typescript;
  return typescript !== undefined && typescript !== false;
}

/**
 * Whether Node CLI options give the workers a TypeScript loader (`--import tsx`, `--loader
 * ts-node/esm`, `--require tsx/cjs`) or type stripping (`--experimental-strip-types`).
 */
export function execArgvLoadsTypeScript(execArgv: readonly string[]): boolean {
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (/^--experimental-(strip|transform)-types$/.test(arg)) return true;
    const flag = /^--(import|loader|experimental-loader|require|r)(?:=(.*))?$/.exec(arg);
    const value = flag ? (flag[2] ?? execArgv[i + 1]) : undefined;
    if (value !== undefined && /(^|\/)(tsx|ts-node)(\/|$)/.test(value)) return true;
  }
  return false;
}
