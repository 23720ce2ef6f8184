/**
 * The figures with a colour model (32 × 32 × 3 emoji), on their catalogue pages: every painted
 * canvas holds the engine's own images channel for channel. The scatter shows the chosen test
 * image as stored, its name and its decoding; the manifold's mosaic and ring are the engine's
 * decodes; the interpolation takes its ends by name (and says so when a name is unknown) and
 * decodes the paths between the encoder's means; the samples are the engine's seeded draws.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { loadSplit, type ImageSet } from '../../src/vae/data.ts';
import { decode, encode, sample } from '../../src/vae/infer.ts';
import { pathCodes, PATH_KINDS } from '../../src/vae/interpolate.ts';
import { loadVae } from '../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE } from '../../src/vae/latents-file.ts';
import { manifoldMosaic, tileDigits, tileRows } from '../../src/vae/manifold.ts';
import type { Vae } from '../../src/vae/model.ts';
import { getSpec, imageShape } from '../../src/vae/spec.ts';
import { example, figurePage } from '../lib/figures.ts';
import { canvasRgb, expect, expectClean, test, worstDifference } from './fixtures.ts';

const MODEL = 'emoji-conv-z2';
const SHAPE = imageShape(getSpec(MODEL));
const PER = SHAPE.height * SHAPE.width * SHAPE.channels;
let vae: Vae;
let testSet: ImageSet;
let names: string[];

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  vae = await loadVae(getSpec(MODEL), readPublic, `weights/${MODEL}`);
  testSet = await loadSplit(readPublic, 'data/emoji', 'test');
  names = (JSON.parse(await readFile(join(PUBLIC, 'data', 'emoji', 'names.json'), 'utf8')) as { test: string[] }).test;
});

/** Test image i's stored levels, 0…255, channels last. */
const stored = (i: number) => testSet.images.subarray(i * PER, (i + 1) * PER);
/** Probabilities as the levels a canvas holds. */
const levels = (probs: Float32Array) => Array.from(probs, (p) => Math.round(255 * p));

async function open(page: Page, entry: string, element: string): Promise<Locator> {
  await page.goto(figurePage(entry));
  const figure = example(page, entry, 'emoji').locator(`${element}[data-model="${MODEL}"]`);
  await figure.scrollIntoViewIfNeeded();
  return figure;
}

test('the scatter shows the chosen emoji as stored, its name, and its code decoded in colour', async ({ page, problems }) => {
  const scatter = await open(page, 'latent-scatter', 'latent-scatter');
  await expect(scatter).toHaveAttribute('data-state', 'ready');
  await expect(scatter).toHaveAttribute('data-points', String(testSet.count));
  await scatter.locator('[data-canvas]').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowUp');
  const chosen = Number(await scatter.getAttribute('data-chosen'));
  await expect(scatter).toHaveAttribute('data-shown', String(chosen));
  await expect(scatter).toHaveAttribute('data-decoded', String(chosen), { timeout: 60_000 });
  expect(worstDifference(await canvasRgb(scatter.locator('[data-original]')), stored(chosen))).toBe(0);
  const points = decodeLatents(new Uint8Array(await readFile(join(PUBLIC, 'weights', MODEL, LATENTS_FILE))));
  const decoded = levels(decode(vae, points.mu.subarray(2 * chosen, 2 * chosen + 2)));
  expect(worstDifference(await canvasRgb(scatter.locator('[data-digit]')), decoded)).toBeLessThanOrEqual(1);
  // A colour image, not a grey one: somewhere the channels differ.
  expect(decoded.some((v, k) => k % 3 === 0 && (v !== decoded[k + 1] || v !== decoded[k + 2]))).toBe(true);
  await expect(scatter.locator('[data-readout]')).toContainText(`Test image #${chosen}: ${names[chosen]} (`);
  await expect(page.locator('figure:has(latent-scatter[data-model="emoji-conv-z2"]) > figcaption')).toContainText(`one of the ${testSet.count} test images`);
  expectClean(problems);
});

test('the colour manifold’s mosaic and ring are the engine’s decodes, channel for channel', async ({ page, problems }) => {
  const figure = await open(page, 'latent-manifold', 'latent-manifold');
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure).toHaveAttribute('data-mosaic-source', 'pretrained');
  const mosaic = figure.locator('[data-mosaic]');
  expect(await mosaic.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([15 * SHAPE.width, 15 * SHAPE.height]);
  expect(worstDifference(await canvasRgb(mosaic), manifoldMosaic(vae, 15, 3))).toBeLessThanOrEqual(1);
  await figure.locator('[data-handle]').focus();
  await page.keyboard.press('Shift+ArrowRight');
  await expect(figure).toHaveAttribute('data-z', '0.5,0');
  expect(worstDifference(await canvasRgb(figure.locator('[data-digit]')), levels(decode(vae, [0.5, 0])))).toBeLessThanOrEqual(1);
  expectClean(problems);
});

test('the interpolation takes its ends by name, refuses an unknown one, and decodes both paths in colour', async ({ page, problems }) => {
  const figure = await open(page, 'latent-interpolation', 'latent-interpolation');
  await expect(figure).toHaveAttribute('data-decoded', `0,269`, { timeout: 60_000 });
  await expect(figure.locator('[data-names] option')).toHaveCount(testSet.count);
  const nameA = figure.locator('[data-end="a"] [data-name]');
  await expect(nameA).toHaveValue(names[0]!);
  // An unknown name: a note, and A stays.
  await nameA.fill('no such emoji');
  await nameA.press('Enter');
  await expect(figure.locator('[data-note]')).toContainText('No held-out image is called “no such emoji”');
  await expect(nameA).toHaveValue(names[0]!);
  await expect(figure).toHaveAttribute('data-a', '0');
  // A name from the list: that test image becomes A.
  const pick = names.findIndex((n, i) => i > 300 && n.endsWith(' · Noto Emoji'));
  await nameA.fill(names[pick]!);
  await nameA.press('Enter');
  await expect(figure).toHaveAttribute('data-a', String(pick));
  await expect(figure.locator('[data-note]')).toBeHidden();
  await expect(figure).toHaveAttribute('data-decoded', `${pick},269`, { timeout: 60_000 });
  expect(page.url()).toContain(`emoji-interp.a=${pick}`);
  expect(worstDifference(await canvasRgb(figure.locator('[data-end="a"] [data-original]')), stored(pick))).toBe(0);
  // The strips decode the paths between the encoder's means of A and B.
  const images = new Float32Array(2 * PER);
  images.set(Array.from(stored(pick), (v) => v / 255));
  images.set(Array.from(stored(269), (v) => v / 255), PER);
  const { mu } = encode(vae, images);
  for (const kind of PATH_KINDS) {
    const expected = tileRows(decode(vae, pathCodes(kind, mu.subarray(0, 2), mu.subarray(2, 4), 11)), 11, SHAPE);
    expect(worstDifference(await canvasRgb(figure.locator(`[data-strip="${kind}"] canvas`)), expected), kind).toBeLessThanOrEqual(2);
  }
  expectClean(problems);
});

test('the colour samples are the engine’s seeded draws, and Draw again draws new ones', async ({ page, problems }) => {
  const grid = await open(page, 'sample-grid', 'sample-grid');
  await expect(grid).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const canvas = grid.locator('[data-canvas]');
  const seed = Number(await grid.getAttribute('data-drawn'));
  expect(worstDifference(await canvasRgb(canvas), tileDigits(sample(vae, 36, seed).images, 6, SHAPE))).toBeLessThanOrEqual(1);
  await grid.getByRole('button', { name: 'Draw again' }).click();
  await expect(grid).toHaveAttribute('data-drawn', String(seed + 1));
  expect(worstDifference(await canvasRgb(canvas), tileDigits(sample(vae, 36, seed + 1).images, 6, SHAPE))).toBeLessThanOrEqual(1);
  expectClean(problems);
});
