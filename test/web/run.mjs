// npm run test:web: the conformance suite (and @pool/web's own cases) in a real Chromium, on a
// cross-origin isolated page and on a plain one. Prints `N passed, N failed`; exits 1 on any
// failure. Without a Chromium it says so loudly and exits 0, except under CI=true, where that
// is a failure too.
import { build } from 'esbuild';
import { findChromium, insecureHost, installHint, launchChromium } from './browser.mjs';
import { serve } from './server.mjs';

const started = performance.now();
const executable = findChromium();
if (!executable) {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  console.error([
    '',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '!!  The browser tests of @pool/web were NOT run: no Chromium on this machine',
    `!!  (looked at ${process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH}` : '/usr/bin/chromium, /usr/bin/chromium-browser'}).`,
    `!!  ${installHint}`,
    ci ? '!!  CI=true: a missing browser is a failure here.' : '!!  Not a failure outside CI; the rest of npm test stands.',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '',
  ].join('\n'));
  process.exit(ci ? 1 : 0);
}

// The suite for the page: one ES module; @pool/* come from the page's import map (the built
// packages), node:* imports (the leak case's Node-only probe) stay unresolved and fail softly.
await build({
  entryPoints: [new URL('../web.test.ts', import.meta.url).pathname],
  outfile: new URL('../.web/web.test.js', import.meta.url).pathname,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['@pool/core', '@pool/web', 'node:*'],
  sourcemap: 'inline',
  logLevel: 'warning',
});

/**
 * One check on a page of its own: `body(page)` throws what is wrong; the page is closed either
 * way. Returns whether it passed, and says so on stderr under `label`.
 */
async function pageCheck(browser, label, body, options) {
  const page = await browser.newPage(options);
  try {
    console.error(`${label}: ${await body(page)}`);
    return true;
  } catch (error) {
    console.error(`  ✗ [${label}] ${error.message}`);
    return false;
  } finally {
    await page.close();
  }
}

/**
 * Opens the demo page (examples/web), waits for its run to end, checks that the pool drew the same
 * picture as the serial run, and saves a screenshot: test/.web/demo.png, and with WEB_SCREENSHOT=1
 * the README's examples/web/screenshot.png.
 */
const checkDemo = (browser, origin) => pageCheck(browser, 'demo page', async (page) => {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/isolated/examples/web/`);
  await page.waitForFunction(() => document.body.dataset.done === '1' || document.body.dataset.done === 'error', null, { timeout: 120_000 });
  const { done, same, speedup } = await page.evaluate(() => ({ ...document.body.dataset }));
  if (done !== '1' || same !== 'true') throw new Error(`the demo ${done === '1' ? 'drew another picture than the serial run' : 'failed'}: ${errors.join('; ')}`);
  await page.screenshot({ path: new URL('../.web/demo.png', import.meta.url).pathname });
  if (process.env.WEB_SCREENSHOT === '1') await page.screenshot({ path: new URL('../../examples/web/screenshot.png', import.meta.url).pathname });
  return `done, same picture as serially, speedup ${Number(speedup).toFixed(2)}×; screenshot in test/.web/demo.png`;
}, { viewport: { width: 1200, height: 660 } });

/**
 * Opens a page that is not a secure context (http, on a name for 127.0.0.1 other than localhost):
 * there, `new Pool()` on webWorkers() must throw the error that says a secure context is needed.
 */
const checkInsecurePage = (browser, origin) => pageCheck(browser, 'insecure page', async (page) => {
  const at = `${origin.replace('127.0.0.1', insecureHost)}/plain/test/web/insecure.html`;
  await page.goto(at);
  const outcome = await page.evaluate(async () => {
    const { Pool } = await import('@pool/core');
    const { webWorkers } = await import('@pool/web');
    try {
      const pool = new Pool({ adapter: webWorkers(), module: new URL('/plain/test/fixtures/tasks.mjs', location.href), processes: 1 });
      await pool.terminate();
      return { secure: isSecureContext, threw: null };
    } catch (error) {
      return { secure: isSecureContext, threw: `${error.name}: ${error.message}` };
    }
  });
  if (outcome.secure) throw new Error(`${at} is a secure context: the check needs one that is not`);
  if (!/Web Locks are not available.*https or localhost/.test(outcome.threw ?? '')) throw new Error(`new Pool() on a page that is not a secure context: expected the Web Locks error, got ${outcome.threw ?? 'no error'}`);
  return 'new Pool() says a secure context is needed';
});

const server = await serve();
const browser = await launchChromium(executable, { gc: true });
const pages = [
  { name: 'cross-origin isolated', path: '/isolated/test/web/suite.html?isolated=1' },
  { name: 'plain', path: '/plain/test/web/suite.html?isolated=0' },
];
let passed = 0;
let failed = 0;
try {
  for (const { name, path } of pages) {
    const pageStarted = performance.now();
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    const counts = { passed: 0, failed: 0 };
    const times = [];
    await page.exposeFunction('report', (result) => {
      counts[result.ok ? 'passed' : 'failed']++;
      times.push([result.ms, result.name]);
      if (!result.ok) console.error(`  ✗ [${name}] ${result.name}\n    ${result.error.split('\n').slice(0, 12).join('\n    ')}`);
    });
    const finished = new Promise((resolve) => page.exposeFunction('finished', resolve));
    // The page's live Worker threads, as the browser counts them (a page cannot see its own).
    await page.exposeFunction('liveWorkerThreads', () => page.workers().length);
    await page.goto(`${server.origin}${path}&peer=${encodeURIComponent(server.peer)}`);
    // The page reports its end; a page that never gets there (a broken bundle) fails after a while.
    const totals = await Promise.race([
      finished,
      new Promise((resolve) => setTimeout(resolve, 240_000, null)).then(() => null),
    ]);
    if (!totals) {
      console.error(`  ✗ [${name}] the page did not finish: ${errors.join('; ') || 'no error reported'}`);
      counts.failed++;
    }
    for (const error of errors) console.error(`  ! [${name}] ${error}`);
    const slowest = times.sort((a, b) => b[0] - a[0]).slice(0, 5).map(([ms, what]) => `${(ms / 1000).toFixed(1)} s ${what}`);
    console.error(`${name} page, slowest cases:\n  ${slowest.join('\n  ')}`);
    console.error(`${name} page: ${counts.passed} passed, ${counts.failed} failed in ${((performance.now() - pageStarted) / 1000).toFixed(1)} s`);
    passed += counts.passed;
    failed += counts.failed;
    await page.close();
  }
  for (const ok of [await checkDemo(browser, server.origin), await checkInsecurePage(browser, server.origin)]) {
    passed += ok ? 1 : 0;
    failed += ok ? 0 : 1;
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`@pool/web in Chromium (${executable}): ${passed} passed, ${failed} failed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
