// The task module every host serves (pool-worker --module examples/cluster/tasks.mjs).
/** Counts the primes in [from, to). */
export function countPrimes([from, to]) {
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
