/**
 * Turning the `module` option (a URL, a URL string, or a file path) into the URL string every
 * worker imports; and where core's own worker loop is, for a worker entry to import.
 * @module
 */

import type { Adapter } from './adapter.js';
import type { QueueAdapter } from './executor.js';
import { describe } from './serialize-error.js';

const scheme = /^[a-z][a-z0-9+.-]+:/i;
const windowsDrive = /^[a-z]:[\\/]/i;

/**
 * Resolves `module` to an absolute URL string. Where the adapter takes file paths, a relative
 * path is taken against its `cwd()`; elsewhere a string is a URL, relative to its `baseUrl()`
 * (a browser page's), or, with no base, left for the adapter to interpret (a queue's hosts).
 * @throws TypeError when `module` is neither a string nor a URL, or a relative path has no `cwd`.
 */
export function moduleUrl(module: unknown, adapter: Adapter | QueueAdapter): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module.length === 0) {
    throw new TypeError(`Expected 'module' to be a URL or a non-empty string, got ${typeof module === 'string' ? "''" : describe(module)}`);
  }
  if (!adapter.supports.filePaths) {
    const base = adapter.baseUrl?.();
    return base === undefined ? module : new URL(module, base).href;
  }
  const cwd = adapter.cwd?.bind(adapter);
  if (scheme.test(module) && !windowsDrive.test(module)) return new URL(module).href;
  const path = module.replace(/\\/g, '/').replace(/%/g, '%25').replace(/#/g, '%23').replace(/\?/g, '%3F');
  if (path.startsWith('/')) return new URL(`file://${path}`).href;
  if (windowsDrive.test(path)) return new URL(`file:///${path}`).href;
  if (!cwd) throw new TypeError(`Cannot resolve the relative module path '${module}': this runtime has no working directory`);
  const base = cwd().replace(/\\/g, '/').replace(/%/g, '%25').replace(/#/g, '%23').replace(/\?/g, '%3F');
  return new URL(path, `file://${base.startsWith('/') ? '' : '/'}${base}/`).href;
}

/**
 * Where core's worker loop (`@pool/core/worker`) is: `worker.js`, beside this build's own file.
 * A worker entry handed this URL imports it without resolving the bare name, which costs a fresh
 * thread or process ~3 ms. `undefined` where a build cannot tell (CommonJS has no
 * `import.meta.url`): the worker then resolves the name itself.
 */
export function workerLoopUrl(): string | undefined {
  try {
    const here = (import.meta as { url?: unknown }).url;
    return typeof here === 'string' && here.length > 0 ? new URL('./worker.js', here).href : undefined;
  } catch {
    return undefined;
  }
}
