// Runs one contestant × workload in its own fresh process and parses its one JSON line.
import { execFile } from 'node:child_process';

const harness = new URL('../harness/main.mjs', import.meta.url).pathname;
const python = new URL('../python/pool_bench.py', import.meta.url).pathname;
const timeout = Number(process.env.BENCH_TIMEOUT ?? 60) * 1000;

export function runOnce(commands, contestant, workload) {
  const [command, ...args] = commands[contestant.runtime];
  const script = contestant.runtime === 'python' ? python : harness;
  return new Promise((resolve) => {
    execFile(command, [...args, script, contestant.id, workload],
      { timeout, killSignal: 'SIGKILL', maxBuffer: 16 << 20, env: { ...process.env, NODE_OPTIONS: '', BENCH_NODE: process.execPath } },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
        if (line) {
          try {
            return resolve(JSON.parse(line));
          } catch {
            // fall through to the error below
          }
        }
        const why = error?.killed ? `timed out after ${timeout / 1000} s` : (stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? stderr.trim().split('\n').pop() ?? String(error));
        resolve({ error: why.slice(0, 200) });
      });
  });
}
