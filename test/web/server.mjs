// A static server on 127.0.0.1 for the browser runs (tests, the demo, the benchmark): the repository
// under two prefixes, /isolated/ (COOP/COEP: the page is cross-origin isolated, SharedArrayBuffer
// exists) and /plain/ (no such headers). It listens on two free ports, the second one being
// another origin for the same files (a "CDN").
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.map': 'application/json', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml',
};

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

async function respond(root, home, request, response) {
  const url = new URL(request.url, 'http://127.0.0.1');
  if (url.pathname === '/' && home) {
    response.writeHead(302, { Location: home }).end();
    return;
  }
  const [, prefix, ...rest] = url.pathname.split('/');
  const headers = {
    'Cache-Control': 'no-store',
    // Every file may be used from the other origin (the blob: entry's test, a CDN's part).
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    ...(prefix === 'isolated' && isolation),
  };
  if (prefix !== 'isolated' && prefix !== 'plain') {
    response.writeHead(404, headers).end('not found: pages live under /isolated/ and /plain/\n');
    return;
  }
  let path = normalize(join(root, decodeURIComponent(rest.join('/'))));
  if (path !== root.replace(/[\\/]$/, '') && !path.startsWith(root.endsWith(sep) ? root : root + sep)) {
    response.writeHead(403, headers).end();
    return;
  }
  try {
    if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
    const body = await readFile(path);
    response.writeHead(200, { ...headers, 'Content-Type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404, headers).end('not found\n');
  }
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

/**
 * Serves `root` (default: the repository) on 127.0.0.1: `origin` and `peer` are two origins for
 * the same files; `/` redirects to `home` if given. `close()` stops both.
 */
export async function serve({ root = repositoryRoot, port = 0, home } = {}) {
  const handler = (request, response) => void respond(root, home, request, response);
  const main = createServer(handler);
  const other = createServer(handler);
  const origin = await listen(main, port);
  const peer = await listen(other, 0);
  return {
    origin,
    peer,
    close: () => Promise.all([main, other].map((s) => new Promise((resolve) => {
      s.closeAllConnections?.();
      s.close(resolve);
    }))),
  };
}
