/**
 * Training in the page: the Trainer runs in a Web Worker; the page streams its progress, can
 * pause, single-step, resume and stop it, and hands the trained model to the manifold figure.
 * The tests open the figure catalogue, /figures/, where the compact panel (its example `compact`)
 * and the manifold of the same model (`linear`, far above it) share one page; the WebGL test
 * opens the whole panel on /figures/train-in-page/.
 */
import { availableParallelism } from 'node:os';
import type { Browser, Locator, Page } from '@playwright/test';
import { example, figurePage } from '../lib/figures.ts';
import { Workers } from '../lib/workers.ts';
import { expect, expectClean, test } from './fixtures.ts';

const field = (fig: Locator, name: string) => fig.locator(`[data-field="${name}"]`);
const stepOf = async (fig: Locator) => Number((await fig.getAttribute('data-step')) ?? 0);
/** Every figure's examples on one page. */
const CATALOGUE = '/figures/';
const panelOf = (page: Page) => example(page, 'train-in-page', 'compact').locator('train-in-page');
const manifoldOf = (page: Page) => example(page, 'latent-manifold', 'linear').locator('latent-manifold');

async function startTraining(page: Page, query = ''): Promise<Locator> {
  await page.goto(`${CATALOGUE}?testhooks${query}`);
  const fig = panelOf(page);
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(3);
  return fig;
}

test('training streams loss terms that fall, with samples and test codes, without blocking the main thread', async ({ page, problems }) => {
  // The manifold figure starts TF.js on the main thread, so the hook counts its kernels too.
  await page.goto(`${CATALOGUE}?testhooks`);
  const manifold = manifoldOf(page);
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-state', 'ready');
  const fig = panelOf(page);
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(2);
  const kernelsBefore = await page.evaluate(() => window.latentLabMainThreadKernels!());
  const stepBefore = await stepOf(fig);
  const firstLoss = Number(await field(fig, 'loss').textContent());
  expect(firstLoss, 'an untrained decoder costs about 784·ln 2 ≈ 543 nats').toBeGreaterThan(250);
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(stepBefore + 25);
  const kernelsAfter = await page.evaluate(() => window.latentLabMainThreadKernels!());
  expect(kernelsAfter - kernelsBefore, 'TF.js kernels run on the main thread while the worker trains').toBe(0);
  const loss = Number(await field(fig, 'loss').textContent());
  expect(loss, 'the loss fell').toBeLessThan(firstLoss * 0.7);
  const rec = Number(await field(fig, 'reconstruction').textContent());
  const kl = Number(await field(fig, 'kl').textContent());
  expect(Number.isFinite(rec) && Number.isFinite(kl) && kl >= 0).toBe(true);
  // A snapshot arrived: the sample grid has ink and the scatter has coloured points.
  await expect.poll(async () => Number(await fig.getAttribute('data-snapshot-step'))).toBeGreaterThan(0);
  const ink = await fig.locator('[data-samples]').evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += data[i]!;
    return sum / (data.length / 4) / 255;
  });
  expect(ink, 'mean grey level of the sample grid').toBeGreaterThan(0.02);
  const points = await fig.locator('[data-scatter]').evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
  expect(points, 'painted scatter pixels').toBeGreaterThan(200);
  await fig.getByRole('button', { name: 'Stop' }).click();
  await expect(fig).toHaveAttribute('data-state', 'stopped');
  expectClean(problems);
});

test('pause holds training, Step advances exactly one batch, Resume continues and Stop ends it', async ({ page, problems }) => {
  const fig = await startTraining(page);
  await fig.getByRole('button', { name: 'Pause' }).click();
  await expect(fig).toHaveAttribute('data-state', 'paused');
  // Settled: the worker has answered the pause, after the step it had under way.
  await expect(fig).toHaveAttribute('data-settled', 'true');
  const paused = await stepOf(fig);
  await fig.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => stepOf(fig)).toBe(paused + 1);
  // Settled again once the Step's snapshot is in: the worker has done all it was asked, and
  // nothing ran on between the pause and the Step, nor after it.
  await expect(fig).toHaveAttribute('data-settled', 'true');
  expect(await stepOf(fig), 'no steps while paused, and Step takes one step only').toBe(paused + 1);
  await fig.getByRole('button', { name: 'Resume' }).click();
  await expect(fig).toHaveAttribute('data-state', 'running');
  await expect.poll(() => stepOf(fig)).toBeGreaterThan(paused + 3);
  await fig.getByRole('button', { name: 'Stop' }).click();
  await expect(fig).toHaveAttribute('data-state', 'stopped');
  const stopped = await stepOf(fig);
  // Settled once the snapshot of the last step is in: the worker has stopped.
  await expect(fig).toHaveAttribute('data-settled', 'true');
  expect(await stepOf(fig), 'no steps after Stop').toBeLessThanOrEqual(stopped + 1);
  await expect(fig.getByRole('button', { name: 'Step' })).toBeDisabled();
  await expect(fig.getByRole('button', { name: 'Train a new model' })).toBeEnabled();
  expectClean(problems);
});

test('the trained model can be handed to the manifold figure, and switched back', async ({ page, problems }) => {
  const fig = await startTraining(page);
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(20);
  await fig.getByRole('button', { name: 'Pause' }).click();
  await expect(fig).toHaveAttribute('data-state', 'paused');
  const manifold = manifoldOf(page);
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-state', 'ready');
  const mosaic = () =>
    manifold.locator('[data-mosaic]').evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 0)));
  const pretrained = await mosaic();
  // Back at the panel, far below: the figure is off screen, and its mosaic waits until it is seen.
  await fig.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-drawing', 'paused');
  await fig.getByRole('button', { name: /Use it/ }).click();
  await expect(manifold).toHaveAttribute('data-source', 'yours');
  await expect(manifold.getByRole('radio', { name: 'yours' })).toBeChecked();
  // Settled: the figure has taken the model and has no mosaic left to draw; the old one stays.
  await expect(manifold).toHaveAttribute('data-settled', 'true');
  await expect(manifold).toHaveAttribute('data-mosaic-source', 'pretrained');
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-mosaic-source', 'yours');
  const yours = await mosaic();
  const diff = yours.reduce((s, v, i) => s + Math.abs(v - pretrained[i]!), 0) / yours.length;
  expect(diff, 'the mosaic now shows a different model').toBeGreaterThan(5);
  await manifold.getByRole('radio', { name: 'pretrained' }).check();
  await expect(manifold).toHaveAttribute('data-source', 'pretrained');
  expect(await mosaic()).toEqual(pretrained);
  expectClean(problems);
});

test('an absurd learning rate makes the loss NaN: training pauses on the last good weights and says why', async ({ page, problems }) => {
  await page.goto(CATALOGUE);
  const fig = panelOf(page);
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('combobox', { name: 'Learning rate' }).selectOption('100');
  await fig.getByRole('button', { name: 'Train' }).click();
  await expect.poll(async () => Number(await fig.getAttribute('data-diverged-step')), { timeout: 60_000 }).toBeGreaterThan(0);
  const divergedAt = Number(await fig.getAttribute('data-diverged-step'));
  await expect(fig).toHaveAttribute('data-state', 'paused');
  await expect(fig.locator('[data-status]')).toContainText(`diverged at step ${divergedAt}`);
  await expect(fig.locator('[data-status]')).toContainText('lower learning rate');
  // The diverged step is not counted, and the update before it, which broke the weights, is undone.
  expect(await stepOf(fig), 'back to the last weights with a finite loss').toBe(Math.max(0, divergedAt - 2));
  // The last good weights are still usable by the other figures.
  await fig.getByRole('button', { name: /Use it/ }).click();
  const manifold = manifoldOf(page);
  // The figure picks the handed-over model up when it starts, however far up the page it is.
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-source', 'yours');
  await fig.scrollIntoViewIfNeeded();
  // A sane learning rate, then one step by hand: training goes on.
  await fig.getByRole('combobox', { name: 'Learning rate' }).selectOption('0.0005');
  await fig.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => stepOf(fig)).toBeGreaterThanOrEqual(divergedAt - 1);
  expectClean(problems);
});

test('a training worker that fails is reported, leaves the page working, and can be restarted', async ({ page, problems }) => {
  await page.route(/train\.worker.*\.js/, (route) => route.fulfill({ status: 500, body: 'worker unavailable' }));
  await page.goto(CATALOGUE);
  const fig = panelOf(page);
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train' }).click();
  await expect(fig).toHaveAttribute('data-state', 'error');
  await expect(fig.locator('[data-status]')).toContainText('stopped unexpectedly');
  // The rest of the page still works.
  const manifold = manifoldOf(page);
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-state', 'ready');
  // Once the worker can load again, training restarts from the same button.
  await page.unroute(/train\.worker.*\.js/);
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train a new model' }).click();
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(2);
  await fig.getByRole('button', { name: 'Stop' }).click();
  expect(problems.errors).toEqual([]);
  expect(problems.offsiteRequests, 'requests that left the site').toEqual([]);
  // Only the browser's own report of the injected 500 may appear.
  expect(problems.consoleErrors.filter((m) => !m.includes('500'))).toEqual([]);
});

/**
 * Runs `expression` in the page's training worker or its replicas, over the DevTools protocol,
 * as a fault from outside would strike; resolves with how many workers ran it.
 */
async function inWorkers(browser: Browser, kind: 'train' | 'replica', expression: string): Promise<number> {
  const workers = await Workers.attach(browser);
  const ran = await workers.evaluate<boolean>(`location.href.includes('${kind}.worker') ? ((${expression}), true) : false`);
  return ran.filter(Boolean).length;
}

/** Trains until the worker has sent a copy of its weights and taken a few steps past it. */
async function pastACopy(fig: Locator): Promise<number> {
  await expect.poll(async () => Number(await fig.getAttribute('data-copy-step')), { timeout: 60_000 }).toBeGreaterThan(0);
  const copy = Number(await fig.getAttribute('data-copy-step'));
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(copy + 3);
  return copy;
}

test('a training worker that crashes mid-run: the page keeps the last copy of its weights, and Continue retakes the lost steps exactly', async ({ browser, page, problems }) => {
  test.setTimeout(180_000);
  const fig = await startTraining(page);
  await pastACopy(fig);
  expect(await inWorkers(browser, 'train', "setTimeout(() => { throw new Error('injected crash') })"), 'the training worker was struck').toBe(1);
  await expect(fig).toHaveAttribute('data-state', 'error');
  const copy = Number(await fig.getAttribute('data-copy-step'));
  const lostAt = Number(await fig.getAttribute('data-lost-at'));
  expect(lostAt).toBeGreaterThan(copy);
  const status = fig.locator('[data-status]');
  await expect(status).toContainText('stopped unexpectedly');
  await expect(status).toContainText('injected crash');
  await expect(status).toContainText(`the weights of step ${copy}, the last copy`);
  expect(await stepOf(fig), 'the readout is back at the copy').toBe(copy);
  expect(Number(await field(fig, 'step').textContent())).toBe(copy);
  await expect(fig.getByRole('button', { name: 'Use it in the figures on this page' })).toBeEnabled();
  // The rest of the page keeps working.
  const manifold = manifoldOf(page);
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-state', 'ready');
  // Continue: a new worker (and replicas) from the copy's weights, batch order, noise and Adam state.
  const lost = await page.evaluate(() => window.latentLabTrainLosses!.slice());
  expect(lost.length, 'one loss per step of the lost run').toBe(lostAt);
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(lostAt + 2);
  await fig.getByRole('button', { name: 'Stop' }).click();
  const retaken = await page.evaluate((n) => window.latentLabTrainLosses!.slice(n), lost.length);
  for (let j = 0; j < lostAt - copy; j++) {
    const before = lost[copy + j]!;
    expect(Math.abs(retaken[j]! - before), `step ${copy + j + 1}: ${retaken[j]} again, ${before} before`).toBeLessThanOrEqual(1e-4 * before);
  }
  expectClean(problems);
});

test('a training worker that falls silent (killed, not crashed) is noticed, and Continue goes on from the last copy', async ({ browser, page, problems }) => {
  // The watchdog's patience (20 steps' time on a loaded machine, up to a minute before its ping
  // and as long after) is capped at 8 s here; watchdog.test.ts checks the patience itself.
  const fig = await startTraining(page, '&patience=8000');
  await pastACopy(fig);
  expect(await inWorkers(browser, 'train', 'setTimeout(() => self.close(), 50)')).toBe(1);
  await expect(fig).toHaveAttribute('data-state', 'error', { timeout: 30_000 });
  const copy = Number(await fig.getAttribute('data-copy-step'));
  await expect(fig.locator('[data-status]')).toContainText('stopped responding');
  await expect(fig.locator('[data-status]')).toContainText(`the weights of step ${copy}`);
  await fig.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(copy + 3);
  await fig.getByRole('button', { name: 'Stop' }).click();
  await expect(fig).toHaveAttribute('data-state', 'stopped');
  expectClean(problems);
});

test('a worker that shares each batch and crashes ends the run in words; the model is kept, and Continue starts new workers', async ({ browser, page, problems }) => {
  test.setTimeout(180_000);
  await page.goto(`${CATALOGUE}?testhooks&workers=2`);
  const fig = panelOf(page);
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train' }).click();
  await expect(fig).toHaveAttribute('data-workers', '2', { timeout: 60_000 });
  await pastACopy(fig);
  expect(await inWorkers(browser, 'replica', "setTimeout(() => { throw new Error('injected replica crash') })"), 'one replica was struck').toBe(1);
  await expect(fig).toHaveAttribute('data-state', 'error');
  const copy = Number(await fig.getAttribute('data-copy-step'));
  const status = fig.locator('[data-status]');
  await expect(status).toContainText('A worker that shares each batch stopped');
  await expect(status).toContainText('injected replica crash');
  await expect(status).toContainText(`the weights of step ${copy}`);
  await fig.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(copy + 3);
  await expect(fig).toHaveAttribute('data-workers', '2');
  await fig.getByRole('button', { name: 'Stop' }).click();
  expectClean(problems);
});

test('two workers share each batch and take the same steps as one worker alone (on the spare cores as threads)', async ({ page, problems }) => {
  const firstLosses = async (query: string, workers: number): Promise<number[]> => {
    await page.goto(`${CATALOGUE}?testhooks${query}`);
    const fig = panelOf(page);
    await fig.scrollIntoViewIfNeeded();
    await fig.getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(6);
    await fig.getByRole('button', { name: 'Stop' }).click();
    await expect(fig).toHaveAttribute('data-workers', String(workers));
    await expect(fig.locator('[data-status]')).toContainText(workers > 1 ? `${workers} background workers that share each batch` : 'a background worker');
    // The page is cross-origin isolated: the cores the workers leave over become wasm threads in them.
    const threads = await page.evaluate((n) => Math.max(1, Math.min(4, Math.floor(navigator.hardwareConcurrency / n))), workers);
    await expect(fig.locator('[data-status]')).toContainText(`wasm (SIMD, ${threads} thread${threads === 1 ? '' : 's'})`);
    return (await page.evaluate(() => (window as unknown as { latentLabTrainLosses: number[] }).latentLabTrainLosses)).slice(0, 6);
  };
  const alone = await firstLosses('&workers=1', 1);
  const shared = await firstLosses('&workers=2', 2);
  shared.forEach((loss, i) => expect(Math.abs(loss - alone[i]!), `step ${i + 1}: ${loss} vs ${alone[i]}`).toBeLessThanOrEqual(1e-3 * alone[i]!));
  expectClean(problems);
});

test('a device that reports more cores than it runs at once gets the workers it gains from, measured once and kept', async ({ page, problems }) => {
  test.setTimeout(180_000);
  // As WebKitGTK reports 4 on a 2-core machine: here 8, whatever this machine has.
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 8, configurable: true }));
  const train = async (): Promise<number> => {
    await page.goto(`${CATALOGUE}?testhooks`);
    const fig = panelOf(page);
    await fig.scrollIntoViewIfNeeded();
    await fig.getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(2);
    await fig.getByRole('button', { name: 'Stop' }).click();
    await expect(fig).toHaveAttribute('data-state', 'stopped');
    return Number(await fig.getAttribute('data-workers'));
  };
  const workers = await train();
  expect(workers, `8 cores reported, ${availableParallelism()} here`).toBeLessThanOrEqual(Math.min(4, availableParallelism()));
  const kept = await page.evaluate(() => sessionStorage.getItem('latent-lab-parallel-gain'));
  expect(JSON.parse(kept ?? '{}'), 'four copies of the loop timed against one').toMatchObject({ reported: 8, workers: 4 });
  // The next visit takes the kept measurement: the same workers, and nothing measured again.
  expect(await train()).toBe(workers);
  expect(await page.evaluate(() => sessionStorage.getItem('latent-lab-parallel-gain'))).toBe(kept);
  expectClean(problems);
});

test('the GPU’s WebGL context lost during training: the worker moves to wasm from its last copy, pauses, says so, and trains on @long', async ({ browser, page, problems }) => {
  test.setTimeout(240_000);
  await page.goto(figurePage('train-in-page', '?testhooks&workers=1&backend=webgl'));
  const fig = example(page, 'train-in-page', 'full').locator('train-in-page');
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: /^Train/ }).click();
  await expect(fig.locator('[data-status]')).toContainText('webgl', { timeout: 120_000 });
  // Past the first snapshots, so a copy of the weights has been kept off the GPU.
  await expect.poll(async () => Number(await fig.getAttribute('data-snapshot-step')), { timeout: 120_000 }).toBeGreaterThan(0);
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(20);
  await pastACopy(fig);
  const workers = await Workers.attach(browser);
  expect(await workers.evaluate<boolean>('self.latentLabLoseWebgl ? self.latentLabLoseWebgl() : false'), 'the training worker lost its context').toContain(true);
  await expect(fig).toHaveAttribute('data-backend-lost', /^wasm/, { timeout: 60_000 });
  await expect(fig).toHaveAttribute('data-state', 'paused');
  const status = fig.locator('[data-status]');
  await expect(status).toContainText('WebGL context was lost during training');
  const restored = await stepOf(fig);
  expect(restored, 'the weights of a step that was copied, not step 0').toBeGreaterThan(0);
  await expect(status).toContainText(`step ${restored}`);
  expect(Number(await field(fig, 'step').textContent())).toBe(restored);
  // It trains on, on wasm, with finite losses.
  await fig.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => stepOf(fig), { timeout: 60_000 }).toBeGreaterThan(restored + 10);
  expect(Number.isFinite(Number(await field(fig, 'loss').textContent()))).toBe(true);
  await fig.getByRole('button', { name: 'Stop' }).click();
  expectClean(problems);
});

test('scrolled away from the panel, the reader still sees training go on, and can pause it and come back; the panel draws only on screen', async ({ page, problems }) => {
  const fig = await startTraining(page);
  // Each panel of the page has its badge; only the running one's ever shows.
  const badge = page.locator('[data-train-badge]').filter({ visible: true });
  await expect(badge, 'no badge while the panel is in view').toBeHidden();
  const at = async (name: string) => Number((await fig.getAttribute(`data-${name}`)) ?? 0);
  await expect.poll(() => at('painted-step'), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(fig).toHaveAttribute('data-drawing', 'paused');
  await expect(badge).toBeVisible();
  // Off screen, snapshots still arrive, but the chart and pictures wait.
  const painted = await at('painted-step');
  const charted = await at('chart-step');
  await expect.poll(() => at('snapshot-step'), { timeout: 60_000 }).toBeGreaterThan(painted);
  expect(await at('painted-step'), 'no picture drawn off screen').toBe(painted);
  expect(await at('chart-step'), 'no chart drawn off screen').toBe(charted);
  await expect(badge).toContainText(/Training · step [\d,]+ · loss \d/);
  const shown = async () => Number((/step ([\d,]+)/.exec((await badge.textContent()) ?? '')?.[1] ?? '0').replace(/,/g, ''));
  const first = await shown();
  await expect.poll(shown, { timeout: 30_000 }).toBeGreaterThan(first);
  await badge.getByRole('button', { name: 'Pause' }).click();
  await expect(fig).toHaveAttribute('data-state', 'paused');
  await expect(badge).toContainText('Paused · step');
  expect(await shown()).toBe(await stepOf(fig));
  await badge.getByRole('button', { name: 'Resume' }).click();
  await expect(fig).toHaveAttribute('data-state', 'running');
  await badge.getByRole('button', { name: 'Show the panel' }).click();
  await expect(badge).toBeHidden();
  await expect(fig.locator('.figure-ui')).toBeInViewport();
  // Back on screen, the latest snapshot and chart are drawn at once.
  await expect(fig).toHaveAttribute('data-drawing', 'live');
  await expect.poll(() => at('painted-step')).toBeGreaterThan(painted);
  await expect.poll(() => at('chart-step')).toBeGreaterThan(charted);
  await fig.getByRole('button', { name: 'Stop' }).click();
  expectClean(problems);
});
