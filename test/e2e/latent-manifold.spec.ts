/**
 * The manifold's Gaussian grid and the interpolation figure in Chromium, on their catalogue
 * pages. The manifold's Gaussian grid: the toggle redraws the mosaic exactly as
 * the engine does in Node, moves the ring to where its code lies on that grid, and goes into the
 * URL; the static previews swap before the model loads. The interpolation figure: each strip
 * decodes its path between the encoder's means of A and B (so both strips start at decode(μ_A)
 * and end at decode(μ_B)), the two paths give different digits, the t slider works by keyboard
 * and by touch, the pair is picked by keyboard or by dragging in the plane, and a malformed link
 * is clamped with a note.
 */
import type { Locator, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { loadSplit, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { decode, encode } from '../../src/vae/infer.ts';
import { pathCodes } from '../../src/vae/interpolate.ts';
import { loadVae } from '../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE, type LatentPoints } from '../../src/vae/latents-file.ts';
import { manifoldMosaic, tileRows } from '../../src/vae/manifold.ts';
import type { Vae } from '../../src/vae/model.ts';
import { normalCdf } from '../../src/vae/normal.ts';
import { bernoulliGrey } from '../../src/vae/pixel-samples.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { figurePage } from '../lib/figures.ts';
import { canvasGrey, expect, expectClean, imageGrey, test, worstDifference } from './fixtures.ts';

const MANIFOLD = figurePage('latent-manifold');
const INTERPOLATION = figurePage('latent-interpolation');
/** The manifold's example that offers both grids. */
const GRID_CHOICE = '#latent-manifold-grid-choice latent-manifold';
/** The digits' interpolation on its catalogue page (the page also has a colour example). */
const INTERP_FIGURE = '#latent-interpolation-paths latent-interpolation';
const MODEL = 'mnist-conv-z2';
const STEPS = 11;
let vae: Vae;
let testSet: ImageSet;
let points: LatentPoints;

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  vae = await loadVae(getSpec(MODEL), readPublic, `weights/${MODEL}`);
  testSet = await loadSplit(readPublic, `data/${getSpec(MODEL).dataset}`, 'test');
  points = decodeLatents(new Uint8Array(await readFile(join(PUBLIC, 'weights', MODEL, LATENTS_FILE))));
});

const meanDiff = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

async function ready(page: Page, selector: string, url: string): Promise<Locator> {
  await page.goto(url);
  const figure = page.locator(selector);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  return figure;
}

/** Digit k (28×28 grey levels) of a strip canvas that holds `STEPS` digits side by side. */
function cell(strip: number[], k: number): number[] {
  const width = STEPS * 28;
  return Array.from({ length: 784 }, (_, p) => strip[Math.floor(p / 28) * width + k * 28 + (p % 28)]!);
}

/** The encoder's means of test images a and b, and the decodes of both paths between them, as in Node. */
function expected(a: number, b: number) {
  const { mu } = encode(vae, toFloat(testSet, [a, b]));
  const za = mu.slice(0, 2);
  const zb = mu.slice(2, 4);
  return {
    za,
    zb,
    linear: decode(vae, pathCodes('linear', za, zb, STEPS)),
    spherical: decode(vae, pathCodes('spherical', za, zb, STEPS)),
  };
}

test('the Gaussian grid: the mosaic is redrawn as the engine draws it, the ring keeps its code, and the URL records the grid', async ({ page, problems }) => {
  const figure = await ready(page, GRID_CHOICE, MANIFOLD);
  await expect(figure).toHaveAttribute('data-mosaic-grid', 'linear');
  const linear = await canvasGrey(figure.locator('[data-mosaic]'));
  expect(worstDifference(linear, manifoldMosaic(vae, 15, 3, undefined, 'linear'))).toBeLessThanOrEqual(1);

  const handle = figure.locator('[data-handle]');
  await handle.focus();
  for (let i = 0; i < 3; i++) await handle.press('Shift+ArrowRight');
  for (let i = 0; i < 2; i++) await handle.press('Shift+ArrowUp');
  await expect(figure).toHaveAttribute('data-z', '1.5,1');
  await expect(figure.locator('[data-mass]')).toContainText('% of the prior’s mass');

  await figure.getByRole('radio', { name: /Gaussian/ }).check();
  await expect(figure).toHaveAttribute('data-grid', 'gaussian');
  await expect(figure).toHaveAttribute('data-mosaic-grid', 'gaussian');
  const gaussian = await canvasGrey(figure.locator('[data-mosaic]'));
  expect(worstDifference(gaussian, manifoldMosaic(vae, 15, 3, undefined, 'gaussian')), 'page mosaic vs the Node mosaic on the Gaussian grid').toBeLessThanOrEqual(1);
  expect(meanDiff(gaussian, linear), 'the two grids show different mosaics').toBeGreaterThan(10);
  await expect.poll(() => new URL(page.url()).searchParams.get(`${MODEL}.grid`)).toBe('gaussian');

  // Same code, new place: (Φ(1.5), 1 − Φ(1)) of the way across and down the plane.
  await expect(figure).toHaveAttribute('data-z', '1.5,1');
  const plane = (await figure.locator('[data-plane]').boundingBox())!;
  await expect
    .poll(async () => {
      const h = (await handle.boundingBox())!;
      return [h.x + h.width / 2 - plane.x - plane.width * normalCdf(1.5), h.y + h.height / 2 - plane.y - plane.height * (1 - normalCdf(1))].map((d) => Math.round(Math.abs(d)) <= 2);
    })
    .toEqual([true, true]);
  await expect(figure.locator('[data-mass]')).toContainText(/0\.44\s%/);
  await expect(figure.locator('[data-mass]')).toContainText('Φ(z) = (0.933, 0.841)');
  const digit = await canvasGrey(figure.locator('[data-digit]'));
  expect(worstDifference(digit.map((v) => v / 255), decode(vae, [1.5, 1])), 'the large digit is still decode(z)').toBeLessThanOrEqual(1 / 255 + 1e-6);

  // A tap on the Gaussian plane lands on z = Φ⁻¹ of where it was tapped.
  await page.mouse.click(plane.x + plane.width * normalCdf(-1), plane.y + plane.height * (1 - normalCdf(0.5)));
  await expect.poll(async () => (await figure.getAttribute('data-z'))!.split(',').map((v) => Math.round(Number(v) * 10) / 10)).toEqual([-1, 0.5]);

  // The link reopens the Gaussian grid.
  await page.goto(page.url());
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure).toHaveAttribute('data-mosaic-grid', 'gaussian');
  await expect(figure.getByRole('radio', { name: /Gaussian/ })).toBeChecked();
  expectClean(problems);
});

test('a sample in place of the mean: every pixel black or white, drawn from the engine’s means, and the URL records it', async ({ page, problems }) => {
  const figure = await ready(page, GRID_CHOICE, MANIFOLD);
  await expect(figure).toHaveAttribute('data-mosaic-pixels', 'mean');
  await figure.getByRole('radio', { name: /a sample/ }).check();
  await expect(figure).toHaveAttribute('data-mosaic-pixels', 'sample');
  await expect.poll(() => new URL(page.url()).searchParams.get(`${MODEL}.pixels`)).toBe('sample');
  const shown = await canvasGrey(figure.locator('[data-mosaic]'));
  expect(shown.every((v) => v === 0 || v === 255), 'every mosaic pixel is black or white').toBe(true);
  // The independent draw: the Node mosaic's means, row r of digits drawn with seed 1000 + r.
  const means = manifoldMosaic(vae, 15, 3, undefined, 'linear');
  const rowPixels = 15 * 28 * 28;
  const drawn = Array.from({ length: 15 }, (_, r) => Array.from(bernoulliGrey(means.slice(r * rowPixels, (r + 1) * rowPixels), 1000 + r))).flat();
  const agree = drawn.filter((v, i) => v === shown[i]).length / drawn.length;
  // A grey level one step apart between the page and Node can flip a pixel; nothing more.
  expect(agree, 'share of pixels equal to the Node draw').toBeGreaterThan(0.999);
  const white = shown.filter((v) => v === 255).length;
  const expected = means.reduce((a, g) => a + g / 255, 0);
  expect(Math.abs(white - expected), `${white} white pixels for Σπ = ${expected.toFixed(0)}`).toBeLessThan(5 * Math.sqrt(expected));
  // The large digit: black and white too, and a new draw each time the ring moves.
  const digit = async () => canvasGrey(figure.locator('[data-digit]'));
  const handle = figure.locator('[data-handle]');
  await handle.focus();
  await handle.press('ArrowRight');
  await expect(figure).toHaveAttribute('data-z', '0.1,0');
  const first = await digit();
  expect(first.every((v) => v === 0 || v === 255)).toBe(true);
  await handle.press('ArrowLeft');
  await handle.press('ArrowRight');
  await expect.poll(async () => (await digit()).some((v, i) => v !== first[i]), 'the same code, drawn again').toBe(true);
  // Back to the mean: the mosaic is the engine's means again, and the URL forgets the choice.
  await figure.getByRole('radio', { name: /the mean/ }).check();
  await expect(figure).toHaveAttribute('data-mosaic-pixels', 'mean');
  expect(worstDifference(await canvasGrey(figure.locator('[data-mosaic]')), means)).toBeLessThanOrEqual(1);
  await expect.poll(() => new URL(page.url()).searchParams.get(`${MODEL}.pixels`)).toBeNull();
  // A link opens on samples; a value that is neither is noted and shows the mean.
  await page.goto(`${MANIFOLD}?${MODEL}.pixels=sample`);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-mosaic-pixels', 'sample');
  await expect(figure.getByRole('radio', { name: /a sample/ })).toBeChecked();
  await page.goto(`${MANIFOLD}?${MODEL}.pixels=noisy`);
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-mosaic-pixels', 'mean');
  await expect(figure.locator('[data-status]')).toContainText('pixels "noisy"');
  expectClean(problems);
});

test('before the model loads, the grid switch swaps the static previews, which match the engine’s mosaics', async ({ page, problems }) => {
  await page.goto(MANIFOLD);
  const figure = page.locator(GRID_CHOICE);
  await expect(figure).toHaveAttribute('data-state', 'idle');
  const linear = figure.locator('img.preview[data-preview-grid="linear"]');
  const gaussian = figure.locator('img.preview[data-preview-grid="gaussian"]');
  expect(worstDifference(await imageGrey(gaussian), manifoldMosaic(vae, 15, 3, undefined, 'gaussian')), 'regenerate with npm run render:preview -- --grid gaussian').toBeLessThanOrEqual(1);
  expect(worstDifference(await imageGrey(linear), manifoldMosaic(vae, 15, 3))).toBeLessThanOrEqual(1);
  // Clicked from script, so the page does not scroll the figure into view and start it.
  await figure.locator('input[value="gaussian"]').evaluate((input: HTMLInputElement) => input.click());
  await expect(figure).toHaveAttribute('data-grid', 'gaussian');
  await expect(figure).toHaveAttribute('data-state', 'idle');
  await expect(gaussian).toBeVisible();
  await expect(linear).toBeHidden();
  await expect(figure.locator('[data-axis-x]')).toHaveText('z₁ = Φ⁻¹(u), u from 0 to 1');
  expectClean(problems);
});

test('before the model loads, the strips show the default pair’s paths as the engine decodes them; the live strips replace them', async ({ page, problems }) => {
  // A short window, so that the figure is not near it when the page opens.
  await page.setViewportSize({ width: 1280, height: 150 });
  await page.goto(INTERPOLATION);
  const figure = page.locator(INTERP_FIGURE);
  await expect(figure).toHaveAttribute('data-state', 'idle');
  const images = figure.locator('img[data-static-strip]');
  await expect(images).toHaveCount(2);
  const want = expected(0, 3);
  const grey = await imageGrey(images.first());
  expect(grey, 'two rows of 11 digits').toHaveLength(2 * STEPS * 784);
  const both = new Float32Array(2 * STEPS * 784);
  both.set(want.linear);
  both.set(want.spherical, STEPS * 784);
  expect(worstDifference(grey, tileRows(both, STEPS)), 'grey levels; regenerate with npm run render:preview -- --interp 0,3').toBeLessThanOrEqual(2);
  for (const kind of ['linear', 'spherical']) {
    const box = (await figure.locator(`[data-strip="${kind}"] canvas`).boundingBox())!;
    const img = (await figure.locator(`[data-strip="${kind}"] img[data-static-strip]`).boundingBox())!;
    expect(Math.abs(img.width - box.width) + Math.abs(img.height - box.height), `the ${kind} static strip covers its canvas`).toBeLessThan(1);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-decoded', '0,3');
  await expect(images).toHaveCount(0);
  expectClean(problems);
});

test('the strips decode both paths between the encoded A and B: they start at decode(μ_A), end at decode(μ_B), and differ between', async ({ page, problems }) => {
  const figure = await ready(page, INTERP_FIGURE, INTERPOLATION);
  await expect(figure).toHaveAttribute('data-decoded', '0,3');
  const want = expected(0, 3);
  const [a1, a2] = (await figure.getAttribute('data-za'))!.split(',').map(Number);
  expect(Math.abs(a1! - want.za[0]!) + Math.abs(a2! - want.za[1]!), 'the page encodes A as Node does').toBeLessThan(1e-4);
  const linear = await canvasGrey(figure.locator('[data-strip="linear"] canvas'));
  const spherical = await canvasGrey(figure.locator('[data-strip="spherical"] canvas'));
  expect(linear).toHaveLength(STEPS * 784);
  for (let k = 0; k < STEPS; k++) {
    const digit = (probs: Float32Array) => probs.subarray(k * 784, (k + 1) * 784);
    expect(worstDifference(cell(linear, k).map((v) => v / 255), digit(want.linear)), `linear digit ${k} vs Node`).toBeLessThanOrEqual(2 / 255);
    expect(worstDifference(cell(spherical, k).map((v) => v / 255), digit(want.spherical)), `spherical digit ${k} vs Node`).toBeLessThanOrEqual(2 / 255);
  }
  const endA = decode(vae, want.za);
  const endB = decode(vae, want.zb);
  for (const strip of [linear, spherical]) {
    expect(worstDifference(cell(strip, 0).map((v) => v / 255), endA), 'first digit = decode(μ_A)').toBeLessThanOrEqual(2 / 255);
    expect(worstDifference(cell(strip, STEPS - 1).map((v) => v / 255), endB), 'last digit = decode(μ_B)').toBeLessThanOrEqual(2 / 255);
  }
  expect(meanDiff(cell(linear, 5), cell(spherical, 5)), 'the midpoints of the two paths decode differently').toBeGreaterThan(15);
  // The originals are the test images themselves.
  const original = await canvasGrey(figure.locator('[data-end="a"] [data-original]'));
  expect(worstDifference(original.map((v) => v / 255), toFloat(testSet, [0]))).toBeLessThanOrEqual(1 / 255);
  await expect(figure.locator('[data-end="a"] [data-mu]')).toHaveText(`μ = (${want.za[0]!.toFixed(2)}, ${want.za[1]!.toFixed(2)})`);
  expectClean(problems);
});

test('the t slider moves by keyboard, the marks follow it, and t goes into the URL', async ({ page, problems }) => {
  const figure = await ready(page, INTERP_FIGURE, INTERPOLATION);
  const slider = figure.getByRole('slider', { name: 't' });
  await expect(slider).toHaveAttribute('aria-valuetext', 't = 0.5');
  const readout = figure.locator('[data-at-t]');
  const before = await readout.textContent();
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(figure).toHaveAttribute('data-t', '0.6');
  await expect(slider).toHaveAttribute('aria-valuetext', 't = 0.6');
  await expect.poll(() => new URL(page.url()).searchParams.get('interp.t')).toBe('0.6');
  expect(await readout.textContent()).not.toBe(before);
  await page.keyboard.press('End');
  await expect(figure).toHaveAttribute('data-t', '1');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(figure).toHaveAttribute('data-t', '0.2');
  // The mark sits on the third digit of each strip.
  for (const kind of ['linear', 'spherical']) {
    const strip = (await figure.locator(`[data-strip="${kind}"] canvas`).boundingBox())!;
    const mark = (await figure.locator(`[data-strip="${kind}"] .mark`).boundingBox())!;
    expect(Math.abs(mark.x + mark.width / 2 - (strip.x + (2.5 / STEPS) * strip.width)), `${kind} mark`).toBeLessThan(4);
  }
  // At t = 0.2 the readout gives the codes on both paths.
  const want = expected(0, 3);
  const z = pathCodes('linear', want.za, want.zb, STEPS).slice(4, 6);
  await expect(readout).toContainText('at t = 0.20');
  await expect(readout.locator('[data-row="linear"] [data-code]')).toHaveText(`(${z[0]!.toFixed(2)}, ${z[1]!.toFixed(2)})`);
  await expect(readout.locator('[data-row="linear"] [data-norm]')).toHaveText(Math.hypot(z[0]!, z[1]!).toFixed(2));
  expectClean(problems);
});

test('A and B are picked by class and by the next button, or by dragging in the plane; each pick is encoded and decoded again', async ({ page, problems }) => {
  const figure = await ready(page, INTERP_FIGURE, INTERPOLATION);
  const a = figure.locator('[data-end="a"]');
  await a.getByRole('combobox', { name: 'Class' }).selectOption('1');
  const ones = Array.from(points.labels.keys()).filter((i) => points.labels[i] === 1);
  await expect(figure).toHaveAttribute('data-decoded', `${ones[0]},3`);
  await a.getByRole('button', { name: /next test image/ }).click();
  await expect(figure).toHaveAttribute('data-decoded', `${ones[1]},3`);
  await expect(a.locator('[data-index]')).toHaveText(`#${ones[1]}`);
  await expect.poll(() => new URL(page.url()).searchParams.get('interp.a')).toBe(String(ones[1]));
  const want = expected(ones[1]!, 3);
  const linear = await canvasGrey(figure.locator('[data-strip="linear"] canvas'));
  expect(worstDifference(cell(linear, 0).map((v) => v / 255), decode(vae, want.za)), 'first digit = decode(μ_A) for the new A').toBeLessThanOrEqual(2 / 255);

  // Drag B to the code of test image #188 (a zero, right of and below the origin).
  const canvas = (await figure.locator('[data-plane]').boundingBox())!;
  const range = 4;
  const at = (z: [number, number]) => ({ x: canvas.x + 1 + ((z[0] + range) / (2 * range)) * (canvas.width - 2), y: canvas.y + 1 + ((range - z[1]) / (2 * range)) * (canvas.height - 2) });
  const target: [number, number] = [points.mu[2 * 188]!, points.mu[2 * 188 + 1]!];
  const from = at([points.mu[6]!, points.mu[7]!]);
  const to = at(target);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => Number(await figure.getAttribute('data-b'))).not.toBe(3);
  const b = Number(await figure.getAttribute('data-b'));
  expect(Math.hypot(points.mu[2 * b]! - target[0], points.mu[2 * b + 1]! - target[1]), 'B is a test image whose code is under the pointer').toBeLessThan(0.05);
  await expect(figure).toHaveAttribute('data-decoded', `${ones[1]},${b}`);
  await expect(figure).toHaveAttribute('data-a', String(ones[1]));
  expectClean(problems);
});

test('a malformed link is clamped or replaced, and the figures say so', async ({ page, problems }) => {
  await page.goto(`${INTERPOLATION}?interp.a=99999&interp.b=abc&interp.t=7`);
  const interp = page.locator(INTERP_FIGURE);
  const note = interp.locator('[data-note]');
  await expect(note).toBeVisible();
  await expect(note).toContainText('test image A 99999, outside 0 to 9999; showing 9999');
  await expect(note).toContainText('test image B "abc", which is not a number; showing 3');
  await expect(note).toContainText('t 7, outside 0 to 1; showing 1');
  await interp.scrollIntoViewIfNeeded();
  await expect(interp).toHaveAttribute('data-decoded', '9999,3');
  await expect(interp).toHaveAttribute('data-t', '1');
  await expect(interp.getByRole('slider', { name: 't' })).toHaveAttribute('aria-valuetext', 't = 1');
  await page.goto(`${MANIFOLD}?${MODEL}.grid=sideways`);
  const manifold = page.locator(GRID_CHOICE);
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-state', 'ready');
  await expect(manifold).toHaveAttribute('data-grid', 'linear');
  await expect(manifold.locator('[data-status]')).toContainText('the grid "sideways", which is not one of linear, gaussian');
  expectClean(problems);
});

test('on a phone the figure fits the screen, and a tap on a strip picks t @phone', async ({ page, problems }) => {
  const figure = await ready(page, INTERP_FIGURE, INTERPOLATION);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'horizontal overflow').toBeLessThanOrEqual(0);
  await figure.locator('[data-strip="spherical"]').scrollIntoViewIfNeeded();
  const strip = (await figure.locator('[data-strip="spherical"] canvas').boundingBox())!;
  await page.touchscreen.tap(strip.x + strip.width * (7.5 / STEPS), strip.y + strip.height / 2);
  await expect(figure).toHaveAttribute('data-t', '0.7');
  expectClean(problems);
});
