/**
 * The random-code grids of chapter 1, checked against the engine in Node: the VAE's grid is
 * sample(vae, 36, seed) and "Draw again" moves to the next seed; the autoencoder's grid decodes
 * codes drawn uniformly from the box its test codes fill, with the seeded generator.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { decode, sample } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE } from '../../src/vae/latents-file.ts';
import type { Vae } from '../../src/vae/model.ts';
import { createRng } from '../../src/vae/random.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { canvasGrey, expect, expectClean, test } from './fixtures.ts';

const models: Record<string, Vae> = {};

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  for (const id of ['mnist-conv-z2', 'mnist-ae-z2']) models[id] = await loadVae(getSpec(id), readPublic, `weights/${id}`);
});

async function openGrid(page: Page, model: string): Promise<Locator> {
  await page.goto('/chapters/autoencoders/');
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
