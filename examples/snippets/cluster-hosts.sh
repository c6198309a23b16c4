redis-server --port 6379                                  # or your production Redis (≥ 6.2)
npx pool-worker --redis redis://127.0.0.1:6379 --group primes --module ./tasks.mjs --concurrency 4   # on each machine
