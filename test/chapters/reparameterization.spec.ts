/**
 * The chapter on the reparameterization trick: it loads clean with both computation graphs
 * described and its figure started, and without JavaScript its displayed mathematics still shows.
 */
import { expect, expectClean, test } from '../e2e/fixtures.ts';

const PAGE = '/chapters/reparameterization/';

test('the chapter loads clean, with both graphs described and the gradient figure ready', async ({ page, problems }) => {
  await page.goto(PAGE);
  await expect(page.getByRole('img', { name: /computation graph with sampling inside it/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /computation graph with the noise moved aside/ })).toBeVisible();
  const figure = page.locator('gradient-estimators');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  expectClean(problems);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the chapter’s displayed mathematics and the figure’s build-time plot show', async ({ page, problems }) => {
    await page.goto(PAGE);
    await expect(page.locator('.prose .katex-display').first()).toBeVisible();
    await expect(page.locator('gradient-estimators circle')).toHaveCount(800);
    expectClean(problems);
  });
});
