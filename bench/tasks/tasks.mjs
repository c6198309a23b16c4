// The benchmark's task module: the same four tasks for every JavaScript contestant.
export const inc = (x) => x + 1;
export const noop = () => undefined;
export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
/** A hand-made chunk for peers without map/imap: inc over an array, one message each way. */
export function incChunk(items) {
  const out = new Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = items[i] + 1;
  return out;
}
