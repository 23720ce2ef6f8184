/**
 * The latent-manifold figure in Chromium (on /figures/latent-manifold/, its first example), checked against the engine's own decode in Node:
 * after every drag or key press, the large digit on screen must equal decode(z) for the z the
 * figure reports, within one grey level (1/255) per pixel.
 */
import type { Locator, Page } from '@playwright/test';
import { initBackend } from '../../src/vae/backend.ts';
import { decode } from '../../src/vae/infer.ts';
import { loadVae, type ModelMetrics } from '../../src/vae/io.ts';
import { manifoldMosaic } from '../../src/vae/manifold.ts';
import type { Vae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { example, figurePage } from '../lib/figures.ts';
import { canvasGrey, expect, expectClean, imageGrey, test } from './fixtures.ts';

const PAGE = figurePage('latent-manifold');
/** The example with the 2-D VAE on the linear grid, ±3 with 15 cells a side. */
const linear = (page: Page) => example(page, 'latent-manifold', 'linear').locator('latent-manifold');
/** Another model's example on the same page. */
const fashion = (page: Page) => example(page, 'latent-manifold', 'fashion').locator('latent-manifold');

let vae: Vae;

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  vae = await loadVae(getSpec('mnist-conv-z2'), readPublic, 'weights/mnist-conv-z2');
});

async function openFigure(page: Page, query = ''): Promise<Locator> {
  await page.goto(PAGE + query);
  const figure = linear(page);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  return figure;
}

async function shownZ(figure: Locator): Promise<[number, number]> {
  const z = await figure.getAttribute('data-z');
  expect(z, 'the figure reports the z it decoded').toBeTruthy();
  const [a, b] = z!.split(',').map(Number);
  return [a!, b!];
}

/** Asserts the big digit equals the engine's decode of the shown z within 1/255 per pixel. */
async function expectDigitMatchesEngine(figure: Locator): Promise<number[]> {
  const z = await shownZ(figure);
  const expected = decode(vae, z);
  const grey = await canvasGrey(figure.locator('[data-digit]'));
  expect(grey).toHaveLength(784);
  let worst = 0;
  for (let i = 0; i < 784; i++) worst = Math.max(worst, Math.abs(grey[i]! / 255 - expected[i]!));
  expect(worst, `max |canvas − decode(z)| per pixel at z = (${z})`).toBeLessThanOrEqual(1 / 255 + 1e-6);
  return grey;
}

test('the mosaic and the large digit show decoded digits, equal to the engine\'s decodes in Node', async ({ page, problems }) => {
  const figure = await openFigure(page);
  const mosaic = await canvasGrey(figure.locator('[data-mosaic]'));
  const expected = manifoldMosaic(vae, 15, 3);
  expect(mosaic).toHaveLength(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(mosaic[i]! - expected[i]!));
  expect(worst, 'max grey-level difference between the page mosaic and the Node mosaic').toBeLessThanOrEqual(1);
  const inked = mosaic.filter((v) => v > 127).length / mosaic.length;
  expect(inked, 'share of bright pixels in the mosaic').toBeGreaterThan(0.03);
  expect(inked).toBeLessThan(0.6);
  // Far-apart cells show different digits.
  const cell = (r: number, c: number) =>
    Array.from({ length: 28 }, (_, y) => mosaic.slice((r * 28 + y) * 420 + c * 28, (r * 28 + y) * 420 + c * 28 + 28)).flat();
  const a = cell(2, 2);
  const b = cell(12, 12);
  expect(a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / 784, 'mean difference between two far-apart cells').toBeGreaterThan(10);
  const digit = await expectDigitMatchesEngine(figure);
  expect(digit.filter((v) => v > 127).length, 'bright pixels in the large digit').toBeGreaterThan(20);
  expectClean(problems);
});

test('the mosaic is drawn row by row: its first row is on screen, over the preview, while the rest is still being decoded', async ({ page, problems }) => {
  // Before any script of the page runs: note each row count the figure reports, and every frame.
  await page.addInitScript(() => {
    const w = window as unknown as { rows: { n: number; t: number }[]; frames: number[] };
    w.rows = [];
    w.frames = [];
    const frame = (t: number) => {
      w.frames.push(t);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new MutationObserver((records) => {
      for (const r of records) {
        const n = (r.target as HTMLElement).dataset['mosaicRows'];
        if (n !== undefined) w.rows.push({ n: Number(n), t: performance.now() });
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-mosaic-rows'] });
  });
  const figure = await openFigure(page);
  await expect(figure).toHaveAttribute('data-mosaic-rows', '15');
  const { rows, frames } = await page.evaluate(() => {
    const w = window as unknown as { rows: { n: number; t: number }[]; frames: number[] };
    return { rows: w.rows, frames: w.frames };
  });
  // (The observer reads the attribute when it runs: the reset to 0 and row 1 share one task.)
  // The first complete pass; a later redraw of the whole mosaic (a figure that restarts) is another matter.
  const painted = rows.filter((r, i) => r.n > 0 && r.n !== rows[i - 1]?.n);
  const first = painted.slice(0, painted.findIndex((r) => r.n === 15) + 1);
  expect(first.map((r) => r.n), 'one paint per row, top to bottom').toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  const [one, last] = [first[0]!.t, first[14]!.t];
  const between = frames.filter((t) => t > one && t < last).length;
  expect(between, `frames drawn between the first row (${one.toFixed(0)} ms) and the last (${last.toFixed(0)} ms)`).toBeGreaterThan(0);
  // The finished mosaic is the engine's, and the static preview under it is gone.
  await expect(figure.locator('img.preview')).toHaveCount(0);
  const mosaic = await canvasGrey(figure.locator('[data-mosaic]'));
  const expected = manifoldMosaic(vae, 15, 3);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(mosaic[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(1);
  expectClean(problems);
});

test('an isolated page starts a thread worker per core it decodes on, not Emscripten’s default pool of 8', async ({ page, problems }) => {
  const threadWorkers: string[] = [];
  page.on('worker', (w) => {
    if (w.url().startsWith('blob:')) threadWorkers.push(w.url());
  });
  // wasm by choice: on a busy machine the first-visit probe may measure another backend faster.
  const figure = await openFigure(page, '?backend=wasm');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.min(4, cores);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(figure.locator('[data-status]')).toContainText(`wasm (SIMD, ${threads} thread${threads === 1 ? '' : 's'})`);
  // Settled: the figure has decoded its mosaic and digit, so every thread it starts has started.
  await expect(figure).toHaveAttribute('data-settled', 'true');
  await expect(figure).toHaveAttribute('data-mosaic-rows', '15');
  expect(threadWorkers.length, 'thread workers started').toBeGreaterThan(0);
  expect(threadWorkers.length, 'thread workers started').toBeLessThanOrEqual(Math.min(8, cores));
  expectClean(problems);
});

test('before the figure nears the viewport it shows the static preview and loads no TF.js, wasm or weights', async ({ page, problems }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  // A short window, so that no example of the page is near it when the page opens.
  await page.setViewportSize({ width: 1280, height: 150 });
  await page.goto(PAGE);
  await page.waitForLoadState('networkidle');
  const figure = linear(page);
  await expect(figure).toHaveAttribute('data-state', 'idle');
  await expect(figure.locator('[data-status]')).toContainText('loads when this figure scrolls into view');
  expect(requests.filter((u) => /engine|\.wasm|weights\/.*\/(encoder|decoder)\//.test(u)), 'heavy requests before scrolling').toEqual([]);
  // The preview is the same mosaic, rendered from the same weights when they were trained.
  const preview = figure.locator('img.preview');
  await expect(preview).toHaveAttribute('alt', /grid of images decoded/);
  const previewGrey = await imageGrey(preview);
  const expected = manifoldMosaic(vae, 15, 3);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(previewGrey[i]! - expected[i]!));
  expect(worst, 'preview PNG vs a fresh decode of the shipped weights (regenerate with npm run render:preview)').toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 1280, height: 900 });
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  expect(requests.some((u) => u.endsWith('.wasm')), 'wasm fetched once the figure is near').toBe(true);
  await expect(figure.locator('img.preview')).toHaveCount(0);
  expectClean(problems);
});

test('the model facts table shows the numbers of metrics.json', async ({ page, problems }) => {
  const metrics = JSON.parse(await readFile(join(PUBLIC, 'weights/mnist-conv-z2/metrics.json'), 'utf8')) as ModelMetrics;
  await page.goto(figurePage('model-facts'));
  const table = page.locator('table.model-facts');
  await expect(table).toHaveCount(1);
  await expect(table).toContainText(metrics.params.toLocaleString('en'));
  await expect(table).toContainText(`${metrics.test.loss.toFixed(1)} nats per image`);
  await expect(table).toContainText(`${metrics.test.kl.toFixed(1)} KL`);
  expectClean(problems);
});

test('dragging the handle decodes the new position live', async ({ page, problems }) => {
  const figure = await openFigure(page);
  const plane = figure.locator('[data-plane]');
  const handle = figure.locator('[data-handle]');
  await expectDigitMatchesEngine(figure);
  const before = await canvasGrey(figure.locator('[data-digit]'));
  const box = (await plane.boundingBox())!;
  const h = (await handle.boundingBox())!;
  await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
  await page.mouse.down();
  const target = { x: box.x + box.width * 0.8, y: box.y + box.height * 0.25 };
  await page.mouse.move(target.x, target.y, { steps: 12 });
  await page.mouse.up();
  // Dropped at 80 % across and 25 % down: z ≈ (1.8, 1.5) on a ±3 plane.
  await expect.poll(async () => (await shownZ(figure))[0]).toBeCloseTo(1.8, 1);
  await expect.poll(async () => (await shownZ(figure))[1]).toBeCloseTo(1.5, 1);
  const after = await expectDigitMatchesEngine(figure);
  expect(after.reduce((s, v, i) => s + Math.abs(v - before[i]!), 0) / 784, 'the digit changed').toBeGreaterThan(5);
  // The handle sits where it was dropped.
  const moved = (await handle.boundingBox())!;
  expect(Math.abs(moved.x + moved.width / 2 - target.x)).toBeLessThan(3);
  expect(Math.abs(moved.y + moved.height / 2 - target.y)).toBeLessThan(3);
  expectClean(problems);
});

test('arrow keys move the handle in steps of 0.1 (0.5 with Shift) and Home returns to the origin', async ({ page, problems }) => {
  const figure = await openFigure(page);
  const handle = figure.locator('[data-handle]');
  await handle.focus();
  await expect.poll(() => shownZ(figure)).toEqual([0, 0]);
  for (let i = 0; i < 3; i++) await handle.press('ArrowRight');
  await handle.press('ArrowUp');
  await handle.press('Shift+ArrowUp');
  await expect.poll(() => shownZ(figure)).toEqual([0.3, 0.6]);
  await expect(handle).toHaveAttribute('aria-valuetext', 'z₁ = 0.30, z₂ = 0.60');
  await expectDigitMatchesEngine(figure);
  for (let i = 0; i < 10; i++) await handle.press('Shift+ArrowLeft');
  await expect.poll(() => shownZ(figure)).toEqual([-3, 0.6]);
  await expectDigitMatchesEngine(figure);
  await handle.press('Home');
  await expect.poll(() => shownZ(figure)).toEqual([0, 0]);
  await expectDigitMatchesEngine(figure);
  expectClean(problems);
});

test('a lost WebGL context: the figure says so, its models move to wasm, and it decodes on as the engine does @long', async ({ page, problems }) => {
  test.setTimeout(180_000);
  await page.goto(figurePage('latent-manifold', '?backend=webgl&testhooks'));
  const figure = linear(page);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect(figure).toHaveAttribute('data-active-backend', 'webgl');
  expect(await page.evaluate(() => window.latentLabLoseWebgl!()), 'the context was lost').toBe(true);
  await expect(figure).toHaveAttribute('data-active-backend', 'wasm', { timeout: 60_000 });
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure.locator('[data-status]')).toContainText('WebGL context was lost; decoding continues on TF.js wasm');
  // The mosaic was redrawn on wasm, and the ring decodes as Node does.
  const mosaic = await canvasGrey(figure.locator('[data-mosaic]'));
  const expected = manifoldMosaic(vae, 15, 3);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(mosaic[i]! - expected[i]!));
  expect(worst, 'mosaic after the switch vs Node').toBeLessThanOrEqual(1);
  const handle = figure.locator('[data-handle]');
  await handle.focus();
  await handle.press('ArrowRight');
  await expect.poll(() => shownZ(figure)).toEqual([0.1, 0]);
  await expectDigitMatchesEngine(figure);
  // The other figures of the page run on too: another model's example starts and draws.
  const other = fashion(page);
  await other.scrollIntoViewIfNeeded();
  await expect(other).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(other).toHaveAttribute('data-mosaic-rows', '15');
  expectClean(problems);
});

test('while its weights download, the figure says how many kilobytes have arrived', async ({ page, problems }) => {
  // Hold the decoder's weights back for a moment, so the count can be read mid-way.
  await page.route('**/weights/mnist-conv-z2/decoder/weights.bin', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue().catch(() => {}); // the page may have closed meanwhile
  });
  await page.goto(PAGE);
  const figure = linear(page);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure.locator('[data-status]')).toContainText(/Loading the model: \d+ (of \d+ )?kB/, { timeout: 60_000 });
  await expect(figure).toHaveAttribute('data-state', 'ready');
  expectClean(problems);
});

test('a tap on a phone moves the handle there @phone', async ({ page, problems }) => {
  const figure = await openFigure(page);
  const box = (await figure.locator('[data-plane]').boundingBox())!;
  await page.touchscreen.tap(box.x + box.width * 0.25, box.y + box.height * 0.75);
  await expect.poll(async () => (await shownZ(figure))[0]).toBeCloseTo(-1.5, 1);
  await expect.poll(async () => (await shownZ(figure))[1]).toBeCloseTo(-1.5, 1);
  await expectDigitMatchesEngine(figure);
  expectClean(problems);
});

test('missing weights: the figure says so and the rest of the page keeps working', async ({ page, problems }) => {
  await page.route('**/weights/mnist-conv-z2/decoder/weights.bin', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(PAGE);
  const figure = linear(page);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'error');
  await expect(figure.locator('[data-status]')).toContainText('could not be loaded');
  await expect(figure.locator('[data-status]')).toContainText('decoder/weights.bin');
  await page.getByRole('button', { name: /light and dark/ }).click();
  // Another model's example still starts and draws.
  const other = fashion(page);
  await other.scrollIntoViewIfNeeded();
  await expect(other).toHaveAttribute('data-state', 'ready');
  expect(problems.errors).toEqual([]);
  expect(problems.offsiteRequests, 'requests that left the site').toEqual([]);
  // The browser itself logs the injected 404; nothing else may complain.
  expect(problems.consoleErrors.filter((m) => !m.includes('404'))).toEqual([]);
});

test('corrupt weights (a truncated shard) give a clear message, not a crash', async ({ page, problems }) => {
  await page.route('**/weights/mnist-conv-z2/encoder/weights.bin', async (route) => {
    // Another figure of the page may still be asking for the shard when the test ends and
    // the page closes; the fetch then fails, and that must not end the test worker.
    try {
      const response = await route.fetch();
      const body = await response.body();
      await route.fulfill({ response, body: body.subarray(0, 1000) });
    } catch {
      await route.abort().catch(() => {});
    }
  });
  await page.goto(PAGE);
  const figure = linear(page);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'error');
  await expect(figure.locator('[data-status]')).toContainText(/truncated or corrupt/);
  expectClean(problems);
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('a model.json that is not JSON gives a clear message, and the other figures still run', async ({ page, problems }) => {
  await page.route('**/weights/mnist-conv-z2/decoder/model.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"modelTopology": ' }));
  await page.goto(PAGE);
  const figure = linear(page);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'error');
  await expect(figure.locator('[data-status]')).toContainText('decoder/model.json');
  await expect(figure.locator('[data-status]')).toContainText(/not valid JSON/);
  // Another model's example still decodes.
  const other = fashion(page);
  await other.scrollIntoViewIfNeeded();
  await expect(other).toHaveAttribute('data-state', 'ready');
  expectClean(problems);
});

test('the backend is measured on first visit (or, with one candidate, started untimed), remembered after, and the reader can override it', async ({ page, problems }) => {
  const figure = await openFigure(page);
  const status = figure.locator('[data-status]');
  await expect(status).toContainText('cpu: not timed, the fallback where wasm and WebGL fail');
  const active = await figure.getAttribute('data-active-backend');
  const said = (await status.textContent()) ?? '';
  if (said.includes('the one fast backend here (')) {
    // WebGL renders in software here: wasm is started without timing anything, and nothing is remembered.
    expect(said).toMatch(/webgl: software rendering/);
    expect(await page.evaluate(() => localStorage.getItem('latent-lab-backend-decode-fastest'))).toBeNull();
    await page.evaluate((backend) => localStorage.setItem('latent-lab-backend-decode-fastest', backend!), active);
  } else {
    expect(said).toMatch(/measured fastest here \(.*(wasm|webgl) [\d.]+ ms per digit/);
    expect(await page.evaluate(() => localStorage.getItem('latent-lab-backend-decode-fastest'))).toBe(active);
  }
  await page.reload();
  const again = await openFigure(page);
  await expect(again.locator('[data-status]')).toContainText('measured fastest on this device before');
  await expect(again).toHaveAttribute('data-active-backend', active!);
  // Override: decode on the pure-JS cpu backend; the digit must still be the engine's decode.
  await again.getByRole('combobox', { name: 'Backend' }).selectOption('cpu');
  await expect(again).toHaveAttribute('data-active-backend', 'cpu');
  await expect(again.locator('[data-status]')).toContainText('as you chose');
  await again.locator('[data-handle]').press('ArrowRight');
  await expect.poll(() => shownZ(again)).toEqual([0.1, 0]);
  await expectDigitMatchesEngine(again);
  expect(await page.evaluate(() => localStorage.getItem('latent-lab-backend-decode-choice'))).toBe('cpu');
  await again.getByRole('combobox', { name: 'Backend' }).selectOption('auto');
  await expect(again.locator('[data-status]')).toContainText('measured fastest on this device before');
  expectClean(problems);
});

test('?backend= in the URL picks the backend for one visit', async ({ page, problems }) => {
  await page.goto(figurePage('latent-manifold', '?backend=cpu'));
  const figure = linear(page);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure).toHaveAttribute('data-active-backend', 'cpu');
  await expectDigitMatchesEngine(figure);
  expectClean(problems);
});

test('the ring’s position lives in the URL: a shared link opens at that point, and moving the ring updates the link', async ({ page, problems }) => {
  await page.goto(figurePage('latent-manifold', '?mnist-conv-z2.z=1.5,-0.5'));
  const figure = linear(page);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure).toHaveAttribute('data-z', '1.5,-0.5');
  await expectDigitMatchesEngine(figure);
  await figure.locator('[data-handle]').focus();
  await page.keyboard.press('ArrowUp');
  await expect(figure).toHaveAttribute('data-z', '1.5,-0.4');
  await expect.poll(() => new URL(page.url()).searchParams.get('mnist-conv-z2.z')).toBe('1.5,-0.4');
  // The link reproduces it.
  await page.goto(page.url());
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-z', '1.5,-0.4');
  expectClean(problems);
});

test('a link with a point outside the plane or not a point says so and starts at a sensible place', async ({ page, problems }) => {
  const figure = linear(page);
  await page.goto(figurePage('latent-manifold', '?mnist-conv-z2.z=9,-1'));
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure).toHaveAttribute('data-z', '3,-1');
  await expect(figure.locator('[data-status]')).toContainText('outside the plane shown');
  await page.goto(figurePage('latent-manifold', '?mnist-conv-z2.z=left'));
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure).toHaveAttribute('data-z', '0,0');
  await expect(figure.locator('[data-status]')).toContainText('is not two numbers');
  expectClean(problems);
});
