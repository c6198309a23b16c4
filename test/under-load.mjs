#!/usr/bin/env node
/**
 * `npm run test:loaded`: the whole `npm test` with two CPU hogs running beside it, as the suite
 * must pass on a busy machine. The hogs are plain busy loops in child processes, stopped by PID
 * when the tests end, whatever their outcome.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const hogs = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
console.log(`under load: two CPU hogs running (PIDs ${hogs.map((h) => h.pid).join(', ')})`);
const stop = () => {
  for (const hog of hogs) hog.kill('SIGKILL');
};
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});
const tests = spawn('npm', ['test'], { cwd: root, stdio: 'inherit' });
tests.on('exit', (code, signal) => {
  stop();
  console.log(`under load: npm test ${code === 0 ? 'passed' : `failed (${signal ?? code})`}`);
  process.exit(code ?? 1);
});
