// The demo's task module: count the primes in [from, to) by trial division — pure CPU work.
export function countPrimes(from, to) {
  let count = 0;
  for (let n = Math.max(2, from); n < to; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

/** `countPrimes` over a `[from, to)` pair: the shape `imap` hands it. */
export const countRange = ([from, to]) => countPrimes(from, to);
