/**
 * The posterior figure's bounds panel in Chromium, checked against the engine in Node: the k
 * slider's 𝓛_k is Node's from the same draws and falls towards the grid's −log p_θ(x); "Fit q to
 * this digit alone" reports the encoder's 𝓛(x) as Node's quadrature gives it, a per-image optimum
 * no worse than it and no better than −log p_θ(x), and draws the fitted ellipse; k lives in the
 * URL, and a bad k is replaced with a note.
 */
import type { Locator, Page } from '@playwright/test';
import { readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { loadSplit, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { loadVae } from '../../src/vae/io.ts';
import type { Vae } from '../../src/vae/model.ts';
import { boundSpread, logWeightPool, lossByQuadrature, type GaussianCode } from '../../src/vae/posterior-fit.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { logJoint, truePosterior } from '../../src/vae/true-posterior.ts';
import { figurePage } from '../lib/figures.ts';
import { expect, expectClean, test } from './fixtures.ts';

const PAGE = figurePage('posterior-ellipse');
const MODEL = 'mnist-conv-z2';
let vae: Vae;
let testSet: ImageSet;

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  vae = await loadVae(getSpec(MODEL), readPublic, `weights/${MODEL}`);
  testSet = await loadSplit(readPublic, 'data/mnist', 'test');
});

async function openFigure(page: Page, query = '?posterior.image=0'): Promise<Locator> {
  await page.goto(PAGE + query);
  const figure = page.locator('posterior-ellipse');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-drawn', '0', { timeout: 60_000 });
  return figure;
}

/** The q the figure drew from, as its data attributes give it. */
async function figureQ(figure: Locator): Promise<GaussianCode> {
  const mu = (await figure.getAttribute('data-mu'))!.split(',').map(Number);
  const sigma = (await figure.getAttribute('data-sigma'))!.split(',').map(Number);
  return { mu, logVar: sigma.map((s) => 2 * Math.log(s)) };
}

async function exactNll(image: Float32Array, q: GaussianCode): Promise<number> {
  const sigma = [Math.exp(0.5 * q.logVar[0]!), Math.exp(0.5 * q.logVar[1]!)];
  return -(await truePosterior((z) => logJoint(vae, image, z), q.mu, sigma))!.grid.logEvidence;
}

test('the k slider: 𝓛_k from 20,000 draws is Node’s for the same draws, falls with k towards −log p(x), and lives in the URL', async ({ page, problems }) => {
  // 20,000 decodes in the page, beside another worker's tests on two cores.
  test.setTimeout(600_000);
  const figure = await openFigure(page);
  const bounds = figure.locator('[data-bounds]');
  const slider = figure.getByRole('slider', { name: /Importance samples/ });
  await slider.focus();
  await page.keyboard.press('End');
  await expect(slider).toHaveAttribute('aria-valuetext', 'k = 1000');
  await expect(bounds).toHaveAttribute('data-drawn', '20000', { timeout: 480_000 });
  await expect(bounds).toHaveAttribute('data-exact', /\d/, { timeout: 120_000 });
  expect(new URL(page.url()).searchParams.get('posterior.k')).toBe('1000');
  const image = toFloat(testSet, [0]);
  const q = await figureQ(figure);
  const pool = new Float32Array(20_000);
  let filled = 0;
  for (const chunk of logWeightPool(vae, image, q, pool.length, { chunk: 500 })) {
    pool.set(chunk, filled);
    filled += chunk.length;
  }
  const exact = await exactNll(image, q);
  expect(Math.abs(Number(await bounds.getAttribute('data-exact')) - exact), '−log p(x): page vs Node').toBeLessThan(0.02);
  const read = async () => ({ k: Number(await bounds.getAttribute('data-bound-k')), mean: Number(await bounds.getAttribute('data-bound')) });
  const at1000 = await read();
  expect(at1000.k).toBe(1000);
  expect(Math.abs(at1000.mean - boundSpread(pool, 1000).mean), '𝓛_1000: page vs Node').toBeLessThan(0.02);
  await expect(figure.locator('[data-bound-readout]')).toContainText(`𝓛_1000 = ${at1000.mean.toFixed(2)}`);
  await page.keyboard.press('Home');
  await expect(bounds).toHaveAttribute('data-bound-k', '1');
  const at1 = await read();
  expect(Math.abs(at1.mean - boundSpread(pool, 1).mean), '𝓛_1: page vs Node').toBeLessThan(0.02);
  // The bound tightens with k and stays above the exact value (within the spread of 20 runs).
  expect(at1.mean).toBeGreaterThan(at1000.mean);
  expect(at1000.mean).toBeGreaterThan(exact - 0.1);
  await expect(figure.locator('[data-k-chart] polyline')).toHaveCount(1);
  await expect(figure.locator('[data-k-chart] line')).toHaveCount(1);
  expectClean(problems);
});

test('Fit q to this digit alone: the encoder’s 𝓛(x) is Node’s, the optimum lies between it and −log p(x), and its ellipse is drawn', async ({ page, problems }) => {
  test.setTimeout(240_000);
  const figure = await openFigure(page);
  const bounds = figure.locator('[data-bounds]');
  await figure.getByRole('button', { name: 'Fit q to this digit alone' }).click();
  await expect(bounds).toHaveAttribute('data-fit-loss', /\d/, { timeout: 180_000 });
  const image = toFloat(testSet, [0]);
  const q = await figureQ(figure);
  const encoder = Number(await bounds.getAttribute('data-encoder-loss'));
  const fitted = Number(await bounds.getAttribute('data-fit-loss'));
  const exact = Number(await bounds.getAttribute('data-exact'));
  expect(Math.abs(encoder - lossByQuadrature(vae, image, q).loss), 'encoder 𝓛: page vs Node').toBeLessThan(0.02);
  expect(Math.abs(exact - (await exactNll(image, q))), '−log p(x): page vs Node').toBeLessThan(0.02);
  expect(fitted).toBeLessThan(encoder);
  expect(fitted).toBeGreaterThan(exact - 0.01);
  await expect(figure.locator('[data-gaps]')).toBeVisible();
  await expect(figure.locator('[data-gap-encoder]')).toHaveText(encoder.toFixed(2));
  await expect(figure.locator('[data-gap-fitted]')).toHaveText(fitted.toFixed(2));
  await expect(figure.locator('[data-gap-exact]')).toHaveText(exact.toFixed(2));
  await expect(figure.locator('[data-fit-readout]')).toContainText(`amortization gap is ${(encoder - fitted).toFixed(2)} nats`);
  await expect(figure.locator('[data-fit-readout]')).toContainText(`approximation gap is ${(fitted - exact).toFixed(2)} nats`);
  const fitPixels = await figure.evaluate((el) => {
    const canvas = el.querySelector<HTMLCanvasElement>('[data-plane]')!;
    const colour = getComputedStyle(el.querySelector('.probe-fit')!).color.match(/\d+/g)!.map(Number);
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let k = 0; k < data.length; k += 4) if (data[k] === colour[0] && data[k + 1] === colour[1] && data[k + 2] === colour[2]) n++;
    return n;
  });
  expect(fitPixels, 'pixels of the fitted ellipse').toBeGreaterThan(30);
  // Another digit clears the fit and its numbers.
  await figure.getByRole('button', { name: 'Next test image' }).click();
  await expect(figure).toHaveAttribute('data-drawn', '1', { timeout: 60_000 });
  await expect(figure.locator('[data-gaps]')).toBeHidden();
  await expect(bounds).not.toHaveAttribute('data-fit-loss', /./);
  expectClean(problems);
});

test('a link’s k draws its bounds at once; a k between stops or out of range is replaced, with a note', async ({ page, problems }) => {
  test.setTimeout(180_000);
  let figure = await openFigure(page, '?posterior.image=0&posterior.k=7');
  await expect(figure.locator('[data-note]')).toContainText("not one of the panel's values; using the nearest, 5");
  await expect(figure.locator('[data-bounds]')).toHaveAttribute('data-bound-k', '5', { timeout: 120_000 });
  expect(new URL(page.url()).searchParams.get('posterior.k')).toBe('5');
  figure = await openFigure(page, '?posterior.image=0&posterior.k=5000');
  await expect(figure.locator('[data-note]')).toContainText('clamped to 1000');
  await expect(figure.getByRole('slider', { name: /Importance samples/ })).toHaveAttribute('aria-valuetext', 'k = 1000');
  figure = await openFigure(page, '?posterior.image=0&posterior.k=many');
  await expect(figure.locator('[data-note]')).toContainText('"many" is not a number; using 1');
  expectClean(problems);
});
