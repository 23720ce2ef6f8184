/**
 * Long sessions: many training steps and 10,000 decodes in one page. Between a first and a last
 * pause no thread gains a tensor, and after a forced garbage collection no JavaScript heap (the
 * page's, the training worker's, each replica's) grows by more than 5 MB; 10,000 more decodes on
 * the main thread leave its tensors and heap as flat. The tensor counts come from test-only hooks
 * (`?testhooks` on the page, `latentLabMemory()` in the workers), the heaps from the DevTools
 * protocol. In the suite it trains the small MLP at batch 32 from step 100 to step 400, so that
 * it stays quick and still spans many snapshots and weight copies (a leak of one tensor per step
 * or per copy shows at once, and 5 MB of heap is 17 kB a step); `npm run soak` (SOAK=full)
 * trains the convolutional model at batch 128 from step 500 to step 2,000.
 */
import type { CDPSession, Page } from '@playwright/test';
import { example, figurePage } from '../lib/figures.ts';
import { Workers, type Usage } from '../lib/workers.ts';
import { expect, expectClean, test } from './fixtures.ts';

const FULL = process.env['SOAK'] === 'full';
const [FIRST, LAST] = FULL ? [500, 2000] : [100, 400];
const MB = 1024 * 1024;

async function pageUsage(page: Page, cdp: CDPSession): Promise<Usage> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return { heap: usedSize, tensors: await page.evaluate(() => window.latentLabTensors?.() ?? 0) };
}

/** The whole training panel, whose settings the URL sets. */
const fullPanel = (page: Page) => example(page, 'train-in-page', 'full').locator('train-in-page');
const stepOf = async (page: Page) => Number((await fullPanel(page).getAttribute('data-step')) ?? 0);

async function pauseAt(page: Page, step: number): Promise<number> {
  const panel = fullPanel(page);
  await expect.poll(() => stepOf(page), { timeout: FULL ? 3_600_000 : 600_000, intervals: [1000] }).toBeGreaterThanOrEqual(step);
  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(panel).toHaveAttribute('data-state', 'paused');
  // The page holds one copy of the weights and trainer state: measure once the paused step's has arrived.
  const paused = await stepOf(page);
  await expect.poll(async () => Number(await panel.getAttribute('data-copy-step'))).toBe(paused);
  return paused;
}

function report(what: string, before: Usage, after: Usage): string {
  return `${what}: heap ${(before.heap / MB).toFixed(1)} → ${(after.heap / MB).toFixed(1)} MB, tensors ${before.tensors} → ${after.tensors}`;
}

test(`${LAST.toLocaleString('en')} training steps: between step ${FIRST} and ${LAST.toLocaleString('en')} no thread gains a tensor or 5 MB of heap @long`, async ({ browser, page, problems }) => {
  test.setTimeout(FULL ? 4_000_000 : 900_000);
  // In CI one worker (no replica to coordinate) keeps the small steps quick.
  const settings = FULL ? 'train.arch=conv&train.batch=128' : 'train.arch=mlp&train.batch=32&workers=1';
  await page.goto(figurePage('train-in-page', `?testhooks&${settings}`));
  const panel = fullPanel(page);
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole('button', { name: 'Train' }).click();
  const cdp = await page.context().newCDPSession(page);

  const first = await pauseAt(page, FIRST);
  const workers = await Workers.attach(browser);
  expect(workers.count, 'the training worker (and its replicas) are found').toBeGreaterThan(0);
  const pageAtFirst = await pageUsage(page, cdp);
  const workersAtFirst = await workers.usage();
  await panel.getByRole('button', { name: 'Resume' }).click();

  const last = await pauseAt(page, LAST);
  const pageAtLast = await pageUsage(page, cdp);
  const workersAtLast = await workers.usage();
  const lines = [`steps ${first} → ${last}`, report('page', pageAtFirst, pageAtLast), ...workersAtFirst.map((u, i) => report(`worker ${i + 1}`, u, workersAtLast[i]!))];
  console.log(lines.join('\n'));
  expect(pageAtLast.tensors, lines.join('\n')).toBe(pageAtFirst.tensors);
  expect(pageAtLast.heap - pageAtFirst.heap, lines.join('\n')).toBeLessThanOrEqual(5 * MB);
  workersAtFirst.forEach((u, i) => {
    expect(u.tensors, `worker ${i + 1} answers the memory hook`).toBeGreaterThan(0);
    expect(workersAtLast[i]!.tensors, lines.join('\n')).toBe(u.tensors);
    expect(workersAtLast[i]!.heap - u.heap, lines.join('\n')).toBeLessThanOrEqual(5 * MB);
  });
  await panel.getByRole('button', { name: 'Stop' }).click();
  expectClean(problems);
});

test('10,000 decodes on the main thread leave its tensors and heap flat @long', async ({ page, problems }) => {
  test.setTimeout(600_000);
  await page.goto(figurePage('latent-manifold', '?testhooks'));
  const figure = example(page, 'latent-manifold', 'grid-choice').locator('latent-manifold');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  const cdp = await page.context().newCDPSession(page);
  const side = Number(await figure.getAttribute('data-side')) || 15;
  const toggle = async () => {
    for (const grid of ['gaussian', 'linear']) {
      await figure.locator(`input[value="${grid}"]`).check();
      await expect(figure).toHaveAttribute('data-mosaic-grid', grid);
    }
  };
  // Warm up: the first mosaics allocate what every later one reuses.
  await toggle();
  // The page's other examples that have started (those near this one) have finished their own work.
  await expect
    .poll(() => page.locator('latent-manifold').evaluateAll((all) => all.every((f) => (f as HTMLElement).dataset['state'] === 'idle' || ((f as HTMLElement).dataset['state'] === 'ready' && (f as HTMLElement).dataset['settled'] === 'true'))))
    .toBe(true);
  const before = await pageUsage(page, cdp);
  const rounds = Math.ceil(10_000 / (2 * side * side));
  for (let i = 0; i < rounds; i++) await toggle();
  const after = await pageUsage(page, cdp);
  const line = `${rounds * 2 * side * side} decodes; ${report('page', before, after)}`;
  console.log(line);
  expect(after.tensors, line).toBe(before.tensors);
  expect(after.heap - before.heap, line).toBeLessThanOrEqual(5 * MB);
  expectClean(problems);
});
