/**
 * One digit's posterior in Chromium, checked against the engine in Node: the readout's μ and σ
 * are the encoder's for that test image, the solid ellipse is drawn around the readout's μ with
 * σ's widths, every decoded sample is decode(z) of its code; the true posterior on a grid gives
 * Node's evidence and KL, which add up to the loss as importance sampling measures it; the test
 * codes and the digit draw before TF.js; the chosen image lives in the URL, and a bad link is
 * clamped with a note.
 */
import type { Locator, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { loadSplit, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { decode, encode } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { importanceBounds } from '../../src/vae/iwae.ts';
import { decodeLatents, LATENTS_FILE, type LatentPoints } from '../../src/vae/latents-file.ts';
import type { Vae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { klOnGrid, logJoint, truePosterior } from '../../src/vae/true-posterior.ts';
import { figurePage } from '../lib/figures.ts';
import { canvasGrey, expect, expectClean, test } from './fixtures.ts';

const PAGE = figurePage('posterior-ellipse');
const MODEL = 'mnist-conv-z2';
let vae: Vae;
let testSet: ImageSet;
let points: LatentPoints;

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  vae = await loadVae(getSpec(MODEL), readPublic, `weights/${MODEL}`);
  testSet = await loadSplit(readPublic, 'data/mnist', 'test');
  points = decodeLatents(new Uint8Array(await readFile(join(PUBLIC, 'weights', MODEL, LATENTS_FILE))));
});

/** q(z|x) of test image i, from the engine in Node. */
function posteriorOf(i: number): { mu: number[]; sigma: number[] } {
  const { mu, logVar } = encode(vae, toFloat(testSet, [i]));
  return { mu: Array.from(mu), sigma: Array.from(logVar!, (v) => Math.exp(0.5 * v)) };
}

async function openFigure(page: Page, query = ''): Promise<Locator> {
  await page.goto(PAGE + query);
  const figure = page.locator('posterior-ellipse');
  await figure.scrollIntoViewIfNeeded();
  return figure;
}

/** Waits until test image i's samples are drawn. */
async function drawn(figure: Locator, i: number): Promise<void> {
  await expect(figure).toHaveAttribute('data-drawn', String(i), { timeout: 60_000 });
  await expect(figure).toHaveAttribute('data-state', 'ready');
}

async function readout(figure: Locator, what: 'mu' | 'sigma'): Promise<number[]> {
  return Promise.all([0, 1].map(async (u) => Number(await figure.locator(`[data-${what}="${u}"]`).textContent())));
}

function numbers(attr: string | null): number[] {
  expect(attr, 'the figure reports the numbers it drew').toBeTruthy();
  return attr!.split(',').map(Number);
}

async function expectReadoutIsEncoder(figure: Locator, i: number): Promise<void> {
  const q = posteriorOf(i);
  const [mu, sigma] = [await readout(figure, 'mu'), await readout(figure, 'sigma')];
  for (let u = 0; u < 2; u++) {
    expect(Math.abs(mu[u]! - q.mu[u]!), `μ_${u + 1} of test image ${i}`).toBeLessThanOrEqual(6e-4);
    expect(Math.abs(sigma[u]! - q.sigma[u]!), `σ_${u + 1} of test image ${i}`).toBeLessThanOrEqual(6e-4);
  }
}

/** Each decoded sample in the strip equals the engine's decode of the code the figure reports. */
async function expectTilesAreDecodes(figure: Locator): Promise<number[][]> {
  const z = numbers(await figure.getAttribute('data-z'));
  const tiles = figure.locator('[data-tile]');
  const count = await tiles.count();
  expect(z).toHaveLength(2 * count);
  const expected = decode(vae, z);
  const greys: number[][] = [];
  for (let k = 0; k < count; k++) {
    const grey = await canvasGrey(tiles.nth(k));
    let worst = 0;
    for (let p = 0; p < 784; p++) worst = Math.max(worst, Math.abs(grey[p]! / 255 - expected[k * 784 + p]!));
    expect(worst, `sample ${k + 1}: max |tile − decode(z)| per pixel`).toBeLessThanOrEqual(1 / 255 + 1e-6);
    greys.push(grey);
  }
  return greys;
}

/** The bounding box, in canvas pixels, of the pixels painted exactly in the text colour: the 1σ ellipse and the μ cross. */
async function solidEllipseBox(figure: Locator): Promise<{ left: number; right: number; top: number; bottom: number; width: number }> {
  return figure.evaluate((el) => {
    const canvas = el.querySelector<HTMLCanvasElement>('[data-plane]')!;
    const fg = getComputedStyle(el.querySelector('.probe-fg')!).color.match(/\d+/g)!.map(Number);
    const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity, width };
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const k = 4 * (y * width + x);
        if (data[k] === fg[0] && data[k + 1] === fg[1] && data[k + 2] === fg[2] && data[k + 3] === 255) {
          box.left = Math.min(box.left, x);
          box.right = Math.max(box.right, x);
          box.top = Math.min(box.top, y);
          box.bottom = Math.max(box.bottom, y);
        }
      }
    }
    return box;
  });
}

test('the ellipse is centred on the readout’s μ with σ’s widths, and μ, σ and the samples are the engine’s', async ({ page, problems }) => {
  const figure = await openFigure(page);
  await drawn(figure, 0);
  await expectReadoutIsEncoder(figure, 0);
  const mu = await readout(figure, 'mu');
  const sigma = numbers(await figure.getAttribute('data-sigma'));
  const [x0, x1, , y1] = numbers(await figure.getAttribute('data-view'));
  const box = await solidEllipseBox(figure);
  const perUnit = box.width / (x1! - x0!);
  const centre = { x: (box.left + box.right + 1) / 2, y: (box.top + box.bottom + 1) / 2 };
  expect(Math.abs(centre.x - ((mu[0]! - x0!) * perUnit)), 'ellipse centre vs μ₁ (canvas pixels)').toBeLessThanOrEqual(2);
  expect(Math.abs(centre.y - ((y1! - mu[1]!) * perUnit)), 'ellipse centre vs μ₂ (canvas pixels)').toBeLessThanOrEqual(2);
  // The solid ellipse is 1σ: half its box is σ on each axis (plus half the 2-px stroke).
  expect(Math.abs((box.right + 1 - box.left) / 2 - sigma[0]! * perUnit - 1), 'half-width vs σ₁').toBeLessThanOrEqual(2);
  expect(Math.abs((box.bottom + 1 - box.top) / 2 - sigma[1]! * perUnit - 1), 'half-height vs σ₂').toBeLessThanOrEqual(2);
  // The input digit is test image 0 itself.
  const input = await canvasGrey(figure.locator('[data-input]'));
  expect(input).toEqual(Array.from(testSet.images.subarray(0, 784)));
  await expect(figure.locator('[data-input-label]')).toHaveText(`x: #0, a ${testSet.labels[0]}`);
  // Samples come from q: within 5σ of μ, each decoded as the engine decodes it.
  const z = numbers(await figure.getAttribute('data-z'));
  for (let k = 0; k < z.length / 2; k++) {
    for (let u = 0; u < 2; u++) expect(Math.abs(z[2 * k + u]! - mu[u]!) / sigma[u]!).toBeLessThan(5);
  }
  await expectTilesAreDecodes(figure);
  await expect(figure.locator('[data-plane]')).toHaveAttribute('aria-label', /^Test image 0, a 7: q\(z\|x\) is centred at μ = /);
  expectClean(problems);
});

test('before TF.js loads, the test codes, the precomputed μ and the digit draw, and the figure says the encoder is loading', async ({ page, problems }) => {
  const blocked: string[] = [];
  await page.route(/\/_astro\/engine[^/]*\.js$|\.wasm$/, (route) => {
    blocked.push(route.request().url());
    return route.abort();
  });
  const requests: import('@playwright/test').Request[] = [];
  page.on('request', (r) => requests.push(r));
  const figure = await openFigure(page);
  await expect(figure).toHaveAttribute('data-points', '10000');
  await expect(figure.locator('[data-input-label]')).toHaveText(`x: #0, a ${testSet.labels[0]}`);
  const mu = await readout(figure, 'mu');
  expect(Math.abs(mu[0]! - points.mu[0]!)).toBeLessThanOrEqual(6e-4);
  expect(Math.abs(mu[1]! - points.mu[1]!)).toBeLessThanOrEqual(6e-4);
  await expect(figure.locator('[data-sigma="0"]')).toHaveText('…');
  // Either still loading or, once the blocked engine fails, saying so; never pretending.
  await expect(figure.locator('[data-status]')).toContainText(/Loading the encoder|encoder could not be loaded/);
  // The digit came as a range of the test shard, not the whole 7.8 MB file.
  const shard = requests.filter((r) => r.url().endsWith('.images.u8'));
  expect(shard.length).toBeGreaterThan(0);
  for (const r of shard) expect(r.headers()['range'], 'a range request').toBe('bytes=0-783');
  expect(problems.failedRequests.every((r) => blocked.some((b) => r.startsWith(b)))).toBe(true);
  expect(problems.errors).toEqual([]);
  expect(problems.offsiteRequests, 'requests that left the site').toEqual([]);
});

test('without the test codes file the figure says so, and still encodes and samples the digit', async ({ page, problems }) => {
  await page.route(`**/weights/*/${LATENTS_FILE}`, (route) => route.fulfill({ status: 404, body: 'not found' }));
  const figure = await openFigure(page);
  await drawn(figure, 0);
  await expect(figure.locator('[data-status]')).toContainText('codes could not be loaded');
  await expectReadoutIsEncoder(figure, 0);
  await expectTilesAreDecodes(figure);
  expect(problems.failedRequests.every((r) => r.includes(LATENTS_FILE))).toBe(true);
  // The browser itself logs the injected 404; nothing else may complain.
  expect(problems.consoleErrors.filter((m) => !m.includes('404'))).toEqual([]);
  expect(problems.errors).toEqual([]);
  expect(problems.offsiteRequests, 'requests that left the site').toEqual([]);
});

test('the next digit changes μ and the URL; the number field and the keyboard pick digits too', async ({ page, problems }) => {
  const figure = await openFigure(page);
  await drawn(figure, 0);
  const first = await figure.getAttribute('data-mu');
  await figure.getByRole('button', { name: 'Next test image' }).click();
  await drawn(figure, 1);
  expect(await figure.getAttribute('data-mu')).not.toBe(first);
  await expectReadoutIsEncoder(figure, 1);
  await expect.poll(() => new URL(page.url()).searchParams.get('posterior.image')).toBe('1');
  await expectTilesAreDecodes(figure);

  const field = figure.getByRole('spinbutton', { name: 'Test image' });
  await field.fill('3841');
  await field.press('Enter');
  await drawn(figure, 3841);
  await expectReadoutIsEncoder(figure, 3841);
  await expect.poll(() => new URL(page.url()).searchParams.get('posterior.image')).toBe('3841');

  // Keyboard only: Tab from the field to the Next button, then Enter.
  await field.focus();
  await page.keyboard.press('Tab');
  await expect(figure.getByRole('button', { name: 'Next test image' })).toBeFocused();
  await page.keyboard.press('Enter');
  await drawn(figure, 3842);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(figure.getByRole('button', { name: 'Previous test image' })).toBeFocused();
  await page.keyboard.press('Space');
  await drawn(figure, 3841);

  // The link reproduces the digit.
  await page.goto(page.url());
  await figure.scrollIntoViewIfNeeded();
  await drawn(figure, 3841);
  await expect(figure.locator('[data-note]')).toBeHidden();
  expectClean(problems);
});

test('drawing again changes the samples but not μ or σ', async ({ page, problems }) => {
  const figure = await openFigure(page);
  await drawn(figure, 0);
  const [mu, sigma, z] = await Promise.all(['data-mu', 'data-sigma', 'data-z'].map((a) => figure.getAttribute(a)));
  const before = await expectTilesAreDecodes(figure);
  await figure.getByRole('button', { name: 'Draw samples again' }).click();
  await expect(figure).toHaveAttribute('data-seed', '2');
  expect(await figure.getAttribute('data-z')).not.toBe(z);
  expect(await figure.getAttribute('data-mu')).toBe(mu);
  expect(await figure.getAttribute('data-sigma')).toBe(sigma);
  const after = await expectTilesAreDecodes(figure);
  const changed = after.some((grey, k) => grey.some((v, p) => v !== before[k]![p]));
  expect(changed, 'some decoded sample changed').toBe(true);
  expectClean(problems);
});

test('the true posterior on a grid: −log p(x) and KL(q ‖ p(z|x)) are Node’s, add up to the loss, and its contours are drawn', async ({ page, problems }) => {
  test.setTimeout(240_000);
  const figure = await openFigure(page);
  await drawn(figure, 0);
  await figure.getByRole('checkbox', { name: /true posterior/ }).check();
  await expect(figure).toHaveAttribute('data-truth', '0', { timeout: 120_000 });
  // The same grids in Node, from the μ and σ the figure used.
  const mu = numbers(await figure.getAttribute('data-mu'));
  const sigma = numbers(await figure.getAttribute('data-sigma'));
  const x = toFloat(testSet, [0]);
  const { grid } = (await truePosterior((z) => logJoint(vae, x, z), mu, sigma))!;
  const logEvidence = Number(await figure.getAttribute('data-log-evidence'));
  const kl = Number(await figure.getAttribute('data-kl'));
  expect(Math.abs(logEvidence - grid.logEvidence), 'log p(x): page vs Node').toBeLessThanOrEqual(0.02);
  expect(Math.abs(kl - klOnGrid(grid, mu, sigma)), 'KL: page vs Node').toBeLessThanOrEqual(0.02);
  // Independently, by importance sampling from q: the loss 𝓛(x) (the mean of −log w) is −log p(x) + KL,
  // and the importance-weighted bound lies just above −log p(x).
  const bounds = importanceBounds(vae, x, { k: 2000, seed: 5 });
  expect(Math.abs(bounds.elbo[0]! - (-logEvidence + kl)), '𝓛(x) vs −log p(x) + KL').toBeLessThanOrEqual(0.3);
  expect(bounds.iwae[0]! - -logEvidence, 'IWAE bound − (−log p(x))').toBeGreaterThan(-0.2);
  expect(bounds.iwae[0]! - -logEvidence).toBeLessThan(0.5);
  await expect(figure.locator('[data-truth-readout]')).toContainText(`−log p_θ(x) ≈ ${(-logEvidence).toFixed(1)} nats`);
  const truthPixels = await figure.evaluate((el) => {
    const canvas = el.querySelector<HTMLCanvasElement>('[data-plane]')!;
    const colour = getComputedStyle(el.querySelector('.probe-truth')!).color.match(/\d+/g)!.map(Number);
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let k = 0; k < data.length; k += 4) if (data[k] === colour[0] && data[k + 1] === colour[1] && data[k + 2] === colour[2]) n++;
    return n;
  });
  expect(truthPixels, 'pixels of the true posterior’s contours').toBeGreaterThan(50);
  // The box stays ticked: the next digit gets its own grid.
  await figure.getByRole('button', { name: 'Next test image' }).click();
  await drawn(figure, 1);
  await expect(figure).toHaveAttribute('data-truth', '1', { timeout: 120_000 });
  expect(Number(await figure.getAttribute('data-log-evidence'))).not.toBe(logEvidence);
  expectClean(problems);
});

test('a link with an index out of range is clamped, and one that is not a number falls back, each with a note', async ({ page, problems }) => {
  let figure = await openFigure(page, '?posterior.image=12345');
  await drawn(figure, 9999);
  await expect(figure.getByRole('spinbutton', { name: 'Test image' })).toHaveValue('9999');
  await expect(figure.locator('[data-note]')).toBeVisible();
  await expect(figure.locator('[data-note]')).toContainText('numbered 0 to 9,999; showing 9999');
  expect(new URL(page.url()).searchParams.get('posterior.image')).toBe('9999');
  await expect(figure.getByRole('button', { name: 'Next test image' })).toBeDisabled();
  await expectReadoutIsEncoder(figure, 9999);

  figure = await openFigure(page, '?posterior.image=-3');
  await drawn(figure, 0);
  await expect(figure.locator('[data-note]')).toContainText('showing 0');
  await expect(figure.getByRole('button', { name: 'Previous test image' })).toBeDisabled();

  figure = await openFigure(page, '?posterior.image=seven');
  await drawn(figure, 0);
  await expect(figure.locator('[data-note]')).toContainText('must be a whole number from 0 to 9999');
  // Choosing a digit clears the note.
  await figure.getByRole('button', { name: 'Next test image' }).click();
  await drawn(figure, 1);
  await expect(figure.locator('[data-note]')).toBeHidden();
  expectClean(problems);
});

test('nothing overflows the screen on a phone, and a tap picks the next digit @phone', async ({ page, problems }) => {
  const figure = await openFigure(page);
  await drawn(figure, 0);
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('posterior-ellipse *, .posterior-figure figcaption')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 || el.getBoundingClientRect().left < -0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scroll: document.documentElement.scrollWidth, width, wide };
  });
  expect(overflow.wide, 'elements of the figure past the screen edge').toEqual([]);
  expect(overflow.scroll, 'page width').toBeLessThanOrEqual(overflow.width);
  await figure.getByRole('button', { name: 'Next test image' }).tap();
  await drawn(figure, 1);
  await expectReadoutIsEncoder(figure, 1);
  expectClean(problems);
});
