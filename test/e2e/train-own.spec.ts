/**
 * The training panel on a reader's own images (the example `own` on /figures/train-in-page/):
 * the toy shapes prepared on /figures/own-data/ are found in this browser, the panel trains on
 * every one of them with a falling loss, colours the test codes by the reader's classes, keeps
 * its model beside the dataset (restored on reload, apart from the site panels' model), refuses
 * a model trained on other data, and forgets the model with the dataset. No request carries an
 * image: every request is a GET of the site's own files.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { initBackend } from '../../src/vae/backend.ts';
import { decodeBundle, encodeBundle } from '../../src/vae/bundle.ts';
import { encodeGreyPng, encodePng } from '../../src/vae/grey-png.ts';
import { columnVariances, meanCode, traversalCodes } from '../../src/vae/code-stats.ts';
import { decode, encode, sample } from '../../src/vae/infer.ts';
import { loadBundle } from '../../src/vae/io.ts';
import { manifoldCodes, tileDigits } from '../../src/vae/manifold.ts';
import { colourOver, prepareImage } from '../../src/vae/prepare-image.ts';
import { scatterView } from '../../src/vae/panel-recipe.ts';
import { toyShapes } from '../../src/vae/toy-shapes.ts';
import { example, figurePage } from '../lib/figures.ts';
import { canvasGrey, canvasRgb, expect, expectClean, test } from './fixtures.ts';

test.describe.configure({ timeout: 240_000 });

const stepOf = async (fig: Locator) => Number((await fig.getAttribute('data-step')) ?? 0);

async function prepareToys(page: Page): Promise<void> {
  await page.goto(figurePage('own-data'));
  const figure = page.locator('own-data').first();
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await figure.getByRole('button', { name: 'Toy shapes' }).click();
  await expect(figure.locator('[data-summary]')).toHaveText('2,000 images in 4 classes: 1,800 to train on, 200 held out to test.', { timeout: 60_000 });
  await expect(figure.locator('[data-status]')).toContainText('kept it in this browser');
}

async function openPanel(page: Page): Promise<Locator> {
  await page.goto(`${figurePage('train-in-page')}?testhooks&workers=1&train.arch=mlp`);
  const fig = example(page, 'train-in-page', 'own').locator('train-in-page');
  await fig.scrollIntoViewIfNeeded();
  return fig;
}

test('trains on the prepared toy shapes, keeps the model beside them, and forgets it with them', async ({ page, problems }) => {
  const requests: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'http:' && req.method() !== 'GET') requests.push(`${req.method()} ${url.pathname}`);
    else if (url.protocol === 'http:' && !existsSync(join(process.cwd(), 'dist', decodeURIComponent(url.pathname).replace(/\/$/, '/index.html')))) requests.push(`GET ${url.pathname}`);
  });
  const before = await openPanel(page);
  await expect(before.locator('[data-status]')).toHaveText('Prepare a dataset in the figure above first (your pictures, drawings or the toy shapes); then Train trains on it here.');
  await expect(before.locator('[data-setting="dataset"]')).toHaveCount(0);

  await prepareToys(page);
  const fig = await openPanel(page);
  await expect(fig.locator('[data-status]')).toHaveText(/^Press Train to train a fresh VAE on your 1,800 training images \(Toy shapes\).*the 200 held out are its test images\. Nothing is downloaded or uploaded\.$/);
  await expect(fig.locator('[data-legend] li')).toHaveText(['circle', 'cross', 'square', 'triangle']);
  await fig.getByRole('button', { name: /^Train/ }).click();
  await expect(fig).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(fig.locator('[data-status]')).toContainText('1,800');
  await expect.poll(() => stepOf(fig), { timeout: 120_000 }).toBeGreaterThan(60);
  await fig.getByRole('button', { name: 'Pause' }).click();
  await expect(fig).toHaveAttribute('data-state', 'paused');
  await expect(fig).toHaveAttribute('data-saved', /.+/);
  await expect(fig).toHaveAttribute('data-test-loss', /^\d/);
  const losses = await page.evaluate(() => window.latentLabTrainLosses ?? []);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(mean(losses.slice(-10)), 'the loss falls').toBeLessThan(mean(losses.slice(0, 10)) - 30);
  const steps = await stepOf(fig);

  // The model comes back after a reload, with the dataset it was trained on; the site panel's slot stays empty.
  const again = await openPanel(page);
  await expect(again).toHaveAttribute('data-restored', 'restored', { timeout: 60_000 });
  await expect(again).toHaveAttribute('data-step', String(steps));
  const full = example(page, 'train-in-page', 'full').locator('train-in-page');
  await full.scrollIntoViewIfNeeded();
  await expect(full).not.toHaveAttribute('data-settled', 'false');
  await expect(full).not.toHaveAttribute('data-restored', /.+/);

  // Its download is a model of the reader's images; the same weights said to be of MNIST are refused here, and the panel keeps its own.
  await again.scrollIntoViewIfNeeded();
  const download = page.waitForEvent('download');
  await again.getByRole('button', { name: 'Download model' }).click();
  const bundle = decodeBundle(new Uint8Array(await readFile(await (await download).path())));
  expect(bundle.spec.dataset).toBe('own');
  expect(bundle.meta.steps).toBe(steps);
  const mnist = encodeBundle({ ...bundle, spec: { ...bundle.spec, dataset: 'mnist' } });
  await again.getByLabel('Open a model file…').setInputFiles({ name: 'mnist.vae', mimeType: 'application/octet-stream', buffer: Buffer.from(mnist) });
  await expect(again.locator('[data-model-note]')).toHaveText('Could not open mnist.vae: It was trained on MNIST digits; this panel trains on your own images, so open it in a panel on that data. Your current model is unchanged.');
  await expect(again).toHaveAttribute('data-step', String(steps));

  // Forgetting the dataset forgets its model.
  await page.goto(figurePage('own-data'));
  const data = page.locator('own-data').first();
  await data.scrollIntoViewIfNeeded();
  await data.getByRole('button', { name: 'Forget it' }).click();
  await expect(data.locator('[data-result]')).toBeHidden();
  const after = await openPanel(page);
  await expect(after.locator('[data-status]')).toHaveText(/^Prepare a dataset in the figure above first/);
  // With no dataset there is nothing to train on: Train waits, disabled, for one.
  await expect(after.getByRole('button', { name: /^Train/ })).toBeDisabled();
  await expect(after).not.toHaveAttribute('data-restored', /.+/);
  expect(requests, 'no request but GETs of the site’s own files').toEqual([]);
  expectClean(problems);
});

/**
 * On /your-data/: the toy shapes prepared, a model trained on them for more than `steps` steps
 * and handed to the figures; returns the figure, Node's copy of the model, the held-out images'
 * indices in the stored dataset, their grey levels and their codes μ in Node.
 */
async function trainAndExplore(page: Page, query: string, steps: number) {
  await initBackend({ prefer: ['wasm'] });
  await page.goto(`/your-data/?testhooks&workers=1&${query}`);
  const data = page.locator('own-data');
  await data.scrollIntoViewIfNeeded();
  await expect(data).toHaveAttribute('data-state', 'ready');
  await data.getByRole('button', { name: 'Toy shapes' }).click();
  await expect(data.locator('[data-summary]')).toHaveText(/^2,000 images in 4 classes/, { timeout: 60_000 });
  const panel = page.locator('train-in-page');
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole('button', { name: /^Train/ }).click();
  await expect.poll(() => stepOf(panel), { timeout: 120_000 }).toBeGreaterThan(steps);
  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(panel).toHaveAttribute('data-state', 'paused');
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download model' }).click();
  const bundle = decodeBundle(new Uint8Array(await readFile(await (await download).path())));
  await panel.getByRole('button', { name: 'Use it in the figures on this page' }).click();

  const explore = page.locator('own-explore');
  await explore.scrollIntoViewIfNeeded();
  await expect(explore).toHaveAttribute('data-step', String(bundle.meta.steps), { timeout: 60_000 });
  await expect(explore).toHaveAttribute('data-settled', 'true');
  await expect(explore.locator('[data-status]')).toHaveText(`Your model after ${bundle.meta.steps} steps, on 200 held-out images.`);

  // Node's view of the same weights and the same held-out images, in the same order.
  const vae = await loadBundle(bundle);
  const stored = await page.evaluate(
    () =>
      new Promise<{ images: number[]; sides: string[] }>((resolve, reject) => {
        const open = indexedDB.open('latent-lab-own', 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('slot').objectStore('slot').get('dataset');
          get.onsuccess = () => resolve({ images: Array.from(get.result.images as Uint8Array), sides: get.result.sides as string[] });
        };
      }),
  );
  const held = stored.sides.flatMap((s, i) => (s === 'test' ? [i] : []));
  const images = Float32Array.from(held.flatMap((i) => stored.images.slice(i * 784, (i + 1) * 784).map((v) => v / 255)));
  return { data, explore, vae, held, stored, mu: encode(vae, images).mu };
}

/** The largest difference between tiles of grey levels (`columns` to a row) and round(255·p) of the decodes `probs`. */
function worstOf(grey: number[], probs: Float32Array, width: number, tiles: number, columns: number): number {
  let worst = 0;
  for (let k = 0; k < tiles; k++) {
    for (let p = 0; p < 784; p++) {
      const g = grey[(Math.floor(k / columns) * 28 + Math.floor(p / 28)) * width + (k % columns) * 28 + (p % 28)]!;
      worst = Math.max(worst, Math.abs(g - Math.round(255 * probs[k * 784 + p]!)));
    }
  }
  return worst;
}

test('on /your-data/ the model handed over is explored as the engine in Node draws it: codes, image and reconstruction, manifold, the way between two images, samples', async ({ page, problems }) => {
  const { data, explore, vae, held, stored, mu } = await trainAndExplore(page, 'train.arch=mlp', 80);
  // The dataset figure counts the model kept beside the dataset.
  await expect(data.locator('[data-storage]')).toHaveText(/^Kept in this browser: your dataset, about 1\.6 MB, and the model trained on it, about [\d.]+ [kM]B\.$/);

  // Pointing at a code shows its image and decode(μ(x)).
  const scatter = explore.locator('[data-scatter]');
  const box = (await scatter.boundingBox())!;
  const { xy, range } = scatterView(mu, held.length, 2);
  const k = 5;
  await page.mouse.move(box.x + ((xy[2 * k]! + range) / (2 * range)) * box.width, box.y + ((range - xy[2 * k + 1]!) / (2 * range)) * box.height);
  const shown = Number(await explore.getAttribute('data-hovered'));
  expect(shown, 'a code near the pointer is picked').toBeGreaterThanOrEqual(0);
  expect(await canvasGrey(explore.locator('[data-image]'))).toEqual(stored.images.slice(held[shown]! * 784, (held[shown]! + 1) * 784));
  expect(worstOf(await canvasGrey(explore.locator('[data-recon]')), decode(vae, mu.subarray(2 * shown, 2 * shown + 2)), 28, 1, 1), 'reconstruction').toBeLessThanOrEqual(2);

  // The manifold, the way between the two picked images and the prior samples.
  await expect(explore.locator('[data-manifold-title]')).toHaveText('The manifold');
  expect(worstOf(await canvasGrey(explore.locator('[data-manifold]')), decode(vae, manifoldCodes(12, 3)), 336, 144, 12), 'manifold').toBeLessThanOrEqual(2);
  const [a, b] = (await explore.getAttribute('data-between'))!.split('-').map(Number) as [number, number];
  expect(a).toBe(0);
  const between = Float32Array.from({ length: 16 }, (_, n) => {
    const t = Math.floor(n / 2) / 7;
    return (1 - t) * mu[2 * a + (n % 2)]! + t * mu[2 * b + (n % 2)]!;
  });
  expect(worstOf(await canvasGrey(explore.locator('[data-between]')), decode(vae, between), 224, 8, 8), 'between').toBeLessThanOrEqual(2);
  await explore.locator('[data-to]').selectOption('7');
  await expect(explore).toHaveAttribute('data-between', '0-7');
  expect(worstOf(await canvasGrey(explore.locator('[data-samples]')), sample(vae, 36, 1).images, 168, 36, 6), 'samples').toBeLessThanOrEqual(2);
  await explore.getByRole('button', { name: 'Draw again' }).click();
  await expect(explore).toHaveAttribute('data-seed', '2');
  expect(worstOf(await canvasGrey(explore.locator('[data-samples]')), sample(vae, 36, 2).images, 168, 36, 6), 'samples, seed 2').toBeLessThanOrEqual(2);
  expectClean(problems);
});

test('on /your-data/ a 4-D model gets a traversal of each unit instead of the manifold, drawn as Node draws it, with its active units counted', async ({ page, problems }) => {
  const { explore, vae, held, mu } = await trainAndExplore(page, 'train.arch=mlp&train.z=4', 40);
  await expect(explore.locator('[data-manifold-title]')).toHaveText('Traversals, one row per unit');
  await expect(explore.locator('[data-axes]')).toHaveText(/^the 4-D codes along the two directions in which they spread most/);
  // Each unit swept from the mean of the held-out codes, computed here from Node's codes.
  const base = meanCode(mu, held.length, 4);
  const canvas = explore.locator('[data-manifold]');
  expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([7 * 28, 4 * 28]);
  expect(worstOf(await canvasGrey(canvas), decode(vae, traversalCodes(base)), 7 * 28, 28, 7), 'traversals').toBeLessThanOrEqual(2);
  const active = columnVariances(mu, held.length, 4).filter((a) => a > 0.01).length;
  await expect(explore).toHaveAttribute('data-active', String(active));
  await expect(explore.locator('[data-manifold-note]')).toContainText(`${active} of 4 units are active`);
  expectClean(problems);
});

test('a dataset with fewer training images than one batch trains on all of them in each batch, and says so', async ({ page, problems }) => {
  const root = mkdtempSync(join(tmpdir(), 'latent-lab-few-'));
  const toys = toyShapes(6, 2);
  for (let i = 0; i < 6; i++) {
    const dir = join(root, 'few', toys.labels[i]! % 2 ? 'odd' : 'even');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${i}.png`), encodeGreyPng(toys.images.subarray(i * 784, (i + 1) * 784), 28, 28));
  }
  await page.goto('/your-data/?testhooks&workers=1&train.arch=mlp');
  const data = page.locator('own-data');
  await data.scrollIntoViewIfNeeded();
  await expect(data).toHaveAttribute('data-state', 'ready');
  await data.locator('[data-pick-folder]').setInputFiles(join(root, 'few'));
  await expect(data.locator('[data-summary]')).toHaveText('6 images in 2 classes: 4 to train on, 2 held out to test.');
  const panel = page.locator('train-in-page');
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole('button', { name: /^Train/ }).click();
  await expect.poll(() => stepOf(panel), { timeout: 120_000 }).toBeGreaterThan(5);
  await expect(panel).toHaveAttribute('data-batch', '4');
  await expect(panel.locator('[data-status]')).toContainText(/Your 4 training images are fewer than one batch of \d+, so each batch holds all of them\./);
  await panel.getByRole('button', { name: 'Stop' }).click();
  rmSync(root, { recursive: true, force: true });
  expectClean(problems);
});

test('in colour: pictures become 32 × 32 × 3 as Node prepares them, the panel trains a colour model, and the explorer draws it as Node does', async ({ page, problems }) => {
  await initBackend({ prefer: ['wasm'] });
  // 40 RGB pictures of 48 × 40 pixels: red discs and blue squares of several sizes and places on white.
  const root = mkdtempSync(join(tmpdir(), 'latent-lab-colour-'));
  const files: { path: string; rgba: Uint8Array }[] = [];
  for (let i = 0; i < 40; i++) {
    const cls = i < 20 ? 'discs' : 'squares';
    const [w, h] = [48, 40];
    const rgba = new Uint8Array(w * h * 4);
    const [cx, cy, r] = [14 + (i % 5) * 4, 12 + (i % 4) * 4, 5 + (i % 7)];
    for (let p = 0; p < w * h; p++) {
      const [x, y] = [p % w, Math.floor(p / w)];
      const inside = cls === 'discs' ? Math.hypot(x - cx, y - cy) < r : Math.max(Math.abs(x - cx), Math.abs(y - cy)) < r;
      rgba.set(inside ? (cls === 'discs' ? [220, 30, 40, 255] : [30, 70, 210, 255]) : [255, 255, 255, 255], 4 * p);
    }
    const path = `${cls}/${String(i).padStart(2, '0')}.png`;
    mkdirSync(join(root, 'paint', cls), { recursive: true });
    writeFileSync(join(root, 'paint', path), encodePng(colourOver(rgba), w, h, 3));
    files.push({ path, rgba });
  }
  await page.goto('/your-data/?testhooks&workers=1&train.arch=mlp');
  const data = page.locator('own-data');
  await data.scrollIntoViewIfNeeded();
  await expect(data).toHaveAttribute('data-state', 'ready');
  await data.getByRole('radio', { name: 'colour, 32 × 32' }).check();
  await expect(data.getByRole('radio', { name: /as MNIST does/ })).toBeDisabled();
  await data.locator('[data-pick-folder]').setInputFiles(join(root, 'paint'));
  await expect(data.locator('[data-summary]')).toHaveText('40 images in 2 classes: 36 to train on, 4 held out to test.', { timeout: 60_000 });
  const strip = data.locator('.own-strip').first();
  // A strip of 32 × 32 pictures side by side.
  const [stripWidth, stripHeight] = await strip.evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
  expect([stripWidth! % 32, stripHeight]).toEqual([0, 32]);

  // What the browser kept is what Node prepares from the same pictures, byte for byte.
  const kept = await page.evaluate(
    () =>
      new Promise<{ images: number[]; sides: string[]; shape: unknown }>((resolve, reject) => {
        const open = indexedDB.open('latent-lab-own', 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('slot').objectStore('slot').get('dataset');
          get.onsuccess = () => resolve({ images: Array.from(get.result.images as Uint8Array), sides: get.result.sides as string[], shape: get.result.shape });
        };
      }),
  );
  expect(kept.shape).toEqual({ height: 32, width: 32, channels: 3 });
  const expected = files.flatMap((f) => Array.from(prepareImage(f.rgba, 48, 40, { colour: true, fit: 'mnist', invert: 'auto' })!));
  expect(kept.images.length).toBe(expected.length);
  let worst = 0;
  for (let k = 0; k < expected.length; k++) worst = Math.max(worst, Math.abs(kept.images[k]! - expected[k]!));
  expect(worst, 'the page’s colour preparation against Node’s').toBeLessThanOrEqual(1);

  // The panel trains a network for 32 × 32 × 3 images.
  const panel = page.locator('train-in-page');
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole('button', { name: /^Train/ }).click();
  await expect.poll(() => stepOf(panel), { timeout: 120_000 }).toBeGreaterThan(30);
  await panel.getByRole('button', { name: 'Pause' }).click();
  await expect(panel).toHaveAttribute('data-state', 'paused');
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download model' }).click();
  const bundle = decodeBundle(new Uint8Array(await readFile(await (await download).path())));
  expect(bundle.spec.image).toEqual({ height: 32, width: 32, channels: 3 });
  // A grey model of the reader's images does not fit this dataset, and is refused with the reason.
  const { image: _colour, ...greySpec } = bundle.spec;
  const grey = encodeBundle({ spec: greySpec, meta: bundle.meta, files: bundle.files });
  await panel.getByLabel('Open a model file…').setInputFiles({ name: 'grey.vae', mimeType: 'application/octet-stream', buffer: Buffer.from(grey) });
  await expect(panel.locator('[data-model-note]')).toContainText('It takes 28 × 28 grey images and your dataset has 32 × 32 × 3 ones');

  await panel.getByRole('button', { name: 'Use it in the figures on this page' }).click();
  const explore = page.locator('own-explore');
  await explore.scrollIntoViewIfNeeded();
  await expect(explore).toHaveAttribute('data-step', String(bundle.meta.steps), { timeout: 60_000 });
  await expect(explore).toHaveAttribute('data-settled', 'true');
  const vae = await loadBundle(bundle);
  const shape = { height: 32, width: 32, channels: 3 };
  const worstAgainst = (canvas: number[], levels: Uint8Array) => canvas.reduce((m, v, k) => Math.max(m, Math.abs(v - levels[k]!)), 0);
  expect(worstAgainst(await canvasRgb(explore.locator('[data-samples]')), tileDigits(sample(vae, 36, 1).images, 6, shape)), 'samples').toBeLessThanOrEqual(2);
  expect(worstAgainst(await canvasRgb(explore.locator('[data-manifold]')), tileDigits(decode(vae, manifoldCodes(12, 3)), 12, shape)), 'manifold').toBeLessThanOrEqual(2);
  rmSync(root, { recursive: true, force: true });
  expectClean(problems);
});
