/**
 * The drawing pad (on /figures/draw-digit/): a stroke drawn with the mouse is preprocessed, encoded and decoded
 * by both models (checked against the engine in Node); Undo and Clear bring back the empty
 * state; the keyboard path loads a test digit whose reconstructions resemble it; on a phone a
 * finger draws without scrolling the page, and nothing overflows sideways.
 */
import type { Locator, Page } from '@playwright/test';
import { readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { encode } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import type { Vae } from '../../src/vae/model.ts';
import { inkFromAlpha, preprocessDigit } from '../../src/vae/preprocess.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { figurePage } from '../lib/figures.ts';
import { canvasGrey, expect, expectClean, test } from './fixtures.ts';

const MODELS = ['mnist-ae-z2', 'mnist-conv-z2'];
const models: Record<string, Vae> = {};

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  for (const id of MODELS) models[id] = await loadVae(getSpec(id), readPublic, `weights/${id}`);
});

async function openPad(page: Page): Promise<Locator> {
  await page.goto(figurePage('draw-digit'));
  const figure = page.locator('draw-digit');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  // On a phone the figure is taller than the screen: bring the pad itself into view.
  await figure.locator('[data-pad]').scrollIntoViewIfNeeded();
  return figure;
}

/** Points as fractions of the pad's width and height, to page coordinates. */
async function onPad(figure: Locator, points: [number, number][]): Promise<[number, number][]> {
  const box = (await figure.locator('[data-pad]').boundingBox())!;
  return points.map(([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height]);
}

/** A stroke with the mouse: press, move through the points, release. */
async function drawWithMouse(page: Page, figure: Locator, points: [number, number][]): Promise<void> {
  const [first, ...rest] = await onPad(figure, points);
  await page.mouse.move(...first!);
  await page.mouse.down();
  for (const point of rest) await page.mouse.move(...point, { steps: 6 });
  await page.mouse.up();
}

/** Runs the figure has finished so far (each encodes and decodes the pad's input with both models). */
async function runs(figure: Locator): Promise<number> {
  return Number((await figure.getAttribute('data-runs')) ?? 0);
}

/** Waits until a run started after `since` has finished, with the pad still showing a drawing. */
async function resultAfter(figure: Locator, since: number): Promise<void> {
  await expect.poll(() => runs(figure), { timeout: 30_000 }).toBeGreaterThan(since);
  await expect(figure).toHaveAttribute('data-drawn', 'true');
}

const panel = (figure: Locator, id: string) => figure.locator(`[data-result="${id}"]`);

/** A digit's worth of ink: some pixels bright, a fair number lit. */
function expectInk(grey: number[], what: string): void {
  expect(Math.max(...grey), `${what}: brightest pixel`).toBeGreaterThan(150);
  expect(grey.filter((g) => g > 64).length, `${what}: lit pixels`).toBeGreaterThan(20);
}

function correlation(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

async function expectEmpty(figure: Locator): Promise<void> {
  await expect(figure).toHaveAttribute('data-drawn', 'false');
  for (const id of MODELS) {
    await expect(panel(figure, id).locator('[data-code]')).toHaveText('Draw a digit');
    await expect(panel(figure, id)).not.toHaveAttribute('data-code');
    expect(Math.max(...(await canvasGrey(panel(figure, id).locator('[data-recon]')))), `${id}: reconstruction after emptying`).toBe(0);
  }
  expect(Math.max(...(await canvasGrey(figure.locator('[data-input]')))), 'input preview after emptying').toBe(0);
  await expect(figure.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await expect(figure.getByRole('button', { name: 'Clear' })).toBeDisabled();
  await expect(figure.locator('.pad-hint')).toBeVisible();
}

/** The pad's ink as the page reads it: the canvas's opacity. */
async function padInk(figure: Locator): Promise<Float32Array> {
  const rgba = await figure.locator('[data-pad]').evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data));
  return inkFromAlpha(rgba);
}

const SEVEN: [number, number][] = [[0.3, 0.25], [0.5, 0.24], [0.7, 0.25], [0.6, 0.5], [0.5, 0.78]];
const CIRCLE: [number, number][] = Array.from({ length: 13 }, (_, k) => [0.5 + 0.2 * Math.sin((k * Math.PI) / 6), 0.5 - 0.3 * Math.cos((k * Math.PI) / 6)]);

test('a mouse stroke is preprocessed, encoded and decoded by both models; Undo and Clear empty the pad', async ({ page, problems }) => {
  const figure = await openPad(page);
  await expectEmpty(figure);
  const before = await runs(figure);
  await drawWithMouse(page, figure, SEVEN);
  await resultAfter(figure, before);
  await expect(figure).toHaveAttribute('data-marks', '1');

  // The input preview is the engine's preprocessing of what is on the pad.
  const input = preprocessDigit(await padInk(figure), 280, 280);
  expect(input.drawn).toBe(true);
  if (!input.drawn) return;
  const preview = await canvasGrey(figure.locator('[data-input]'));
  expect(Math.max(...preview.map((g, p) => Math.abs(g - Math.round(255 * input.image[p]!)))), 'preview against preprocessDigit in Node').toBeLessThanOrEqual(1);
  expectInk(preview, 'input preview');

  for (const id of MODELS) {
    const result = panel(figure, id);
    await expect(result.locator('[data-code]')).toHaveText(id === 'mnist-ae-z2' ? /^z = \(−?\d+\.\d\d, −?\d+\.\d\d\)$/ : /^μ = \(.+\), σ = \(.+\)$/);
    await expect(result.locator('[data-near]')).toContainText('Nearest test codes: ');
    // The code shown is the engine's code for that input, as Node computes it.
    const [z1, z2] = (await result.getAttribute('data-code'))!.split(',').map(Number);
    const { mu } = encode(models[id]!, input.image);
    expect(Math.hypot(z1! - mu[0]!, z2! - mu[1]!), `${id}: code against encode in Node`).toBeLessThan(2e-3);
    expectInk(await canvasGrey(result.locator('[data-recon]')), `${id} reconstruction`);
  }
  await expect(figure.locator('[data-said]')).toContainText('Plain autoencoder: z = (');

  // Undo removes the only stroke.
  await figure.getByRole('button', { name: 'Undo' }).click();
  await expectEmpty(figure);

  // Two strokes, then Undo takes back only the second, and Clear takes the rest.
  let since = await runs(figure);
  await drawWithMouse(page, figure, SEVEN);
  await resultAfter(figure, since);
  const seven = await panel(figure, 'mnist-conv-z2').getAttribute('data-code');
  since = await runs(figure);
  await drawWithMouse(page, figure, CIRCLE);
  await resultAfter(figure, since);
  await expect(figure).toHaveAttribute('data-marks', '2');
  expect(await panel(figure, 'mnist-conv-z2').getAttribute('data-code')).not.toBe(seven);
  since = await runs(figure);
  await figure.getByRole('button', { name: 'Undo' }).click();
  await resultAfter(figure, since);
  await expect(panel(figure, 'mnist-conv-z2')).toHaveAttribute('data-code', seven!);
  await figure.getByRole('button', { name: 'Clear' }).click();
  await expectEmpty(figure);
  expectClean(problems);
});

test('from the keyboard, Use a test digit gives reconstructions that resemble it', async ({ page, problems }) => {
  const figure = await openPad(page);
  const button = figure.getByRole('button', { name: 'Use a test digit' });
  await button.focus();
  await expect(button).toBeFocused();
  expect(await button.evaluate((el) => el.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none'), 'visible focus').toBe(true);
  const since = await runs(figure);
  await page.keyboard.press('Enter');
  await resultAfter(figure, since);
  await expect(figure).toHaveAttribute('data-test-index', /^\d+$/);
  await expect(figure.locator('[data-pad]')).toHaveAttribute('aria-label', /test digit #\d+, a \d/);
  const input = await canvasGrey(figure.locator('[data-input]'));
  expectInk(input, 'input preview');
  for (const id of MODELS) {
    const recon = await canvasGrey(panel(figure, id).locator('[data-recon]'));
    expectInk(recon, `${id} reconstruction`);
    expect(correlation(input, recon), `${id}: correlation of reconstruction and input`).toBeGreaterThan(0.6);
  }
  await expect(figure.getByRole('button', { name: 'Undo' })).toBeEnabled();
  await figure.getByRole('button', { name: 'Undo' }).press('Enter');
  await expectEmpty(figure);
  expectClean(problems);
});

test('a finger draws on the pad without scrolling the page, and nothing overflows sideways @phone', async ({ page, problems }) => {
  const figure = await openPad(page);
  await expect(figure.locator('[data-pad]')).toHaveCSS('touch-action', 'none');
  const scrolled = await page.evaluate(() => window.scrollY);
  const since = await runs(figure);
  const cdp = await page.context().newCDPSession(page);
  const points = await onPad(figure, [[0.35, 0.2], [0.45, 0.35], [0.5, 0.5], [0.5, 0.65], [0.5, 0.8]]);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', at?: [number, number]) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: at ? [{ x: at[0], y: at[1] }] : [] });
  await touch('touchStart', points[0]);
  for (const point of points.slice(1)) await touch('touchMove', point);
  await touch('touchEnd');
  await resultAfter(figure, since);
  expect(await page.evaluate(() => window.scrollY), 'the page did not scroll under the finger').toBe(scrolled);
  for (const id of MODELS) expectInk(await canvasGrey(panel(figure, id).locator('[data-recon]')), `${id} reconstruction`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
  expectClean(problems);
});
