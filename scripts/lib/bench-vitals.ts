/**
 * Page vitals for `npm run bench` (`-- --vitals-only` for these alone): every page of the built
 * site in headless Chromium at 1280 × 720, each in a fresh browser context (empty cache and
 * storage: "cold") and then again in a new tab of that context ("warm").
 *
 * The measurement window of a visit: navigation, until the network is quiet (no request in flight
 * for 500 ms), then a scroll to the bottom (one viewport every 100 ms: each lazy figure comes
 * into view and starts, as it does for a reader, yet the whole site fits in about ten minutes),
 * until the network is quiet again, plus 2 s. One pass, scrolled: a figure's start belongs to the
 * page's cost.
 *
 * - LCP: the last 'largest-contentful-paint' entry before the first scroll, since a reader's
 *   scroll ends LCP in the browser and a scroll made by a script does not.
 * - CLS: 'layout-shift' entries without recent input, as the largest session window (shifts less
 *   than 1 s apart, 5 s at most), the current definition; the plain sum goes to the JSON too.
 * - TBT: over the 'longtask' entries, the time beyond 50 ms of each, counting only the part of a
 *   task after first contentful paint and before the end of the window (as Lighthouse clips).
 * - First live digit: `performance.mark('latent-lab:first-live-decode')`, which the figures set on
 *   their first live decode; where a page has no such mark, the moment the first
 *   <latent-manifold> gets its `data-z` attribute. Measured from navigation on the home page and
 *   on chapter 1 navigated to the section of its first manifold (a hash link brings the figure
 *   into view at once; that visit is not scrolled).
 *
 * The throttled pass (CPU 4× slower, 10 Mbit/s down, 5 up, 40 ms latency, over CDP) covers the
 * home page, chapter 1 and its manifold, and the chapter with the most figures only, to keep the
 * whole run near ten minutes on two cores. public/coi.js registers the site's service worker on
 * every visit (it keeps the guide offline), so a warm visit is served through it, and its own
 * fetches (the background fill of the offline copy) may escape the network throttling; each row
 * records whether a service worker controlled the page.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { preview } from 'astro';

export interface LongTask { startTime: number; duration: number }
export interface Shift { startTime: number; value: number; hadRecentInput: boolean }
type DigitMethod = 'mark' | 'data-z' | 'no figure' | 'timed out' | 'not measured';

export interface VitalsRow {
  page: string;
  condition: 'cold' | 'warm' | 'cold, throttled' | 'warm, throttled';
  lcpMs: number | null;
  cls: number;
  clsSum: number;
  tbtMs: number;
  longestTaskMs: number;
  firstLiveDigitMs: number | null;
  digitMethod: DigitMethod;
  windowMs: number;
  /** False where the network never went quiet within the patience allowed. */
  networkQuiet: boolean;
  serviceWorker: boolean;
}

export const TARGETS = { lcpMs: 1000, cls: 0.01, tbtMs: 100, firstLiveDigitMs: 1000 };
const MARK = 'latent-lab:first-live-decode';
const TAIL_MS = 2000;
const STEP_MS = 100;

/** Blocking time of the tasks, each clipped to [fcp, end] first (Lighthouse's way). */
export function totalBlockingTime(tasks: LongTask[], fcp: number, end: number): number {
  let sum = 0;
  for (const t of tasks) {
    const clipped = Math.min(t.startTime + t.duration, end) - Math.max(t.startTime, fcp);
    sum += Math.max(0, clipped - 50);
  }
  return sum;
}

/** `cls`: the largest session window (gaps under 1 s, at most 5 s long); `sum`: all of them. */
export function layoutShift(shifts: Shift[]): { cls: number; sum: number } {
  let best = 0, sum = 0, window = 0, first = -Infinity, last = -Infinity;
  for (const s of [...shifts].filter((s) => !s.hadRecentInput).sort((a, b) => a.startTime - b.startTime)) {
    if (s.startTime - last >= 1000 || s.startTime - first >= 5000) [window, first] = [0, s.startTime];
    window += s.value;
    last = s.startTime;
    sum += s.value;
    best = Math.max(best, window);
  }
  return { cls: best, sum };
}

/** Which targets an unthrottled row misses (the throttled rows are for reference). */
export function missedTargets(row: VitalsRow): string[] {
  if (row.condition.includes('throttled')) return [];
  const missed: string[] = [];
  if (row.lcpMs === null || row.lcpMs >= TARGETS.lcpMs) missed.push('LCP');
  if (row.cls >= TARGETS.cls) missed.push('CLS');
  if (row.tbtMs >= TARGETS.tbtMs) missed.push('TBT');
  if (row.firstLiveDigitMs !== null && row.firstLiveDigitMs >= TARGETS.firstLiveDigitMs) missed.push('digit');
  if (row.digitMethod === 'timed out') missed.push('digit');
  return missed;
}

const seconds = (ms: number | null) => (ms === null ? '–' : (ms / 1000).toFixed(2));

export function vitalsTable(rows: VitalsRow[]): string {
  const header = ['page', 'condition', 'LCP s (<1.0)', 'CLS (<0.01)', 'TBT ms (<100)', 'longest task ms', 'first live digit s (<1.0)', 'over target'];
  const cells = rows.map((r) => [
    r.page,
    r.condition,
    seconds(r.lcpMs),
    r.cls.toFixed(3),
    String(Math.round(r.tbtMs)),
    String(Math.round(r.longestTaskMs)),
    r.digitMethod === 'not measured' ? '' : `${seconds(r.firstLiveDigitMs)} (${r.digitMethod})`,
    missedTargets(r).join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  // Text left, numbers right.
  const line = (c: string[]) => c.map((s, i) => (i < 2 || i >= 6 ? s.padEnd(widths[i]!) : s.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Every page of the build, as scripts/screenshots.ts lists them: each index.html as its folder's URL. */
function builtPages(dist: string, dir = dist): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '_astro' || name === 'weights' || name === 'data' ? [] : builtPages(dist, path);
    return name === 'index.html' ? [`/${relative(dist, dir)}${dir === dist ? '' : '/'}`] : [];
  }).sort();
}

const html = (dist: string, page: string) => readFileSync(join(dist, page, 'index.html'), 'utf8');
/** The page's figures: custom elements with a `data-state` (the search box has none). */
const figureCount = (dist: string, page: string) => (html(dist, page).match(/<[a-z]+-[a-z-]+\s[^>]*data-state=/g) ?? []).length;

/** The id of the last heading before the page's first <latent-manifold>. */
export function manifoldSection(pageHtml: string): string | undefined {
  const at = pageHtml.indexOf('<latent-manifold');
  return at < 0 ? undefined : [...pageHtml.slice(0, at).matchAll(/<h[1-6][^>]*\sid="([^"]+)"/g)].at(-1)?.[1];
}

/** Collects the entries from the very start of each document, ahead of the page's own scripts. */
function observeVitals(): void {
  if (window.top !== window) return;
  const v = { lcp: [] as number[], shifts: [] as Shift[], tasks: [] as LongTask[], zAt: null as number | null };
  (window as unknown as { latentLabVitals: typeof v }).latentLabVitals = v;
  const observe = (type: string, f: (e: PerformanceEntry) => void) => new PerformanceObserver((list) => list.getEntries().forEach(f)).observe({ type, buffered: true });
  observe('largest-contentful-paint', (e) => v.lcp.push(e.startTime));
  observe('layout-shift', (e) => v.shifts.push({ startTime: e.startTime, value: (e as unknown as Shift).value, hadRecentInput: (e as unknown as Shift).hadRecentInput }));
  observe('longtask', (e) => v.tasks.push({ startTime: e.startTime, duration: e.duration }));
  new MutationObserver((records) => {
    if (v.zAt === null && records.some((r) => (r.target as Element).localName === 'latent-manifold')) v.zAt = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-z'] });
}

/** Resolves once no request of the page has been in flight for 500 ms (false: not within `patience`). */
function networkQuiet(page: Page): (patience: number) => Promise<boolean> {
  let inFlight = 0, last = Date.now();
  page.on('request', () => (inFlight++, (last = Date.now())));
  const done = () => ((inFlight = Math.max(0, inFlight - 1)), (last = Date.now()));
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return async (patience) => {
    for (const t0 = Date.now(); Date.now() - t0 < patience; await sleep(100)) if (inFlight === 0 && Date.now() - last >= 500) return true;
    return false;
  };
}

interface Visit { url: string; scroll: boolean; digit: boolean; throttled: boolean }
type Measured = Omit<VitalsRow, 'page' | 'condition'>;

async function visit(context: BrowserContext, origin: string, v: Visit): Promise<Measured> {
  const page = await context.newPage();
  const patience = v.throttled ? 60_000 : 15_000;
  if (v.throttled) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 });
  }
  const quiet = networkQuiet(page);
  try {
    await page.goto(origin + v.url, { waitUntil: 'load', timeout: patience * 2 });
    let networkQuietOk = await quiet(patience);
    // Waits for the first live digit only where the page has a figure to draw one.
    const figures = await page.evaluate(() => [...document.querySelectorAll('[data-state]')].some((e) => e.localName.includes('-')));
    const digitSeen = () =>
      page.evaluate((m) => performance.getEntriesByName(m, 'mark').length > 0 || (window as unknown as { latentLabVitals: { zAt: number | null } }).latentLabVitals.zAt !== null, MARK);
    if (v.digit && figures) for (const t0 = Date.now(); Date.now() - t0 < patience * 2 && !(await digitSeen()); ) await sleep(50);
    if (v.scroll) {
      await page.evaluate(() => ((window as unknown as { scrollStart: number }).scrollStart = performance.now()));
      while (await page.evaluate(() => (scrollBy(0, innerHeight), scrollY + innerHeight < document.documentElement.scrollHeight - 1))) await sleep(STEP_MS);
      networkQuietOk = (await quiet(patience)) && networkQuietOk;
    }
    await sleep(TAIL_MS);
    const got = await page.evaluate((m) => {
      const w = window as unknown as { latentLabVitals: { lcp: number[]; shifts: Shift[]; tasks: LongTask[]; zAt: number | null }; scrollStart?: number };
      return {
        ...w.latentLabVitals,
        scrollStart: w.scrollStart ?? Infinity,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        mark: performance.getEntriesByName(m, 'mark')[0]?.startTime ?? null,
        end: performance.now(),
        serviceWorker: !!navigator.serviceWorker?.controller,
      };
    }, MARK);
    const lcp = got.lcp.filter((t) => t < got.scrollStart).at(-1) ?? null;
    const { cls, sum } = layoutShift(got.shifts);
    const digitMs = got.mark ?? got.zAt;
    return {
      lcpMs: lcp,
      cls,
      clsSum: sum,
      tbtMs: got.fcp === null ? 0 : totalBlockingTime(got.tasks, got.fcp, got.end),
      longestTaskMs: Math.max(0, ...got.tasks.map((t) => t.duration)),
      firstLiveDigitMs: v.digit ? digitMs : null,
      digitMethod: !v.digit ? 'not measured' : got.mark !== null ? 'mark' : got.zAt !== null ? 'data-z' : figures ? 'timed out' : 'no figure',
      windowMs: got.end,
      networkQuiet: networkQuietOk,
      serviceWorker: got.serviceWorker,
    };
  } finally {
    await page.close();
  }
}

export interface VitalsReport { pages: number; throttledPages: string[]; method: Record<string, string>; rows: VitalsRow[] }

/** How the numbers were taken, for the JSON (the module's comment says why). */
const METHOD = {
  window: `navigation → network quiet 500 ms → scroll to the bottom, a viewport every ${STEP_MS} ms (not on hash links) → network quiet → ${TAIL_MS} ms`,
  viewport: '1280 × 720',
  lcp: 'last largest-contentful-paint entry before the first scroll',
  cls: 'largest session window (gaps < 1 s, ≤ 5 s); clsSum: all shifts without recent input',
  tbt: 'sum over long tasks of (duration − 50 ms), each clipped to [first contentful paint, end of window]',
  firstLiveDigit: `performance mark ${MARK}, else the first <latent-manifold> getting data-z; ms from navigation`,
  throttled: 'CDP CPU throttling 4×, network 10 Mbit/s down, 5 up, 40 ms latency (a service worker’s own fetches may escape it)',
};

/**
 * Measures every page of `root`'s build. It serves a copy of dist/ on a port of its own: a
 * rebuild during the run's ten minutes would otherwise swap the files under the pages, or stop
 * the preview server.
 */
export async function benchVitals(browser: Browser, root: string, log: (msg: string) => void, only?: readonly string[]): Promise<VitalsReport> {
  const dist = mkdtempSync(join(tmpdir(), 'latent-lab-vitals-'));
  cpSync(join(root, 'dist'), dist, { recursive: true });
  const server = await preview({ root, outDir: dist, server: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
  try {
    return await measureAll(browser, `http://127.0.0.1:${server.port}`, dist, log, only);
  } finally {
    await server.stop();
    rmSync(dist, { recursive: true, force: true });
  }
}

async function measureAll(browser: Browser, origin: string, dist: string, log: (msg: string) => void, only?: readonly string[]): Promise<VitalsReport> {
  const pages = builtPages(dist);
  const section = manifoldSection(html(dist, '/chapters/autoencoders/'));
  const manifold = section ? `/chapters/autoencoders/#${section}` : undefined;
  const heaviest = pages.filter((p) => p.startsWith('/chapters/')).sort((a, b) => figureCount(dist, b) - figureCount(dist, a))[0];
  const throttledPages = [...new Set(['/', '/chapters/autoencoders/', manifold, heaviest])].filter((p) => p !== undefined);
  const plan = [
    ...[...pages, ...(manifold ? [manifold] : [])].map((p) => ({ page: p, throttled: false })),
    ...throttledPages.map((p) => ({ page: p, throttled: true })),
  ].filter(({ page }) => !only || only.includes(page));
  if (plan.length === 0) throw new Error(`none of ${only?.join(', ')} is a page of the build (or chapter 1's manifold link)`);
  const rows: VitalsRow[] = [];
  for (const [i, { page, throttled }] of plan.entries()) {
    log(`chromium: vitals ${i + 1}/${plan.length}: ${page}${throttled ? ' (throttled)' : ''}`);
    const v: Visit = { url: page, scroll: !page.includes('#'), digit: page === '/' || page === manifold, throttled };
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(observeVitals);
    try {
      for (const when of ['cold', 'warm'] as const) rows.push({ page, condition: throttled ? `${when}, throttled` : when, ...(await visit(context, origin, v)) });
    } finally {
      await context.close();
    }
  }
  return { pages: pages.length, throttledPages, method: METHOD, rows };
}
