/**
 * The aggregate posterior figure (on /figures/aggregate-posterior/), checked against Node: the
 * holes and the share of prior mass in them, the rate split its facts state, the decoded codes of
 * each source and seed, the count of drawn codes in a hole, the URL state, a bad link, a test
 * codes file without widths, and no tensor left behind by drawing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { loadClassifier } from '../../src/vae/classifier.ts';
import { drawnClassCounts } from '../../src/vae/drawn-classes.ts';
import { cellMasses, DEFAULT_GRID, drawCodes, holes, rateDecomposition, shareInHoles, type DrawSource, type Posteriors2d } from '../../src/vae/aggregate-posterior.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { decode } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { decodeLatents, encodeLatents, LATENTS_FILE } from '../../src/vae/latents-file.ts';
import type { Vae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { figurePage } from '../lib/figures.ts';
import { canvasGrey, expect, expectClean, test } from './fixtures.ts';

const MODEL = 'mnist-conv-z2';
let vae: Vae;
let posteriors: Posteriors2d;
let mask: Uint8Array;

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  vae = await loadVae(getSpec(MODEL), readPublic, `weights/${MODEL}`);
  const points = decodeLatents(new Uint8Array(await readFile(join(PUBLIC, 'weights', MODEL, LATENTS_FILE))));
  posteriors = { count: points.count, mu: points.mu, logVar: points.logVar! };
  mask = holes(cellMasses(posteriors, DEFAULT_GRID)).mask;
});

test('the digits drawn from each source are counted as Node counts them, with the classifier’s accuracy stated', async ({ page, problems }) => {
  const figure = await openFigure(page);
  // Nothing is counted until the reader asks: a few seconds of decoding.
  await expect(figure.locator('[data-share-prior="0"]')).toHaveText('–');
  await figure.getByRole('button', { name: 'Count the digits of 2,000 draws from each' }).click();
  await expect(figure).toHaveAttribute('data-class-counts-aggregate', /\d/, { timeout: 60_000 });
  await expect(figure.getByRole('button', { name: /Count the digits/ })).toBeHidden();
  const classifier = await loadClassifier(readPublic, 'mnist');
  try {
    for (const from of ['prior', 'aggregate'] as const) {
      const node = drawnClassCounts(vae, classifier, posteriors, from);
      const shown = (await figure.getAttribute(from === 'prior' ? 'data-class-counts-prior' : 'data-class-counts-aggregate'))!.split(',').map(Number);
      // A digit on the fence between two classes may fall either way on another backend.
      const moved = shown.reduce((a, n, c) => a + Math.abs(n - node[c]!), 0);
      expect(moved, `${from}: page ${shown}, Node ${node}`).toBeLessThanOrEqual(4);
      expect(shown.reduce((a, b) => a + b, 0)).toBe(2000);
      for (let c = 0; c < 10; c++) await expect(figure.locator(`[data-share-${from}="${c}"]`)).toHaveText(String(Math.round((100 * shown[c]!) / 2000)));
    }
  } finally {
    classifier.dispose();
  }
  const metrics = JSON.parse(await readFile(join(PUBLIC, 'classifiers', 'mnist', 'metrics.json'), 'utf8')) as { testAccuracy: number };
  await expect(figure.locator('.class-table caption')).toContainText(`${(100 * metrics.testAccuracy).toFixed(1)} % right on the test digits`);
  // The prior makes far more zeros than the test set holds; q(z) about as many.
  const zeros = (attr: string) => figure.getAttribute(attr).then((v) => Number(v!.split(',')[0]) / 2000);
  expect(await zeros('data-class-counts-prior')).toBeGreaterThan(0.25);
  expect(Math.abs((await zeros('data-class-counts-aggregate')) - 0.098)).toBeLessThan(0.03);
  expectClean(problems);
});

test('without its classifier the figure says the digits are not counted, and maps and draws go on', async ({ page, problems }) => {
  await page.route('**/classifiers/mnist/weights.bin', (route) => route.fulfill({ status: 404, body: 'not found' }));
  const figure = await openFigure(page);
  await figure.getByRole('button', { name: /Count the digits/ }).click();
  await expect(figure.locator('[data-note]')).toContainText('classifier could not be loaded', { timeout: 60_000 });
  await expect(figure.locator('[data-share-prior="0"]')).toHaveText('–');
  await figure.getByRole('button', { name: 'Draw again' }).click();
  await expectDraw(figure, 'prior', 2);
  expect(problems.failedRequests.every((r) => r.includes('classifiers/mnist/weights.bin'))).toBe(true);
  expect(problems.consoleErrors.filter((m) => !m.includes('404'))).toEqual([]);
  expect(problems.errors).toEqual([]);
});

async function openFigure(page: Page, query = '?testhooks'): Promise<Locator> {
  await page.goto(figurePage('aggregate-posterior', query));
  const figure = page.locator('aggregate-posterior').first();
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  return figure;
}

/** Asserts the decoded grid is Node's decode of `from`'s codes for `seed`, within one grey level, and the hole count is Node's. */
async function expectDraw(figure: Locator, from: DrawSource, seed: number): Promise<void> {
  await expect(figure).toHaveAttribute('data-from', from);
  await expect(figure).toHaveAttribute('data-drawn', String(seed));
  const codes = drawCodes(from, posteriors, 36, seed);
  const images = decode(vae, codes);
  const grey = await canvasGrey(figure.locator('[data-samples]'));
  let worst = 0;
  for (let k = 0; k < 36; k++) {
    for (let p = 0; p < 784; p++) {
      const g = grey[(Math.floor(k / 6) * 28 + Math.floor(p / 28)) * 168 + (k % 6) * 28 + (p % 28)]!;
      worst = Math.max(worst, Math.abs(g - Math.round(255 * images[k * 784 + p]!)));
    }
  }
  expect(worst, 'max grey-level difference from the engine in Node').toBeLessThanOrEqual(1);
  const inHoles = shareInHoles(codes, DEFAULT_GRID, mask).inHoles.filter(Boolean).length;
  await expect(figure).toHaveAttribute('data-in-holes', String(inHoles));
  await expect(figure.locator('[data-readout]')).toContainText(`${inHoles} of 36 codes in a hole`);
}

test('the holes and the rate split are Node’s; prior draws, then q(z) draws, are decoded as the engine does and counted in the holes', async ({ page, problems }) => {
  const figure = await openFigure(page);
  const found = holes(cellMasses(posteriors, DEFAULT_GRID));
  await expect(figure).toHaveAttribute('data-prior-in-holes', found.priorMassInHoles.toFixed(4));
  await expect(figure.locator('[data-fact="prior-in-holes"]')).toHaveText(`${(100 * found.priorMassInHoles).toFixed(1)} %`);
  const split = rateDecomposition(posteriors);
  await expect(figure.locator('[data-fact="information"]')).toHaveText(split.mutualInformation.toFixed(2));
  await expect(figure.locator('[data-fact="marginal-kl"]')).toHaveText(split.marginalKl.toFixed(2));
  expect(split.mutualInformation).toBeLessThanOrEqual(Math.log(posteriors.count));

  await expectDraw(figure, 'prior', 1);
  // Many prior draws land in the holes about as often as the prior's mass there says.
  const priorShare = Number(await figure.getAttribute('data-many-in-holes'));
  expect(Math.abs(priorShare - found.priorMassInHoles)).toBeLessThan(0.02);
  const tensors = await page.evaluate(() => window.latentLabTensors!());

  // The keyboard moves to q(z): codes from a random test image's posterior.
  await figure.getByRole('radio', { name: 'the prior p(z)' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(figure.getByRole('radio', { name: 'q(z)' })).toBeChecked();
  await expectDraw(figure, 'aggregate', 1);
  expect(new URL(page.url()).searchParams.get('aggregate.from')).toBe('aggregate');
  const aggregateShare = Number(await figure.getAttribute('data-many-in-holes'));
  expect(aggregateShare, 'q(z) draws land in a hole far less often than prior draws').toBeLessThan(priorShare / 4);

  await figure.getByRole('button', { name: 'Draw again' }).click();
  await expectDraw(figure, 'aggregate', 2);
  expect(new URL(page.url()).searchParams.get('aggregate.seed')).toBe('2');
  await figure.getByRole('radio', { name: 'the prior p(z)' }).click();
  await expectDraw(figure, 'prior', 2);
  expect(new URL(page.url()).searchParams.get('aggregate.from')).toBeNull();
  expect(await page.evaluate(() => window.latentLabTensors!()), 'tensors alive after four more draws').toBe(tensors);
  expectClean(problems);
});

test('a link’s source and seed are restored; values out of range are replaced, with a note', async ({ page, problems }) => {
  let figure = await openFigure(page, '?aggregate.from=aggregate&aggregate.seed=7');
  await expect(figure.getByRole('radio', { name: 'q(z)' })).toBeChecked();
  await expectDraw(figure, 'aggregate', 7);
  await expect(figure.locator('[data-note]')).toBeEmpty();
  figure = await openFigure(page, '?aggregate.from=box&aggregate.seed=-3');
  await expectDraw(figure, 'prior', 1);
  await expect(figure.locator('[data-note]')).toContainText('"box", which is not one of prior, aggregate');
  await expect(figure.locator('[data-note]')).toContainText('seed "-3"');
  expectClean(problems);
});

test('a test codes file with means but no widths is refused in words, and the page goes on', async ({ page, problems }) => {
  const points = decodeLatents(new Uint8Array(await readFile(join(PUBLIC, 'weights', MODEL, LATENTS_FILE))));
  const meansOnly = encodeLatents({ count: points.count, dims: points.dims, mu: points.mu, labels: points.labels });
  await page.route(`**/weights/${MODEL}/${LATENTS_FILE}`, (route) => route.fulfill({ status: 200, body: Buffer.from(meansOnly), contentType: 'application/octet-stream' }));
  await page.goto(figurePage('aggregate-posterior'));
  const figure = page.locator('aggregate-posterior').first();
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
  await expect(figure.locator('[data-status]')).toContainText('holds the means only');
  await expect(figure.locator('[data-status]')).toContainText('The rest of the page still works');
  await expect(figure.getByRole('button', { name: 'Draw again' })).toBeDisabled();
  // The facts computed at build time still read.
  await expect(figure.locator('[data-fact="prior-in-holes"]')).toHaveText(/\d+\.\d %/);
  expectClean(problems);
});
