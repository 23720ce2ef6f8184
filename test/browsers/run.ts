/**
 * The cross-browser smoke run (`npm run test:browsers`): serves the built site with
 * `astro preview` on a free port and runs the checks of smoke.ts in Firefox ESR and WebKitGTK,
 * one browser after the other, then prints a summary per browser and check.
 *
 *   node test/browsers/run.ts [firefox] [webkit]
 *
 * A browser whose binary is missing fails the run, unless BROWSERS_OPTIONAL=1, which skips it
 * with one line. The site must be built first (`npm run build`; `npm test` builds it for the
 * Chromium tests before this runs).
 */
import { existsSync } from 'node:fs';
import { SITE } from '../../site.config.mjs';
import type { Browser, Driver } from './driver.ts';
import { firefox } from './firefox.ts';
import { startPreview, type Preview } from './preview.ts';
import { chapterSlugs, smoke, type CheckResult, type SmokeReport } from './smoke.ts';
import { webkit } from './webkit.ts';

const BROWSERS: Browser[] = [firefox, webkit];
const optional = process.env['BROWSERS_OPTIONAL'] === '1';
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !BROWSERS.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown browser(s): ${unknown.join(', ')}; choose from ${BROWSERS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const chosen = asked.length > 0 ? BROWSERS.filter((b) => asked.includes(b.name)) : BROWSERS;

let preview: Preview | undefined;
let driver: Driver | undefined;
/** Ends the browser and the server, whatever happened. */
async function cleanUp(): Promise<void> {
  const [d, p] = [driver, preview];
  driver = preview = undefined;
  await d?.close().catch((error: unknown) => console.error(`closing the browser: ${String(error)}`));
  await p?.stop();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the browser and the preview server`);
    void cleanUp().finally(() => process.exit(130));
  });
}

interface Outcome {
  browser: string;
  version?: string;
  /** Why the browser did not run: skipped (missing, optional) or failed to start. */
  skipped?: string;
  failed?: string;
  report?: SmokeReport;
  ms: number;
}

const started = Date.now();
const outcomes: Outcome[] = [];
const slugs = chapterSlugs();
try {
  preview = await startPreview(SITE.base);
  const isolation = `${preview.headers.get('cross-origin-opener-policy') ?? 'no COOP'}, ${preview.headers.get('cross-origin-embedder-policy') ?? 'no COEP'}`;
  console.log(`astro preview at ${preview.url} (${isolation}); ${slugs.length} chapters: ${slugs.join(', ')}`);
  for (const browser of chosen) {
    const t0 = Date.now();
    const missing = browser.binaries().filter((file) => !existsSync(file));
    if (missing.length > 0) {
      const why = `${missing.join(', ')} not found (Debian: apt-get install ${browser.packages})`;
      if (optional) {
        console.log(`skip ${browser.name}: ${why}; BROWSERS_OPTIONAL=1`);
        outcomes.push({ browser: browser.name, skipped: why, ms: 0 });
      } else {
        console.log(`FAIL ${browser.name}: ${why}; set BROWSERS_OPTIONAL=1 to skip a missing browser`);
        outcomes.push({ browser: browser.name, failed: why, ms: 0 });
      }
      continue;
    }
    console.log(`\n${browser.name}:`);
    try {
      driver = await browser.launch();
      console.log(`  ${driver.version}${driver.limits.map((l) => `; not checked: ${l}`).join('')}`);
      const report = await smoke(driver, preview.url, slugs, (line) => console.log(line));
      outcomes.push({ browser: browser.name, version: driver.version, report, ms: Date.now() - t0 });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      console.log(`  FAIL ${browser.name} did not run: ${why}`);
      outcomes.push({ browser: browser.name, failed: why, ms: Date.now() - t0 });
    } finally {
      const d = driver;
      driver = undefined;
      await d?.close().catch((error: unknown) => console.error(`  closing ${browser.name}: ${String(error)}`));
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  await cleanUp();
  process.exit(1);
}
await cleanUp();

// ---- Summary: one row per check, one column per browser ----------------------------------------

const cell = (o: Outcome, check: string): string => {
  if (o.skipped) return 'skipped';
  if (o.failed) return 'FAIL';
  const r: CheckResult | undefined = o.report?.results.find((x) => x.check === check);
  return r ? `${r.ok ? 'ok' : 'FAIL'} ${(r.ms / 1000).toFixed(1)} s` : '–';
};
const checks = [...new Set(outcomes.flatMap((o) => o.report?.results.map((r) => r.check) ?? []))];
const width = Math.max(24, ...checks.map((c) => c.length)) + 2;
console.log(`\nSummary (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
console.log(`${'check'.padEnd(width)}${outcomes.map((o) => o.browser.padEnd(16)).join('')}`);
for (const check of checks) console.log(`${check.padEnd(width)}${outcomes.map((o) => cell(o, check).padEnd(16)).join('')}`);
console.log(`${'time'.padEnd(width)}${outcomes.map((o) => (o.skipped ? 'skipped' : o.failed && !o.report ? 'FAIL' : `${(o.ms / 1000).toFixed(0)} s`).padEnd(16)).join('')}`);
for (const o of outcomes) {
  if (o.skipped) console.log(`${o.browser}: skipped, ${o.skipped}`);
  if (o.failed) console.log(`${o.browser}: FAILED, ${o.failed}`);
  for (const r of o.report?.results.filter((x) => !x.ok) ?? []) console.log(`${o.browser}: FAIL ${r.check}: ${r.detail}`);
  const t = o.report?.train;
  const env = o.report?.environment;
  if (t && env) {
    console.log(
      `${o.browser}: training on ${t.workers} worker(s) with ${env.cores} logical cores reported (crossOriginIsolated ${env.isolated}, SharedArrayBuffer ${env.sharedArrayBuffer ? 'yes' : 'no'}), ${t.backend}; parallel gain ${t.parallel}; images/s from step 10: ${t.speeds.join(', ') || 'none'}`,
    );
  }
}
const failed = outcomes.some((o) => o.failed !== undefined || o.report?.results.some((r) => !r.ok));
const ran = outcomes.filter((o) => o.report).length;
console.log(failed ? '\nbrowser smoke run FAILED' : `\nbrowser smoke run passed in ${ran} browser(s)${ran < outcomes.length ? `, ${outcomes.length - ran} skipped` : ''}`);
process.exit(failed ? 1 : 0);
