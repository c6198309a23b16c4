/**
 * The conformance suite in a browser page, on webWorkers and inline: bundled by `web/run.mjs`
 * (esbuild) and run by it in a real Chromium, on a cross-origin isolated page and a plain one.
 * `@pool/core` and `@pool/web` stay outside the bundle: the page maps them to their built files.
 */
import { inline } from '@pool/core';
import { webWorkers } from '@pool/web';
import { JestAsymmetricMatchers, JestChaiExpect, JestExtend } from '@vitest/expect';
import * as chai from 'chai';
import { conformance, harness } from './conformance/suite.js';
import { describe, it, run, type CaseResult } from './web/runner.js';
import webAdapter from '../adapters/web/test/adapter.web.js';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);
const expect = chai.expect;

// inline() runs on the page's own thread and shares no memory, so the page's isolation changes
// nothing for it: it runs once, on the plain page. webWorkers() runs on both.
const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
if (!isolated) conformance(harness({ name: 'inline', adapter: () => inline(), describe, it, expect }));
conformance(harness({ name: 'webWorkers', adapter: () => webWorkers(), describe, it, expect }));
webAdapter({ describe, it, expect });

declare const window: { report(result: CaseResult): Promise<void>; finished(totals: { passed: number; failed: number }): Promise<void> };
window.finished(await run(window.report));
