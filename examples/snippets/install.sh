# Node.js: the core and the adapter you use (worker threads, or child processes)
npm install @pool/core @pool/node-worker
pnpm add @pool/core @pool/node-process
# Bun
bun add @pool/core @pool/bun
# Deno
deno add npm:@pool/core npm:@pool/deno
