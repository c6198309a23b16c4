// Node, CommonJS: the packages that ship CJS load with require(); the ESM-only ones (made for
// Deno and Bun) either load through Node's require(esm) or fail with ERR_REQUIRE_ESM, nothing else.
const core = require('@pool/core');
const { nodeWorkers } = require('@pool/node-worker');
const { nodeProcesses } = require('@pool/node-process');

if (typeof require('@pool/core/worker').runWorker !== 'function') throw new Error("require('@pool/core/worker') has no runWorker");
for (const name of ['@pool/deno', '@pool/bun']) {
  try {
    require(name);
    console.log(`node ${process.version} CJS: require('${name}') loads (require(esm))`);
  } catch (error) {
    if (error.code !== 'ERR_REQUIRE_ESM') throw error;
    console.log(`node ${process.version} CJS: require('${name}') is ERR_REQUIRE_ESM, as expected of an ESM-only package`);
  }
}
(async () => {
  const { check } = await import('./check.mjs');
  await check(`node ${process.version} CJS`, core.Pool, { inline: core.inline, nodeWorkers, nodeProcesses }, core);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
