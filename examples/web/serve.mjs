// npm run demo:web: serves the repository on 127.0.0.1 and prints the demo's two addresses (a
// cross-origin isolated page and a plain one). PORT=… to choose the port (default 8080, or a free one).
import { serve } from '../../test/web/server.mjs';

const home = '/isolated/examples/web/';
let server;
try {
  server = await serve({ port: Number(process.env.PORT ?? 8080), home });
} catch (error) {
  if (error.code !== 'EADDRINUSE' || process.env.PORT) throw error;
  server = await serve({ port: 0, home });
}
console.log(`@pool/web demo: open ${server.origin}${home}`);
console.log(`  (cross-origin isolated: shared memory on; the same page without isolation: ${server.origin}/plain/examples/web/)`);
console.log('Ctrl-C to stop.');
