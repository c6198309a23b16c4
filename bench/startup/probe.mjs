// Task module for W5 CPU probes: inc also returns this thread's CPU ms since it started (Linux schedstat).
let read;
if (globalThis.Deno) read = () => Deno.readTextFileSync('/proc/thread-self/schedstat');
else { const fs = await import('node:fs'); read = () => fs.readFileSync('/proc/thread-self/schedstat', 'utf8'); }
export const cpu = () => +read().split(' ')[0] / 1e6;
export const inc = (x) => [x + 1, cpu()];
