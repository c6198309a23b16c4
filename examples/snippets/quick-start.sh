npm ci && npm run demo   # a real parallel job (counting primes) serially and on every adapter, timed
npm ci && npm test       # every test: Node 20/22/24, Deno, Bun, Chromium and Redis, on every adapter
