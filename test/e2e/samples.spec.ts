/**
 * The random-code grids (on /figures/sample-grid/), checked against the engine in Node: the VAE's grid is
 * sample(vae, 36, seed) and "Draw again" moves to the next seed; the autoencoder's grid decodes
 * codes drawn uniformly from the box its test codes fill, with the seeded generator. Under each,
 * the drawn codes are counted by the class of the nearest test code, as Node counts them, next to
 * the shares of 10,000 seeded draws (the numbers src/claims/latent.json gives the prose).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { displayClaim } from '../../src/claims/format.ts';
import { PUBLIC, readPublic, ROOT } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { classCounts, classLabeller, drawnClassShares, sharesOf, type CodeSource } from '../../src/vae/class-shares.ts';
import { decode, sample } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE, type LatentPoints } from '../../src/vae/latents-file.ts';
import type { Vae } from '../../src/vae/model.ts';
import { bernoulliSample } from '../../src/vae/pixel-samples.ts';
import { createRng } from '../../src/vae/random.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { figurePage } from '../lib/figures.ts';
import { canvasGrey, expect, expectClean, test } from './fixtures.ts';

const models: Record<string, Vae> = {};

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  for (const id of ['mnist-conv-z2', 'mnist-ae-z2']) models[id] = await loadVae(getSpec(id), readPublic, `weights/${id}`);
});

async function openGrid(page: Page, model: string): Promise<Locator> {
  await page.goto(figurePage('sample-grid'));
  const grid = page.locator(`sample-grid[data-model="${model}"]`);
  await grid.scrollIntoViewIfNeeded();
  await expect(grid).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  return grid;
}

/** Asserts the canvas shows `images` (36 digits, 6 × 6) within one grey level. */
async function expectGrid(grid: Locator, images: Float32Array): Promise<void> {
  const grey = await canvasGrey(grid.locator('[data-canvas]'));
  let worst = 0;
  for (let k = 0; k < 36; k++) {
    for (let p = 0; p < 784; p++) {
      const g = grey[(Math.floor(k / 6) * 28 + Math.floor(p / 28)) * 168 + (k % 6) * 28 + (p % 28)]!;
      worst = Math.max(worst, Math.abs(g - Math.round(255 * images[k * 784 + p]!)));
    }
  }
  expect(worst, 'max grey-level difference from the engine in Node').toBeLessThanOrEqual(1);
}

test('the VAE grid decodes 36 prior samples, and Draw again shows the next seed’s', async ({ page, problems }) => {
  const grid = await openGrid(page, 'mnist-conv-z2');
  const seed = Number(await grid.getAttribute('data-seed'));
  await expect(grid).toHaveAttribute('data-drawn', String(seed));
  await expectGrid(grid, sample(models['mnist-conv-z2']!, 36, seed).images);
  await grid.getByRole('button', { name: 'Draw again' }).click();
  await expect(grid).toHaveAttribute('data-drawn', String(seed + 1));
  await expectGrid(grid, sample(models['mnist-conv-z2']!, 36, seed + 1).images);
  expectClean(problems);
});

test('“a sample” draws each pixel from p(x | z) for the same codes, Draw again keeps it, and the URL holds it', async ({ page, problems }) => {
  const grid = await openGrid(page, 'mnist-conv-z2');
  const seed = Number(await grid.getAttribute('data-seed'));
  const vae = models['mnist-conv-z2']!;
  /** Pixels of the canvas that differ from Node's sample (one may sit on its coin's edge on another backend). */
  const differing = async (images: Float32Array) => {
    const grey = await canvasGrey(grid.locator('[data-canvas]'));
    expect(grey.filter((g) => g !== 0 && g !== 255), 'grey levels in a sample').toEqual([]);
    let n = 0;
    for (let k = 0; k < 36; k++) {
      for (let p = 0; p < 784; p++) {
        const g = grey[(Math.floor(k / 6) * 28 + Math.floor(p / 28)) * 168 + (k % 6) * 28 + (p % 28)]!;
        if (g !== 255 * images[k * 784 + p]!) n++;
      }
    }
    return n;
  };
  await grid.getByRole('radio', { name: 'a sample x ~ p(x | z)' }).check();
  await expect(grid).toHaveAttribute('data-pixels', 'sample');
  expect(await differing(bernoulliSample(sample(vae, 36, seed).images, seed))).toBeLessThanOrEqual(3);
  expect(new URL(page.url()).searchParams.get('mnist-conv-z2.pixels')).toBe('sample');
  await expect(grid.locator('[data-status]')).toContainText('Each pixel drawn black or white from p(x | z)');
  await grid.getByRole('button', { name: 'Draw again' }).click();
  await expect(grid).toHaveAttribute('data-drawn', String(seed + 1));
  expect(await differing(bernoulliSample(sample(vae, 36, seed + 1).images, seed + 1))).toBeLessThanOrEqual(3);
  // Back to the mean: the same codes, grey again.
  await grid.getByRole('radio', { name: 'the mean π' }).check();
  await expect(grid).toHaveAttribute('data-pixels', 'mean');
  await expectGrid(grid, sample(vae, 36, seed + 1).images);
  expect(new URL(page.url()).searchParams.get('mnist-conv-z2.pixels')).toBeNull();
  // A link opens in sample mode; a bad value says so and shows the mean.
  await page.goto(figurePage('sample-grid', '?mnist-conv-z2.pixels=sample'));
  await grid.scrollIntoViewIfNeeded();
  await expect(grid).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(grid).toHaveAttribute('data-pixels', 'sample');
  await expect(grid.getByRole('radio', { name: 'a sample x ~ p(x | z)' })).toBeChecked();
  await page.goto(figurePage('sample-grid', '?mnist-conv-z2.pixels=noisy'));
  await grid.scrollIntoViewIfNeeded();
  await expect(grid).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(grid).toHaveAttribute('data-pixels', 'mean');
  await expect(grid.locator('[data-note]')).toContainText('"noisy", which is not one of mean, sample');
  expectClean(problems);
});

test('the autoencoder grid decodes codes drawn uniformly from the box its test codes fill', async ({ page, problems }) => {
  const grid = await openGrid(page, 'mnist-ae-z2');
  const seed = Number(await grid.getAttribute('data-seed'));
  const { mu, count } = decodeLatents(new Uint8Array(await readFile(join(PUBLIC, 'weights', 'mnist-ae-z2', LATENTS_FILE))));
  const xs = Array.from({ length: count }, (_, i) => mu[2 * i]!);
  const ys = Array.from({ length: count }, (_, i) => mu[2 * i + 1]!);
  const box = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)] as const;
  const rng = createRng(seed);
  const codes = Float32Array.from({ length: 72 }, (_, k) => (k % 2 === 0 ? box[0] + (box[1] - box[0]) * rng() : box[2] + (box[3] - box[2]) * rng()));
  await expectGrid(grid, decode(models['mnist-ae-z2']!, codes));
  await expect(grid.locator('[data-status]')).toContainText(`[${box[0].toFixed(1)}, ${box[1].toFixed(1)}]`);
  expectClean(problems);
});

async function testCodes(model: string): Promise<LatentPoints> {
  return decodeLatents(new Uint8Array(await readFile(join(PUBLIC, 'weights', model, LATENTS_FILE))));
}

/** The codes of one draw of the grid, as the page makes them. */
function gridCodes(model: string, from: CodeSource, test: LatentPoints, seed: number): Float32Array {
  if (from === 'prior') return sample(models[model]!, 36, seed).z;
  const xs = Array.from({ length: test.count }, (_, i) => test.mu[2 * i]!);
  const ys = Array.from({ length: test.count }, (_, i) => test.mu[2 * i + 1]!);
  const box = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)] as const;
  const rng = createRng(seed);
  return Float32Array.from({ length: 72 }, (_, k) => (k % 2 === 0 ? box[0] + (box[1] - box[0]) * rng() : box[2] + (box[3] - box[2]) * rng()));
}

const numbers = async (grid: Locator, name: string) => ((await grid.getAttribute(name)) ?? '').split(',').map(Number);

async function claims(): Promise<Record<string, { value: number; digits: number; format?: 'percent' }>> {
  return JSON.parse(await readFile(join(ROOT, 'src', 'claims', 'latent.json'), 'utf8')) as Record<string, { value: number; digits: number; format?: 'percent' }>;
}

for (const [model, from, claim] of [
  ['mnist-conv-z2', 'prior', 'priorShare'],
  ['mnist-ae-z2', 'box', 'boxShare'],
] as const) {
  test(`${model}: the codes of each draw are counted by their nearest test code's class, beside 10,000 draws and the test set`, async ({ page, problems }) => {
    const test = await testCodes(model);
    const labeller = classLabeller(test);
    const grid = await openGrid(page, model);
    const seed = Number(await grid.getAttribute('data-seed'));
    const expected = (s: number) => classCounts(labeller.classesOf(gridCodes(model, from, test, s)));
    const first = expected(seed);
    const second = expected(seed + 1);
    expect(second, 'two draws that Node counts alike would not show a change').not.toEqual(first);

    await expect(grid).toHaveAttribute('data-class-counts', first.join(','));
    expect(first.reduce((a, b) => a + b, 0)).toBe(36);
    const cells = grid.locator('[data-count]');
    await expect(cells).toHaveText(first.map(String));
    await expect(grid.locator('[data-counts-text]')).toContainText(`The 36 codes by the class of the nearest test code: `);
    await grid.getByRole('button', { name: 'Draw again' }).click();
    await expect(grid).toHaveAttribute('data-class-counts', second.join(','));
    await expect(cells).toHaveText(second.map(String));

    // The large sample: the engine's computation in Node, and the claims the prose prints.
    const large = await numbers(grid, 'data-class-shares-large');
    expect(large).toEqual(drawnClassShares(test, from).shares);
    const testShares = await numbers(grid, 'data-class-shares-test');
    expect(testShares).toEqual(sharesOf(classCounts(test.labels)));
    const stored = await claims();
    const rows = grid.locator('tbody tr');
    for (let c = 0; c < 10; c++) {
      expect(Math.abs(large[c]! - stored[`latent.${claim}${c}`]!.value), `class ${c} against latent.${claim}${c}`).toBeLessThan(5e-5);
      expect(Math.abs(testShares[c]! - stored[`latent.testShare${c}`]!.value)).toBeLessThan(5e-5);
    }
    // The table prints the shares as the prose does: whole percentages.
    await expect(rows.nth(2).locator('td')).toHaveText(large.map((v) => displayClaim({ value: v, digits: 0, format: 'percent' }).text));
    await expect(rows.nth(3).locator('td')).toHaveText(testShares.map((v) => displayClaim({ value: v, digits: 0, format: 'percent' }).text));
    expectClean(problems);
  });
}

test('a 16-D model’s grid has no class readout: there is no plane to find the nearest test code in', async ({ page, problems }) => {
  await page.goto(figurePage('sample-grid'));
  const grid = page.locator('sample-grid[data-model="mnist-conv-z16"]');
  await expect(grid).toHaveCount(1);
  await expect(grid.locator('[data-class-readout]')).toHaveCount(0);
  expect(await grid.getAttribute('data-class-shares-large')).toBeNull();
  expectClean(problems);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`@phone the class readout fits a phone's width and passes axe, ${scheme} mode`, async ({ page, problems }, info) => {
    await page.emulateMedia({ colorScheme: scheme });
    for (const model of ['mnist-ae-z2', 'mnist-conv-z2']) {
      const grid = await openGrid(page, model);
      await expect(grid).toHaveAttribute('data-class-counts', /^\d+(,\d+){9}$/);
      const readout = grid.locator('[data-class-readout]');
      const width = page.viewportSize()!.width;
      const box = (await readout.boundingBox())!;
      expect(box.x, 'left edge').toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(width);
      // No cell's text spills out of its cell.
      const spills = await readout.locator('th, td').evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
      expect(spills).toEqual([]);
      const { violations } = await new AxeBuilder({ page }).include(`sample-grid[data-model="${model}"]`).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      await readout.screenshot({ path: info.outputPath(`${model}-readout-${scheme}.png`) });
    }
    expectClean(problems);
  });
}
