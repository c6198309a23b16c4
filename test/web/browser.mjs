// Finds and starts the Chromium that the browser runs use: Debian's (`apt-get install -y chromium`),
// or the one CHROMIUM_PATH names, driven by playwright-core (which downloads no browser).
import { existsSync } from 'node:fs';

/** The Chromium executable, or null if there is none. CHROMIUM_PATH, when set, is the only one looked at. */
export function findChromium() {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path) => existsSync(path)) ?? null;
}

/** A host name Chromium resolves to 127.0.0.1 and, not being localhost, treats as insecure over http. */
export const insecureHost = 'insecure.pool.test';

/** How to get one, for the loud message where there is none. */
export const installHint = 'Install it with `apt-get install -y chromium` (Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium or Chrome binary.';

/**
 * Launches Chromium headless. `gc` exposes `gc()` and exact `performance.memory` to pages (the
 * leak test); no network but 127.0.0.1 is used by anything here.
 */
export async function launchChromium(executablePath, { gc = false } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // Background tabs and timers must not be slowed down while a run waits on them.
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
      // A name for 127.0.0.1 that is not "localhost": a page served there is not a secure context.
      `--host-resolver-rules=MAP ${insecureHost} 127.0.0.1`,
      ...(gc ? ['--js-flags=--expose-gc', '--enable-precise-memory-info'] : []),
    ],
  });
}
