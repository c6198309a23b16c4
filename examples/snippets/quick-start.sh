npm ci && npm run demo   # a real parallel job (counting primes) serially and on every adapter, timed
npm ci && npm test       # the conformance suite on every adapter, under Node, Deno and Bun
