// The bare-BullMQ W2 floor's worker in a process of its own, as pool-worker hosts are: it adds
// one to each job's `x` and pushes the answer to `<queue>:out` (`floor2:out`). Shared by cluster.mjs and
// cluster-w2.mjs, so both floors are the same code.
import { spawn } from 'node:child_process';

/**
 * Starts the worker process on queue `name` (default `floor2`) of the Redis at `url`; resolves once
 * it is ready. With `returns`, its jobs return the answer instead of pushing it: BullMQ's own way,
 * read back through `QueueEvents` (`job.waitUntilFinished`).
 */
export async function startFloorWorkerProcess(url, name = 'floor2', { returns = false } = {}) {
  const queue = JSON.stringify(name);
  const answer = returns ? 'job.data.x + 1' : `void (await pusher.rpush(${queue} + ':out', String(job.data.x + 1)))`;
  const script = `import { Worker } from 'bullmq'; import { Redis } from 'ioredis';
    const connect = () => new Redis(${JSON.stringify(url)}, { maxRetriesPerRequest: null }); const pusher = connect();
    const worker = new Worker(${queue}, async (job) => ${answer}, { connection: connect(), concurrency: 4 });
    await worker.waitUntilReady(); process.stdout.write('ready\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url), stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return child;
}

/**
 * The floor's worker in this process, as BullMQ's own examples run it, on queue `floor`: its
 * queue, its worker, and a connection to read `floor:out` with. `connect()` opens a connection.
 */
export async function startFloorWorker(connect) {
  const { Queue, Worker } = await import('bullmq');
  const queue = new Queue('floor', { connection: connect() });
  const pusher = connect();
  const reader = connect();
  const worker = new Worker('floor', async (job) => void (await pusher.rpush('floor:out', String(job.data.x + 1))),
    { connection: connect(), concurrency: 4 });
  await worker.waitUntilReady();
  return { queue, pusher, reader, worker };
}
