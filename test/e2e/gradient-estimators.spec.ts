/**
 * The gradient-estimator figure (on /figures/gradient-estimators/): the static state the build draws, the N slider by
 * keyboard (the readout changes, the spread shrinks, pathwise stays tighter than the score
 * function on the bowl), the state in the URL with clamping and a note, and a phone's width; and
 * the reparameterization graph beside it (/figures/reparameterization-graph/).
 */
import type { Locator, Page } from '@playwright/test';
import { figurePage } from '../lib/figures.ts';
import { expect, expectClean, test } from './fixtures.ts';

const PAGE = figurePage('gradient-estimators');
const GRAPH = figurePage('reparameterization-graph');
type Estimator = 'score' | 'pathwise';
type Part = 'mu' | 'sigma';

async function openFigure(page: Page, query = ''): Promise<Locator> {
  await page.goto(`${PAGE}${query}`);
  const figure = page.locator('gradient-estimators');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  return figure;
}

/** A number as the figure prints it (with a true minus sign). */
async function printed(figure: Locator, name: string): Promise<number> {
  const text = (await figure.locator(`[data-out="${name}"]`).textContent()) ?? '';
  const value = Number(text.replace('−', '-'));
  expect(Number.isFinite(value), `${name} prints a number, not "${text}"`).toBe(true);
  return value;
}

async function printedSd(figure: Locator, e: Estimator, p: Part): Promise<number> {
  return printed(figure, `${e}-${p}-sd`);
}

/** The standard deviation of the dots' x positions in one strip (μ panel first; score, then pathwise). */
async function dotSpread(figure: Locator, e: Estimator, p: Part): Promise<number> {
  const panel = p === 'mu' ? 0 : 1;
  return figure.locator(`circle.est-${e}`).evaluateAll(
    (dots, panel) => {
      const xs = dots.slice(panel * 200, panel * 200 + 200).map((d) => Number(d.getAttribute('cx')));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
    },
    panel,
  );
}

test('the reparameterization graph loads clean, with both graphs described', async ({ page, problems }) => {
  await page.goto(GRAPH);
  await expect(page.getByRole('img', { name: /computation graph with sampling inside it/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /computation graph with the noise moved aside/ })).toBeVisible();
  expectClean(problems);
});

test('the figure loads clean, ready at N = 10 on the bowl', async ({ page, problems }) => {
  const figure = await openFigure(page);
  await expect(figure.locator('[data-n-out]')).toHaveText('N = 10');
  await expect(figure.getByRole('combobox', { name: 'Function h(z)' })).toHaveValue('bowl');
  // f = (z − 2)² at μ = 0, σ = 1: ∂/∂μ = 2(μ − 2) = −4, ∂/∂σ = 2σ = 2.
  expect(await printed(figure, 'truth-mu')).toBe(-4);
  expect(await printed(figure, 'truth-sigma')).toBe(2);
  await expect(figure.locator('circle')).toHaveCount(800);
  await expect(figure.getByRole('img')).toHaveAttribute('aria-label', /200 estimates by each estimator, each from N = 10 samples/);
  await expect(figure.locator('[data-note]')).toBeHidden();
  expectClean(problems);
});

test('moving N with the keyboard changes the readout and the URL, shrinks the spread, and pathwise stays tighter', async ({ page, problems }) => {
  const figure = await openFigure(page);
  const before: Record<string, number> = {};
  for (const e of ['score', 'pathwise'] as const) {
    for (const p of ['mu', 'sigma'] as const) {
      before[`${e}-${p}`] = await printedSd(figure, e, p);
      before[`dots-${e}-${p}`] = await dotSpread(figure, e, p);
    }
  }
  for (const p of ['mu', 'sigma'] as const) expect(before[`pathwise-${p}`], `pathwise sd of ∂/∂${p} at N = 10`).toBeLessThan(before[`score-${p}`]!);

  const slider = figure.getByLabel('Samples per estimate');
  await slider.focus();
  // 10 → 15 → 20 → 30 → 50 → 70 → 100
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
  await expect(figure.locator('[data-n-out]')).toHaveText('N = 100');
  await expect(figure).toHaveAttribute('data-n', '100');
  await expect(slider).toHaveAttribute('aria-valuetext', 'N = 100');
  await expect.poll(() => new URL(page.url()).searchParams.get('grad.n')).toBe('100');

  for (const e of ['score', 'pathwise'] as const) {
    for (const p of ['mu', 'sigma'] as const) {
      // Ten times the samples: the sd falls by about √10 ≈ 3.2, on the plot as in the table.
      const sd = await printedSd(figure, e, p);
      expect(sd, `${e} sd of ∂/∂${p}: ${before[`${e}-${p}`]} at N = 10, ${sd} at N = 100`).toBeLessThan(before[`${e}-${p}`]! / 2);
      expect(await dotSpread(figure, e, p), `${e} dots of ∂/∂${p}`).toBeLessThan(before[`dots-${e}-${p}`]! / 2);
    }
  }
  for (const p of ['mu', 'sigma'] as const) expect(await printedSd(figure, 'pathwise', p)).toBeLessThan(await printedSd(figure, 'score', p));

  // The copied link opens the same experiment.
  await page.goto(page.url());
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure.locator('[data-n-out]')).toHaveText('N = 100');
  expectClean(problems);
});

test('Draw again gives new estimates of the same gradient', async ({ page, problems }) => {
  const figure = await openFigure(page);
  const first = await figure.locator('[data-table] tbody').textContent();
  await figure.getByRole('button', { name: 'Draw again' }).click();
  await expect(figure).toHaveAttribute('data-drawn', '2');
  await expect(figure.locator('[data-table] tbody')).not.toHaveText(first ?? '');
  expect(await printed(figure, 'truth-mu')).toBe(-4);
  expectClean(problems);
});

test('a link with N out of range, an unknown function and σ below its range is clamped, and the figure says so', async ({ page, problems }) => {
  const figure = await openFigure(page, '?grad.n=5000&grad.f=cliff&grad.sigma=0');
  await expect(figure.locator('[data-n-out]')).toHaveText('N = 1000');
  await expect(figure.getByLabel('Samples per estimate')).toHaveValue('17');
  await expect(figure.getByRole('combobox', { name: 'Function h(z)' })).toHaveValue('bowl');
  await expect(figure.locator('[data-sigma-out]')).toHaveText('σ = 0.1');
  const note = figure.locator('[data-note]');
  await expect(note).toBeVisible();
  await expect(note).toContainText('N = 5000, outside 1 to 1000; showing 1000');
  await expect(note).toContainText('"cliff"');
  await expect(note).toContainText('σ = 0, outside 0.1 to 3; showing 0.1');
  // The address now holds what the figure shows.
  const params = new URL(page.url()).searchParams;
  expect([params.get('grad.n'), params.get('grad.f'), params.get('grad.sigma')]).toEqual(['1000', 'bowl', '0.1']);
  expectClean(problems);
});

test('a shared link to the step shows the pathwise estimator stuck at 0 while the score function finds the gradient', async ({ page, problems }) => {
  const figure = await openFigure(page, '?grad.f=step&grad.n=300&grad.mu=0.5&grad.sigma=1.5');
  await expect(figure.getByRole('combobox', { name: 'Function h(z)' })).toHaveValue('step');
  await expect(figure.locator('[data-mu-out]')).toHaveText('μ = 0.5');
  await expect(figure.locator('[data-note]')).toBeHidden();
  expect(await printed(figure, 'pathwise-mu-mean')).toBe(0);
  expect(await printedSd(figure, 'pathwise', 'mu')).toBe(0);
  await expect(figure.locator('[data-out="ratio-mu"]')).toContainText('∞');
  // ∂/∂μ Φ(μ/σ) = φ(μ/σ)/σ ≈ 0.252; 200 estimates of N = 300 put the mean within a few hundredths.
  const truth = await printed(figure, 'truth-mu');
  expect(truth).toBeCloseTo(0.252, 3);
  expect(Math.abs((await printed(figure, 'score-mu-mean')) - truth)).toBeLessThan(0.03);
  expectClean(problems);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the figure shows the build’s plot and numbers for N = 10, the same the script computes, with its controls disabled', async ({ page, problems, browser, baseURL }) => {
    await page.goto(PAGE);
    const figure = page.locator('gradient-estimators');
    await expect(figure.locator('circle')).toHaveCount(800);
    await expect(figure.locator('[data-n-out]')).toHaveText('N = 10');
    await expect(figure.getByLabel('Samples per estimate')).toBeDisabled();
    expect(await figure.locator('[data-out="score-mu-sd"]').textContent()).toMatch(/^\d+(\.\d+)?$/);
    const table = await figure.locator('[data-table]').textContent();
    const scripted = await browser.newPage({ javaScriptEnabled: true, ...(baseURL ? { baseURL } : {}) });
    const running = await openFigure(scripted);
    await expect(running.locator('[data-table]')).toHaveText(table ?? '');
    await scripted.close();
    expectClean(problems);
  });
});

test('the figure fits a phone screen, with nothing sticking out sideways @phone', async ({ page, problems }) => {
  const figure = await openFigure(page);
  const width = page.viewportSize()!.width;
  for (const part of [figure, figure.locator('svg'), figure.locator('[data-table]'), figure.getByRole('combobox', { name: 'Function h(z)' })]) {
    const box = (await part.first().boundingBox())!;
    expect(box.x, 'left edge').toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(width);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  // The reparameterization graph too.
  await page.goto(GRAPH);
  const graph = page.locator('.reparam-graph');
  await expect(graph).toHaveCount(1);
  const box = (await graph.boundingBox())!;
  expect(box.x, 'left edge').toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(width);
  const wide = await graph.evaluate((el, width) => [...el.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > width + 0.5).map((e) => e.localName), width);
  expect(wide, 'parts of the graph past the screen edge').toEqual([]);
  expectClean(problems);
});
