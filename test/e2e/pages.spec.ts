import { sitePages } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';

// Every page's status, errors and requests are checked by every-page.spec.ts, on its one visit
// with the figures started; the chapters' math, figures and links by chapters.spec.ts.

test('the theme toggle switches between light and dark and is remembered', async ({ page, problems }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.getByRole('button', { name: /light and dark/ }).click();
  const dark = await bg();
  expect(dark).not.toBe(light);
  await page.reload();
  expect(await bg()).toBe(dark);
  expectClean(problems);
});

test('pages fit a phone screen without sideways scrolling @phone', async ({ page, problems }) => {
  // Every page the home page links to (chapters, guide, benchmark, models), and every model card.
  const paths = await sitePages(page);
  await page.goto('/models/');
  const cards = await page.locator('main a[href^="/models/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  for (const path of [...paths, ...new Set(cards)]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
    // Display equations fit the column too, rather than scrolling inside their box.
    const wide = await page.locator('.katex-display').evaluateAll((ds) => ds.filter((d) => d.scrollWidth > d.clientWidth + 1).map((d) => (d.textContent ?? '').slice(0, 50)));
    expect(wide, `equations wider than the column on ${path}`).toEqual([]);
  }
  expectClean(problems);
});

test.describe('with the page’s Content-Security-Policy bypassed', () => {
  test.use({ bypassCSP: true });
  test('the check that nothing leaves the site catches a request to another origin', async ({ page, problems }) => {
    await page.goto('/');
    await page.evaluate(() => fetch('http://127.0.0.2:9/beacon').catch(() => undefined));
    await expect.poll(() => problems.offsiteRequests).toEqual(['http://127.0.0.2:9/beacon']);
  });
});

test('with the policy in force, a request to another origin is refused before it leaves', async ({ page, problems }) => {
  await page.goto('/');
  const outcome = await page.evaluate(() => fetch('http://127.0.0.2:9/beacon').then(() => 'sent', (err: unknown) => String(err)));
  expect(outcome).toMatch(/Failed to fetch|TypeError/);
  await expect.poll(() => problems.consoleErrors.some((e) => /connect-src/.test(e))).toBe(true);
  expect(problems.offsiteRequests, 'nothing left the site').toEqual([]);
  problems.consoleErrors = problems.consoleErrors.filter((e) => !/Content Security Policy|CSP violation/.test(e));
  expectClean(problems);
});
