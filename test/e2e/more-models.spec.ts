/**
 * The figures with models other than the 2-D MNIST VAE, on their catalogue pages: the
 * conditional VAE's manifold follows the digit the reader picks (every cell and the large digit
 * equal the engine's decodes given that label), and keeps it in the URL; the Fashion-MNIST
 * model's manifold and scatter; the 16-D model's samples and projected codes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { decode, sample } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE } from '../../src/vae/latents-file.ts';
import { manifoldMosaic, PREVIEW_LABEL, tileDigits } from '../../src/vae/manifold.ts';
import type { Vae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { example, figurePage } from '../lib/figures.ts';
import { canvasGrey, expect, expectClean, test, worstDifference } from './fixtures.ts';

const PAGE = figurePage('latent-manifold');
/** The example of each model on /figures/latent-manifold/. */
const EXAMPLE: Record<string, string> = { 'mnist-cvae-z2': 'conditional', 'fashion-conv-z2': 'fashion' };
let cvae: Vae;
let fashion: Vae;

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  cvae = await loadVae(getSpec('mnist-cvae-z2'), readPublic, 'weights/mnist-cvae-z2');
  fashion = await loadVae(getSpec('fashion-conv-z2'), readPublic, 'weights/fashion-conv-z2');
});

async function open(page: Page, model: string): Promise<Locator> {
  await page.goto(PAGE);
  const figure = example(page, 'latent-manifold', EXAMPLE[model]!).locator(`latent-manifold[data-model="${model}"]`);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  return figure;
}

test('the conditional manifold shows the picked digit: mosaic and large digit equal the engine’s decodes given that label', async ({ page, problems }) => {
  const figure = await open(page, 'mnist-cvae-z2');
  await expect(figure.getByRole('radio', { name: String(PREVIEW_LABEL), exact: true })).toBeChecked();
  expect(worstDifference(await canvasGrey(figure.locator('[data-mosaic]')), manifoldMosaic(cvae, 15, 3, PREVIEW_LABEL))).toBeLessThanOrEqual(1);
  await figure.getByRole('radio', { name: '7', exact: true }).check();
  await expect(figure).toHaveAttribute('data-label', '7');
  await expect.poll(async () => worstDifference(await canvasGrey(figure.locator('[data-mosaic]')), manifoldMosaic(cvae, 15, 3, 7))).toBeLessThanOrEqual(1);
  // Move the ring with the keyboard; the large digit is decode(z, 7).
  await figure.locator('[data-handle]').focus();
  await page.keyboard.press('Shift+ArrowRight');
  await expect(figure).toHaveAttribute('data-z', '0.5,0');
  const digit = (await canvasGrey(figure.locator('[data-digit]'))).map((v) => v / 255);
  expect(worstDifference(digit, decode(cvae, [0.5, 0], 7))).toBeLessThanOrEqual(1 / 255 + 1e-6);
  expectClean(problems);
});

test('the preview of the conditional manifold is that of its first digit', async ({ page, problems }) => {
  // The page replaces the preview as soon as the model has drawn the mosaic, so read the
  // preview from the served HTML and the image file rather than from the live page.
  const html = await (await page.request.get(PAGE)).text();
  const src = /<img class="preview"[^>]*src="([^"]*mnist-cvae-z2\/manifold\.png)"/.exec(html)?.[1];
  expect(src, 'the conditional manifold ships its static preview').toBeDefined();
  await page.goto(PAGE);
  const shown = await page.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    return Array.from({ length: data.length / 4 }, (_, i) => data[4 * i]!);
  }, src!);
  expect(worstDifference(shown, manifoldMosaic(cvae, 15, 3, PREVIEW_LABEL)), 'regenerate with npm run render:preview -- --model mnist-cvae-z2').toBeLessThanOrEqual(1);
  expectClean(problems);
});

test('the picked digit lives in the URL, and a digit out of range is refused in words', async ({ page, problems }) => {
  await page.goto(`${PAGE}?mnist-cvae-z2.digit=4`);
  const figure = page.locator('latent-manifold[data-model="mnist-cvae-z2"]');
  await expect(figure).toHaveCount(1);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure.getByRole('radio', { name: '4', exact: true })).toBeChecked();
  expect(worstDifference(await canvasGrey(figure.locator('[data-mosaic]')), manifoldMosaic(cvae, 15, 3, 4))).toBeLessThanOrEqual(1);
  await figure.getByRole('radio', { name: '9', exact: true }).check();
  await expect.poll(() => new URL(page.url()).searchParams.get('mnist-cvae-z2.digit')).toBe('9');
  await page.goto(`${PAGE}?mnist-cvae-z2.digit=12`);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure.locator('[data-status]')).toContainText('must be a whole number from 0 to 9');
  await expect(figure.getByRole('radio', { name: String(PREVIEW_LABEL), exact: true })).toBeChecked();
  expectClean(problems);
});

test('the Fashion-MNIST manifold decodes with the Fashion-MNIST model, and its scatter names clothes', async ({ page, problems }) => {
  const figure = await open(page, 'fashion-conv-z2');
  expect(worstDifference(await canvasGrey(figure.locator('[data-mosaic]')), manifoldMosaic(fashion, 15, 3))).toBeLessThanOrEqual(1);
  await page.goto(figurePage('latent-scatter'));
  const scatter = example(page, 'latent-scatter', 'fashion').locator('latent-scatter[data-model="fashion-conv-z2"]');
  await scatter.scrollIntoViewIfNeeded();
  await expect(scatter).toHaveAttribute('data-state', 'ready');
  await expect(scatter.locator('.legend')).toContainText('Ankle boot');
  await scatter.locator('[data-canvas]').focus();
  await page.keyboard.press('ArrowRight');
  await expect(scatter.locator('[data-readout]')).toContainText(/Test image #\d+: (T-shirt\/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot)/);
  expectClean(problems);
});

test.describe('the 16-D model', () => {
  test('its prior samples equal the engine’s, and its codes are drawn along their principal plane and decoded in full', async ({ page, problems }) => {
    const z16 = await loadVae(getSpec('mnist-conv-z16'), readPublic, 'weights/mnist-conv-z16');
    await page.goto(figurePage('sample-grid'));
    const grid = example(page, 'sample-grid', 'z16').locator('sample-grid[data-model="mnist-conv-z16"]');
    await grid.scrollIntoViewIfNeeded();
    await expect(grid).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    const seed = Number(await grid.getAttribute('data-seed'));
    const expected = tileDigits(sample(z16, 36, seed).images, 6);
    expect(worstDifference(await canvasGrey(grid.locator('[data-canvas]')), expected)).toBeLessThanOrEqual(1);

    await page.goto(figurePage('latent-scatter'));
    const scatter = example(page, 'latent-scatter', 'z16').locator('latent-scatter[data-model="mnist-conv-z16"]');
    await scatter.scrollIntoViewIfNeeded();
    await expect(scatter).toHaveAttribute('data-state', 'ready');
    await expect(scatter).toHaveAttribute('data-dims', '16');
    await expect(scatter.locator('[data-status]')).toContainText('two principal directions');
    await scatter.locator('[data-canvas]').focus();
    await page.keyboard.press('ArrowRight');
    const chosen = Number(await scatter.getAttribute('data-chosen'));
    await expect(scatter).toHaveAttribute('data-decoded', String(chosen), { timeout: 60_000 });
    const points = decodeLatents(new Uint8Array(await readFile(join(PUBLIC, 'weights', 'mnist-conv-z16', LATENTS_FILE))));
    const digit = (await canvasGrey(scatter.locator('[data-digit]'))).map((v) => v / 255);
    expect(worstDifference(digit, decode(z16, points.mu.subarray(chosen * 16, chosen * 16 + 16)))).toBeLessThanOrEqual(1 / 255 + 1e-6);
    expectClean(problems);
  });
});
