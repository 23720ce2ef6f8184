/**
 * The conditional colour model (emoji-cvae-z2, the emoji labelled by artwork set) on the
 * manifold's catalogue page: the classes are the dataset's artwork sets under the legend
 * "Artwork"; the mosaic and the ring are the engine's decodes given the picked set, channel for
 * channel; the URL keeps the pick (as `.class`) and refuses a set out of range in words. (A colour
 * model ships no static preview: its 15 × 15 mosaic is a PNG larger than the model.)
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { decode } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { manifoldMosaic, PREVIEW_LABEL } from '../../src/vae/manifold.ts';
import type { Vae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { example, figurePage } from '../lib/figures.ts';
import { canvasRgb, expect, expectClean, test, worstDifference } from './fixtures.ts';

const MODEL = 'emoji-cvae-z2';
let vae: Vae;
let classes: string[];

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  vae = await loadVae(getSpec(MODEL), readPublic, `weights/${MODEL}`);
  classes = (JSON.parse(await readFile(join(PUBLIC, 'data', getSpec(MODEL).dataset, 'manifest.json'), 'utf8')) as { classes: string[] }).classes;
});

/** Probabilities as the levels a canvas holds. */
const levels = (probs: Float32Array) => Array.from(probs, (p) => Math.round(255 * p));

async function ready(page: Page, query = ''): Promise<Locator> {
  await page.goto(figurePage('latent-manifold', query));
  const figure = example(page, 'latent-manifold', 'emoji-artwork').locator(`latent-manifold[data-model="${MODEL}"]`);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  return figure;
}

test('the artwork sets are the classes; the mosaic and ring are the engine’s decodes given the picked set, and the URL keeps it', async ({ page, problems }) => {
  expect(classes).toEqual(['Twemoji', 'Noto Emoji']);
  const figure = await ready(page);
  await expect(figure.locator('[data-classes] legend')).toHaveText('Artwork');
  await expect(figure.getByRole('radio', { name: classes[0]!, exact: true })).toBeChecked();
  const mosaic = figure.locator('[data-mosaic]');
  const first = manifoldMosaic(vae, 15, 3, 0);
  expect(worstDifference(await canvasRgb(mosaic), first)).toBeLessThanOrEqual(1);
  await figure.getByRole('radio', { name: classes[1]!, exact: true }).check();
  await expect(figure).toHaveAttribute('data-label', '1');
  const second = manifoldMosaic(vae, 15, 3, 1);
  // The label matters: the two sets' mosaics are not the same picture.
  expect(worstDifference(first, second)).toBeGreaterThan(16);
  await expect.poll(async () => worstDifference(await canvasRgb(mosaic), second)).toBeLessThanOrEqual(1);
  await expect.poll(() => new URL(page.url()).searchParams.get(`${MODEL}.class`)).toBe('1');
  // The ring's large image is decode(z, 1).
  await figure.locator('[data-handle]').focus();
  await page.keyboard.press('Shift+ArrowRight');
  await expect(figure).toHaveAttribute('data-z', '0.5,0');
  expect(worstDifference(await canvasRgb(figure.locator('[data-digit]')), levels(decode(vae, [0.5, 0], 1)))).toBeLessThanOrEqual(1);
  expectClean(problems);
});

test('a link with the second set opens on it, and a set out of range is refused in words', async ({ page, problems }) => {
  let figure = await ready(page, `?${MODEL}.class=1`);
  await expect(figure.getByRole('radio', { name: classes[1]!, exact: true })).toBeChecked();
  expect(worstDifference(await canvasRgb(figure.locator('[data-mosaic]')), manifoldMosaic(vae, 15, 3, 1))).toBeLessThanOrEqual(1);
  figure = await ready(page, `?${MODEL}.class=2`);
  await expect(figure.locator('[data-status]')).toContainText('must be a whole number from 0 to 1');
  await expect(figure.getByRole('radio', { name: classes[PREVIEW_LABEL]!, exact: true })).toBeChecked();
  expectClean(problems);
});

