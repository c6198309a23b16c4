// The artifact checks' task module, copied into the fresh project next to the scripts.
export const square = (x) => x * x;
export const whereAmI = () => (typeof Deno !== 'undefined' ? 'deno' : typeof Bun !== 'undefined' ? 'bun' : 'node');
export function fail(message) {
  throw new RangeError(message);
}
