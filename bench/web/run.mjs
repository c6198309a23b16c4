// The web section of `npm run bench`: the browser contestants, measured in a real Chromium, each
// run in a fresh page (as each Node run is a fresh process), on a cross-origin isolated page and
// on a plain one. Runs only where a Chromium exists (see test/web/browser.mjs).
import { findChromium, launchChromium } from '../../test/web/browser.mjs';
import { serve } from '../../test/web/server.mjs';

/** Why the browser contestants cannot run here, or null. */
export function webUnavailable() {
  return findChromium() ? null : 'no Chromium (apt-get install -y chromium, or CHROMIUM_PATH)';
}

/**
 * Measures `contestant × workload` in a fresh page: contestant is one of bench's `runtime:
 * 'chromium'` entries ({ page: 'isolated' | 'plain', factory }). Returns what runOnce returns.
 */
export async function openWebBench() {
  const server = await serve();
  const browser = await launchChromium(findChromium());
  const timeout = Number(process.env.BENCH_TIMEOUT ?? 60) * 1000;
  return {
    async run(contestant, workload, sizes) {
      const page = await browser.newPage();
      try {
        await page.goto(`${server.origin}/${contestant.page}/bench/web/page.html`);
        await page.waitForFunction(() => globalThis.benchReady === true, null, { timeout });
        const isolated = await page.evaluate(() => globalThis.crossOriginIsolated === true);
        if (isolated !== (contestant.page === 'isolated')) return { error: `the ${contestant.page} page is ${isolated ? '' : 'not '}cross-origin isolated` };
        // A contestant that hangs (a pool that never answers) fails this run after BENCH_TIMEOUT.
        let timer;
        const deadline = new Promise((resolve) => {
          timer = setTimeout(resolve, timeout, { error: `timed out after ${timeout / 1000} s` });
        });
        const measured = page.evaluate(([id, w, s]) => globalThis.runBench(id, w, s), [contestant.factory, workload, sizes]);
        try {
          return await Promise.race([measured, deadline]);
        } finally {
          clearTimeout(timer);
          measured.catch(() => {}); // settles (rejects) when the page closes
        }
      } catch (error) {
        return { error: String(error?.message ?? error).split('\n')[0].slice(0, 200) };
      } finally {
        await page.close();
      }
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
