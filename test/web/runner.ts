/**
 * A tiny describe/it for a browser page: collects the tree, then runs the cases one at a time,
 * each with a deadline, and reports every result to the Node side (`run.mjs`) as it comes.
 */

/** One case's outcome, as the Node side receives it. */
export interface CaseResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

interface Case {
  name: string;
  body: () => Promise<void> | void;
}

const cases: Case[] = [];
const path: string[] = [];
const caseTimeout = 30_000;

export function describe(name: string, body: () => void): void {
  path.push(name);
  try {
    body();
  } finally {
    path.pop();
  }
}

export function it(name: string, body: () => Promise<void> | void): void {
  cases.push({ name: [...path, name].join(' › '), body });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  return String(error);
}

async function runCase(c: Case): Promise<CaseResult> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${caseTimeout} ms`)), caseTimeout);
  });
  try {
    await Promise.race([Promise.resolve().then(c.body), deadline]);
    return { name: c.name, ok: true, ms: performance.now() - started };
  } catch (error) {
    return { name: c.name, ok: false, ms: performance.now() - started, error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every registered case in order; `report` sees each result as it comes. */
export async function run(report: (result: CaseResult) => unknown): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    const result = await runCase(c);
    if (result.ok) passed++;
    else failed++;
    await report(result);
  }
  return { passed, failed };
}
