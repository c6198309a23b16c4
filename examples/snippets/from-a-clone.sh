# In the clone: build, then pack every package into ../pool-packs
npm ci && npm run build
mkdir -p ../pool-packs
npm pack --pack-destination ../pool-packs -w packages/core -w adapters/node-worker -w adapters/node-process -w adapters/deno -w adapters/bun -w adapters/web -w adapters/bullmq
# In your project (npm or pnpm): core and the adapter, in one command
npm install ../pool-packs/pool-core-0.1.0.tgz ../pool-packs/pool-node-worker-0.1.0.tgz
# Bun: the same, in one command, so that the adapter finds this core instead of the registry's
bun add ../pool-packs/pool-core-0.1.0.tgz ../pool-packs/pool-bun-0.1.0.tgz
# @pool/bullmq's hosts run the Node adapters: name them too
npm install ../pool-packs/pool-core-0.1.0.tgz ../pool-packs/pool-node-worker-0.1.0.tgz ../pool-packs/pool-node-process-0.1.0.tgz ../pool-packs/pool-bullmq-0.1.0.tgz
