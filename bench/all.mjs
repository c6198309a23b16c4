// `npm run bench [-- flags]`: the local contestants (run.mjs, which takes the flags: --only real,
// --scaling, …), then the cluster section (cluster.mjs, BullMQ on a local Redis) when no flag
// narrows the run.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const run = (file, argv) => spawnSync(process.execPath, [file, ...argv], { stdio: 'inherit', cwd: new URL('.', import.meta.url) }).status ?? 1;
let status = run('run.mjs', args);
if (args.length === 0) status ||= run('cluster.mjs', []);
process.exit(status);
