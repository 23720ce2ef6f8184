/**
 * The β sweep. The slider (keyboard and pointer) and the link choose a model; the figure
 * then shows exactly what the engine in Node computes for that model: the same 25 prior samples
 * and the same reconstructions of one test digit per class. The rate–distortion plane puts each
 * model at its measured (KL, reconstruction) and draws the line of slope −β through the chosen one.
 */
import type { Locator, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { initBackend } from '../../src/vae/backend.ts';
import { loadSplit, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { reconstruct, sample } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { tileDigits, tileRows } from '../../src/vae/manifold.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { figurePage } from '../lib/figures.ts';
import { canvasGrey, expect, expectClean, test } from './fixtures.ts';

const PAGE = figurePage('beta-sweep');
const BETAS = [0.5, 1, 2, 4, 8];
const SEED = 7;
let testSet: ImageSet;

interface Measured {
  kl: number;
  reconstruction: number;
  iwae: number;
}

async function measured(beta: number): Promise<Measured> {
  const m = JSON.parse(await readFile(join(PUBLIC, 'weights', `mnist-conv-z2-beta${beta}`, 'metrics.json'), 'utf8')) as {
    test: { kl: number; reconstruction: number };
    evaluation: { iwae: { loss: number } };
  };
  return { kl: m.test.kl, reconstruction: m.test.reconstruction, iwae: m.evaluation.iwae.loss };
}

test.beforeAll(async () => {
  await initBackend({ prefer: ['wasm'] });
  testSet = await loadSplit(readPublic, 'data/mnist', 'test');
});

async function openFigure(page: Page, query = ''): Promise<Locator> {
  await page.goto(PAGE + query);
  const figure = page.locator('beta-sweep');
  await figure.scrollIntoViewIfNeeded();
  return figure;
}

async function shown(figure: Locator, beta: number): Promise<void> {
  await expect(figure).toHaveAttribute('data-shown', String(beta), { timeout: 60_000 });
  await expect(figure).toHaveAttribute('data-state', 'ready');
}

function worstDifference(grey: number[], expected: Uint8Array): number {
  expect(grey).toHaveLength(expected.length);
  let worst = 0;
  for (let p = 0; p < grey.length; p++) worst = Math.max(worst, Math.abs(grey[p]! - expected[p]!));
  return worst;
}

/** The canvases hold the engine's samples and reconstructions of the β model, computed here in Node. */
async function expectCanvasesAreEngine(figure: Locator, beta: number): Promise<void> {
  const id = `mnist-conv-z2-beta${beta}`;
  const vae = await loadVae(getSpec(id), readPublic, `weights/${id}`);
  const samples = tileDigits(sample(vae, 25, SEED).images, 5);
  expect(worstDifference(await canvasGrey(figure.locator('[data-samples]')), samples), `β = ${beta}: samples`).toBeLessThanOrEqual(1);
  const first = Array.from({ length: 10 }, (_, c) => testSet.labels.indexOf(c));
  const images = toFloat(testSet, first);
  const both = new Float32Array(20 * 784);
  both.set(images);
  both.set(reconstruct(vae, images, SEED), 10 * 784);
  expect(worstDifference(await canvasGrey(figure.locator('[data-recon]')), tileRows(both, 10)), `β = ${beta}: digits and reconstructions`).toBeLessThanOrEqual(1);
}

/** The plane's data coordinates, read back from its own axis ticks. */
async function planeScale(figure: Locator): Promise<{ rate: (px: number) => number; distortion: (px: number) => number }> {
  const ticks = await figure.locator('[data-rd] .axis > g').evaluateAll((gs) =>
    gs.map((g) => {
      const line = g.querySelector('line')!;
      return { value: Number(g.querySelector('text')!.textContent), x: Number(line.getAttribute('x1')), x2: Number(line.getAttribute('x2')), y: Number(line.getAttribute('y1')), y2: Number(line.getAttribute('y2')) };
    }),
  );
  const across = ticks.filter((t) => t.x === t.x2);
  const up = ticks.filter((t) => t.y === t.y2);
  expect(across.length, 'rate ticks').toBeGreaterThanOrEqual(2);
  expect(up.length, 'distortion ticks').toBeGreaterThanOrEqual(2);
  const linear = (a: { px: number; v: number }, b: { px: number; v: number }) => (px: number) => a.v + ((px - a.px) * (b.v - a.v)) / (b.px - a.px);
  return {
    rate: linear({ px: across[0]!.x, v: across[0]!.value }, { px: across.at(-1)!.x, v: across.at(-1)!.value }),
    distortion: linear({ px: up[0]!.y, v: up[0]!.value }, { px: up.at(-1)!.y, v: up.at(-1)!.value }),
  };
}

/** Each point sits at its model's measured (rate, distortion); the dashed line through the chosen one has slope −β. */
async function expectPlane(figure: Locator, beta: number): Promise<void> {
  const scale = await planeScale(figure);
  for (const [i, b] of BETAS.entries()) {
    const m = await measured(b);
    const circle = figure.locator(`[data-point="${i}"] circle`);
    const [cx, cy] = [Number(await circle.getAttribute('cx')), Number(await circle.getAttribute('cy'))];
    expect(scale.rate(cx), `β = ${b}: rate`).toBeCloseTo(m.kl, 1);
    expect(scale.distortion(cy), `β = ${b}: distortion`).toBeCloseTo(m.reconstruction, 1);
    await expect(figure.locator(`[data-point="${i}"]`)).toHaveClass(b === beta ? /current/ : /^(?!.*current)/);
  }
  const line = figure.locator('[data-tangent]');
  const [x1, y1, x2, y2] = await Promise.all(['x1', 'y1', 'x2', 'y2'].map(async (a) => Number(await line.getAttribute(a))));
  const slope = (scale.distortion(y2!) - scale.distortion(y1!)) / (scale.rate(x2!) - scale.rate(x1!));
  expect(slope, 'the dashed line’s slope is −β').toBeCloseTo(-beta, 3);
  const m = await measured(beta);
  const through = scale.distortion(y1!) + beta * scale.rate(x1!);
  expect(through, 'the dashed line passes through the chosen model').toBeCloseTo(m.reconstruction + beta * m.kl, 3);
}

async function expectReadout(figure: Locator, beta: number): Promise<void> {
  const m = await measured(beta);
  const text = (await figure.locator('[data-readout]').textContent())!;
  expect(text).toContain(`β = ${beta}: rate ${m.kl.toFixed(2)}, distortion ${m.reconstruction.toFixed(2)} nats`);
  expect(text).toContain(`IWAE bound ${m.iwae.toFixed(2)}`);
}

test('the slider walks the β models by keyboard and pointer, and each shows what the engine computes', async ({ page, problems }) => {
  const figure = await openFigure(page);
  await shown(figure, 1);
  await expectCanvasesAreEngine(figure, 1);
  await expectPlane(figure, 1);
  await expectReadout(figure, 1);

  const slider = figure.getByRole('slider', { name: /KL weight/ });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await shown(figure, 8);
  await expect(slider).toHaveAttribute('aria-valuetext', 'β = 8');
  await expect(page).toHaveURL(/[?&]beta\.beta=8(&|$)/);
  await expectCanvasesAreEngine(figure, 8);
  await expectPlane(figure, 8);
  await expectReadout(figure, 8);

  // A click on a point of the plane chooses that model too.
  await figure.locator('[data-point="0"] circle').click();
  await shown(figure, 0.5);
  await expect(page).toHaveURL(/[?&]beta\.beta=0\.5(&|$)/);
  await expectCanvasesAreEngine(figure, 0.5);
  await expectPlane(figure, 0.5);
  expectClean(problems);
});

test('more β moves the point left and up, and each model has the lowest D + βR for its own β, as the caption says', async () => {
  const points = await Promise.all(BETAS.map(measured));
  for (let i = 1; i < points.length; i++) {
    expect(points[i]!.kl, `rate at β = ${BETAS[i]} below β = ${BETAS[i - 1]}`).toBeLessThan(points[i - 1]!.kl);
    expect(points[i]!.reconstruction, `distortion at β = ${BETAS[i]} above β = ${BETAS[i - 1]}`).toBeGreaterThan(points[i - 1]!.reconstruction);
  }
  BETAS.forEach((beta, i) => {
    const cost = points.map((p) => p.reconstruction + beta * p.kl);
    expect(cost.indexOf(Math.min(...cost)), `D + ${beta}·R is lowest for the β = ${beta} model`).toBe(i);
  });
});

test('a link opens the figure at its β; a β with no model is refused in words', async ({ page, problems }) => {
  let figure = await openFigure(page, '?beta.beta=4');
  await shown(figure, 4);
  await expect(figure.getByRole('slider', { name: /KL weight/ })).toHaveAttribute('aria-valuetext', 'β = 4');
  await expectCanvasesAreEngine(figure, 4);
  await expectReadout(figure, 4);

  figure = await openFigure(page, '?beta.beta=3');
  await expect(figure.locator('[data-note]')).toContainText('β = "3"');
  await expect(figure.locator('[data-note]')).toContainText('0.5, 1, 2, 4, 8');
  await expect(figure).toHaveAttribute('data-beta', '1');
  await shown(figure, 1);
  await expect(figure.locator('[data-note]'), 'the note stays once the model is shown').toContainText('β = "3"');
  expectClean(problems);
});
