/**
 * The latent scatter in Chromium (on /figures/latent-scatter/): it draws the 10,000 precomputed test codes before any TF.js,
 * wasm or weights request; pointing at a dot names that test image and decodes its code exactly
 * as the engine does in Node; the legend hides a class; arrow keys step between dots; zoom can be
 * reset; a missing points file is reported while the rest of the page works.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { decode } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE, type LatentPoints } from '../../src/vae/latents-file.ts';
import type { Vae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { example, figurePage } from '../lib/figures.ts';
import { expect, expectClean, test } from './fixtures.ts';

const PAGE = figurePage('latent-scatter');
/** The VAE's example (the page also shows a plain autoencoder's, a Fashion-MNIST model's and a 16-D model's). */
const model = 'mnist-conv-z2';
let points: LatentPoints;
let vae: Vae;

test.beforeAll(async () => {
  points = decodeLatents(new Uint8Array(await readFile(join(PUBLIC, 'weights', model, LATENTS_FILE))));
  await initBackend({ prefer: ['wasm'] });
  vae = await loadVae(getSpec(model), readPublic, `weights/${model}`);
});

async function openScatter(page: Page): Promise<Locator> {
  await page.goto(PAGE);
  const figure = example(page, 'latent-scatter', 'vae').locator('latent-scatter');
  await expect(figure).toHaveAttribute('data-model', model);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  return figure;
}

/** The test image whose nearest neighbour is farthest away, among the points near the origin. */
function isolatedPoint(): number {
  let best = 0;
  let bestGap = -1;
  for (let i = 0; i < points.count; i += 7) {
    const [a, b] = [points.mu[2 * i]!, points.mu[2 * i + 1]!];
    if (Math.hypot(a, b) > 2) continue;
    let gap = Infinity;
    for (let j = 0; j < points.count; j++) {
      if (j !== i) gap = Math.min(gap, Math.hypot(points.mu[2 * j]! - a, points.mu[2 * j + 1]! - b));
    }
    if (gap > bestGap) [best, bestGap] = [i, gap];
  }
  return best;
}

/** Canvas pixel of a code, for the figure's (unzoomed) square [−range, range]². */
async function positionOf(figure: Locator, i: number): Promise<{ x: number; y: number }> {
  const range = Number(await figure.getAttribute('data-range'));
  const [cx, cy] = (await figure.getAttribute('data-centre'))!.split(',').map(Number) as [number, number];
  const box = (await figure.locator('[data-canvas]').boundingBox())!;
  // The canvas has a 1 px border; its drawing area is the content box.
  const size = box.width - 2;
  return {
    x: box.x + 1 + ((points.mu[2 * i]! - cx + range) / (2 * range)) * size,
    y: box.y + 1 + ((cy + range - points.mu[2 * i + 1]!) / (2 * range)) * size,
  };
}

test('draws all 10,000 test codes without TF.js: with the engine and wasm blocked it still draws them all', async ({ page, problems }) => {
  const blocked: string[] = [];
  await page.route(/\/_astro\/engine[^/]*\.js$|\.wasm$/, (route) => {
    blocked.push(route.request().url());
    return route.abort();
  });
  const figure = await openScatter(page);
  await expect(figure).toHaveAttribute('data-points', '10000');
  await expect(figure).toHaveAttribute('data-visible', '10000');
  const coloured = await figure.locator('[data-canvas]').evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 40) n++;
    return n;
  });
  expect(coloured, 'coloured pixels on the canvas').toBeGreaterThan(5000);
  // Only what this test blocked may have failed (the 16-D example projects its codes with the engine).
  expect(problems.failedRequests.every((r) => blocked.some((b) => r.startsWith(b)))).toBe(true);
  expect(problems.errors).toEqual([]);
  expect(problems.offsiteRequests, 'requests that left the site').toEqual([]);
});

test('pointing at a dot names that test image and decodes its code as the engine does in Node', async ({ page, problems }) => {
  const figure = await openScatter(page);
  const i = isolatedPoint();
  const { x, y } = await positionOf(figure, i);
  await page.mouse.move(x, y);
  await expect(figure).toHaveAttribute('data-chosen', String(i));
  await expect(figure.locator('[data-readout]')).toContainText(`Test image #${i}: ${points.labels[i]}`);
  await expect(figure).toHaveAttribute('data-decoded', String(i), { timeout: 60_000 });
  const grey = await figure.locator('[data-digit]').evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, 28, 28);
    return Array.from({ length: 784 }, (_, k) => data[4 * k]!);
  });
  const expected = decode(vae, [points.mu[2 * i]!, points.mu[2 * i + 1]!]);
  const worst = Math.max(...grey.map((g, k) => Math.abs(g / 255 - expected[k]!)));
  expect(worst).toBeLessThanOrEqual(1 / 255 + 1e-6);
  expectClean(problems);
});

test('the legend hides and shows a class; arrow keys step between dots; zoom can be reset', async ({ page, problems }) => {
  const figure = await openScatter(page);
  const ones = points.labels.filter((y) => y === 1).length;
  const button = figure.locator('.legend button[data-class="1"]');
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await expect(figure).toHaveAttribute('data-visible', String(10_000 - ones));
  await button.click();
  await expect(figure).toHaveAttribute('data-visible', '10000');

  const canvas = figure.locator('[data-canvas]');
  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  const first = Number(await figure.getAttribute('data-chosen'));
  expect(points.mu[2 * first]!, 'ArrowRight from the origin picks a dot to the right').toBeGreaterThan(0);
  await page.keyboard.press('ArrowRight');
  const second = Number(await figure.getAttribute('data-chosen'));
  expect(points.mu[2 * second]!).toBeGreaterThan(points.mu[2 * first]!);
  await expect(figure.locator('[data-readout]')).toContainText(`Test image #${second}:`);

  const reset = figure.locator('[data-reset]');
  await expect(reset).toBeHidden();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await expect(reset).toBeVisible();
  await reset.click();
  await expect(reset).toBeHidden();
  expectClean(problems);
});

test('a missing points file is reported in the figure, and the rest of the page keeps working', async ({ page, problems }) => {
  await page.route(`**/weights/${model}/${LATENTS_FILE}`, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(PAGE);
  const figure = example(page, 'latent-scatter', 'vae').locator('latent-scatter');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'error');
  await expect(figure.locator('[data-status]')).toContainText('could not be loaded');
  // The other examples, with their own points files, still draw.
  const other = example(page, 'latent-scatter', 'autoencoder').locator('latent-scatter');
  await other.scrollIntoViewIfNeeded();
  await expect(other).toHaveAttribute('data-state', 'ready');
  await expect(other).toHaveAttribute('data-visible', '10000');
  expect(problems.failedRequests.every((r) => r.includes(LATENTS_FILE))).toBe(true);
  // The browser itself logs the injected 404; nothing else may complain.
  expect(problems.consoleErrors.filter((m) => !m.includes('404'))).toEqual([]);
  expect(problems.errors).toEqual([]);
  expect(problems.offsiteRequests, 'requests that left the site').toEqual([]);
});

test('a tap on a dot picks it on a phone @phone', async ({ page, problems }) => {
  const figure = await openScatter(page);
  const i = isolatedPoint();
  const { x, y } = await positionOf(figure, i);
  await page.touchscreen.tap(x, y);
  await expect(figure).toHaveAttribute('data-chosen', String(i));
  await expect(figure.locator('[data-readout]')).toContainText(`Test image #${i}:`);
  expectClean(problems);
});
