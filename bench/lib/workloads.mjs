// The workloads: what each measures, its unit, and which way is better. W1–W6 are the micro
// workloads of issue 6; `group: 'real'` are issue 14's, with libraries users offload.
export const workloads = [
  { id: 'W1', title: 'W1 20k tiny tasks at once', unit: 'tasks/s', better: 'higher' },
  { id: 'W2', title: 'W2 2k sequential round trips', unit: 'µs/call', better: 'lower' },
  { id: 'W3', title: 'W3 32 × fib(27) speedup', unit: '×', better: 'higher' },
  { id: 'W4', title: 'W4 map 1M integers', unit: 'items/s', better: 'higher' },
  { id: 'W5', title: 'W5 creation → first result', unit: 'ms', better: 'lower' },
  { id: 'W6', title: 'W6 imap 10M-item generator', unit: 'items/s', better: 'higher' },
  { id: 'W7', title: 'W7 server: request bursts, dynamic size, p99', unit: 'ms p99', better: 'lower' },
  { id: 'W8', title: 'W8 recycling: throughput with maxTasksPerChild, over without', unit: '× own', better: 'higher' },
  { id: 'hash', group: 'real', title: 'bcryptjs: hash passwords (cost 6)', unit: 'items/s', better: 'higher' },
  { id: 'markdown', group: 'real', title: 'marked: render ~2 KB documents', unit: 'items/s', better: 'higher' },
  { id: 'image-copy', group: 'real', title: 'jimp: thumbnail 1 MiB frames, copied', unit: 'items/s', better: 'higher' },
  { id: 'image-transfer', group: 'real', title: 'jimp: thumbnail 1 MiB frames, transferred', unit: 'items/s', better: 'higher' },
  { id: 'server', group: 'real', title: 'node:http + marked under autocannon', unit: 'req/s', better: 'higher' },
];
export const isReal = (id) => workloads.find((w) => w.id === id)?.group === 'real';

/** Sizes, overridable for quick runs. */
export const sizes = {
  processes: Number(process.env.BENCH_PROCESSES ?? 2),
  w1Tasks: 20_000,
  w2Calls: 2_000,
  w3Tasks: 32,
  w3N: 27,
  w4Items: Number(process.env.BENCH_W4_ITEMS ?? 1_000_000),
  /** Peers without map submit per item; at 10–60k items/s a million would take minutes. */
  w4PeerCap: Number(process.env.BENCH_W4_PEER_CAP ?? 50_000),
  w6Items: Number(process.env.BENCH_W6_ITEMS ?? 10_000_000),
  /** imap's default chunksize is 1 (as Python's): 10M messages would take minutes per run. */
  w6Chunksize: Number(process.env.BENCH_W6_CHUNKSIZE ?? 1_000),
  /** W7: bursts of requests arriving every `w7GapMs`, each a fib(w7N), on 1 to `processes` workers. */
  w7Bursts: 8,
  w7BurstSize: 200,
  w7GapMs: 200,
  w7N: 20,
  w7MaxQueue: 400,
  /** W8: `w8Calls` fib(w8N) at once, on a pool that retires each worker after `w8MaxTasks` tasks, and on one that does not. */
  w8Calls: 2_000,
  /** One worker on this 2-core machine: a core is free for a replacement's start, as on a host with cores to spare. */
  w8Workers: 1,
  w8N: 25,
  w8MaxTasks: 250,
  // Real workloads: each about 1–2 s of serial work on this machine, one call per item.
  hashItems: Number(process.env.BENCH_HASH_ITEMS ?? 96),
  markdownItems: Number(process.env.BENCH_MARKDOWN_ITEMS ?? 3_000),
  imageItems: Number(process.env.BENCH_IMAGE_ITEMS ?? 48),
  serverConnections: Number(process.env.BENCH_SERVER_CONNECTIONS ?? 32),
  serverSeconds: Number(process.env.BENCH_SERVER_SECONDS ?? 5),
};
