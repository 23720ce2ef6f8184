/**
 * The home page greets with a live figure: the latent manifold above the chapter list, its static
 * preview in the served HTML (so something is on screen before any script runs), then decoded
 * live in the page (the first live decode is marked on the performance timeline), answering the
 * keyboard, with a caption that links to the section explaining it.
 */
import { expect, expectClean, test } from './fixtures.ts';

test('a cold visit to the home page gets the manifold above the chapters, first as an image, then live', async ({ page, problems }) => {
  const html = await (await page.request.get('/')).text();
  expect(html.indexOf('<latent-manifold'), 'the figure comes before the chapter list').toBeLessThan(html.indexOf('class="chapter-list"'));
  expect(html).toMatch(/<img class="preview"[^>]*src="[^"]*mnist-conv-z2\/manifold\.png"/);

  await page.goto('/');
  const figure = page.locator('latent-manifold').first();
  await expect(figure).toBeInViewport();
  await expect(figure).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => performance.getEntriesByName('latent-lab:first-live-decode').length)).toBe(1);
  await expect(figure).toHaveAttribute('data-mosaic-source', 'pretrained', { timeout: 60_000 });

  // The ring answers the keyboard, and the large digit follows it.
  await figure.locator('[data-handle]').focus();
  await page.keyboard.press('Shift+ArrowUp');
  await expect(figure).toHaveAttribute('data-z', '0,0.5');

  // The caption's link leads to the section that explains the figure.
  const link = page.locator('figure:has(latent-manifold) figcaption a').first();
  await link.click();
  await expect(page).toHaveURL(/\/chapters\/autoencoders\/#walk-the-latent-plane$/);
  await expect(page.locator('#walk-the-latent-plane')).toBeVisible();
  expectClean(problems);
});

test.describe('with the site’s service worker', () => {
  test.use({ serviceWorkers: 'allow' });

  test('the offline copy is fetched only after the first live digit, so it never delays it', async ({ page, context, problems }) => {
    // Requests the worker makes for pages the visit never opened are the offline copy's fill.
    const fill: number[] = [];
    context.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (request.serviceWorker() && /^\/(chapters|models)\/[^/]+\/(index\.html)?$/.test(path)) fill.push(Date.now());
    });
    await page.goto('/');
    const figure = page.locator('latent-manifold').first();
    await expect(figure).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect.poll(() => fill.length, { timeout: 60_000, message: 'the worker fills the offline copy' }).toBeGreaterThan(0);
    const mark = await page.evaluate(() => performance.timeOrigin + performance.getEntriesByName('latent-lab:first-live-decode')[0]!.startTime);
    expect(Math.min(...fill)).toBeGreaterThanOrEqual(mark);
    expectClean(problems);
  });
});
