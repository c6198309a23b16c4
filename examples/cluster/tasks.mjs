// The task module every host serves (pool-worker --module examples/cluster/tasks.mjs): the demo's
// prime counting, taking one [from, to) range per item so that it maps over a list of ranges.
import { countPrimes as countPrimesIn } from '../primes.mjs';

/** Counts the primes in [from, to). */
export const countPrimes = ([from, to]) => countPrimesIn(from, to);
