/**
 * The chapter on the latent manifold: its title, its three figures (the scatter, the manifold and
 * the interpolation) starting together without errors, its place in the home page's list, and
 * its layout on a phone with every figure running.
 */
import { expect, expectClean, test } from '../e2e/fixtures.ts';

const PAGE = '/chapters/latent-manifold/';
const MODEL = 'mnist-conv-z2';
const FIGURES = [`latent-scatter[data-model="${MODEL}"]`, 'latent-manifold', 'latent-interpolation'];

test('the chapter loads its scatter, manifold and interpolation figures without errors', async ({ page, problems }) => {
  await page.goto(PAGE);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The latent manifold');
  for (const selector of FIGURES) {
    const figure = page.locator(selector);
    await figure.scrollIntoViewIfNeeded();
    await expect(figure).toHaveAttribute('data-state', 'ready');
  }
  await expect(page.locator('latent-interpolation')).toHaveAttribute('data-decoded', '0,3');
  // The chapter is listed: the home page links to it.
  await page.goto('/');
  await expect(page.locator(`.chapter-list a[href$="${PAGE}"]`)).toHaveCount(1);
  expectClean(problems);
});

test('on a phone the chapter fits the screen with all its figures running @phone', async ({ page, problems }) => {
  await page.goto(PAGE);
  // Let every figure start, so the check covers their running layout too.
  for (const selector of FIGURES) {
    const figure = page.locator(selector);
    await figure.scrollIntoViewIfNeeded();
    await expect(figure).toHaveAttribute('data-state', 'ready');
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'horizontal overflow').toBeLessThanOrEqual(0);
  expectClean(problems);
});

test('at desktop width the manifold and the aggregate posterior keep their height as they start, so nothing below them shifts', async ({ page, problems }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(PAGE);
  for (const selector of ['latent-manifold', 'aggregate-posterior']) {
    const figure = page.locator(selector).first();
    await expect(figure).toHaveAttribute('data-state', 'idle');
    const before = (await figure.boundingBox())!.height;
    await figure.scrollIntoViewIfNeeded();
    await expect(figure).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(figure).not.toHaveAttribute('data-settled', 'false');
    expect((await figure.boundingBox())!.height, `<${selector}>'s height once running`).toBeCloseTo(before, 0);
  }
  expectClean(problems);
});
