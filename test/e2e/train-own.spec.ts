/**
 * The training panel on a reader's own images (the example `own` on /figures/train-in-page/):
 * the toy shapes prepared on /figures/own-data/ are found in this browser, the panel trains on
 * every one of them with a falling loss, colours the test codes by the reader's classes, keeps
 * its model beside the dataset (restored on reload, apart from the site panels' model), refuses
 * a model trained on other data, and forgets the model with the dataset. No request carries an
 * image: every request is a GET of the site's own files.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { decodeBundle, encodeBundle } from '../../src/vae/bundle.ts';
import { example, figurePage } from '../lib/figures.ts';
import { expect, expectClean, test } from './fixtures.ts';

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
  await expect(after).not.toHaveAttribute('data-restored', /.+/);
  expect(requests, 'no request but GETs of the site’s own files').toEqual([]);
  expectClean(problems);
});
