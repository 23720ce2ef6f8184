/**
 * The notation page and the changes page: both answer, the notation's math is KaTeX with one
 * linkable row per symbol, a targeted row is highlighted, the pages fit a 360 px screen, and
 * every <Sym> link in the chapters (a.sym) lands on a row that exists.
 */
import { SITE } from '../../site.config.mjs';
import { CORRECTIONS } from '../../src/site/corrections.ts';
import { NOTATION_ENTRIES } from '../../src/site/notation.ts';
import { expect, expectClean, test } from './fixtures.ts';

test('the notation page answers, renders every symbol with KaTeX and leaves no raw TeX', async ({ page, problems }) => {
  const response = await page.goto('/notation/');
  expect(response?.status()).toBe(200);
  await expect(page.locator('h1')).toHaveText('Notation');
  const rows = await page.locator('tbody tr[id^="sym-"]').evaluateAll((trs) => trs.map((tr) => tr.id));
  expect(rows).toEqual(NOTATION_ENTRIES.map((e) => `sym-${e.id}`));
  // Each row's symbol is KaTeX output, with MathML for screen readers.
  const plain = await page.locator('tbody tr[id^="sym-"] > th').evaluateAll((ths) => ths.filter((th) => !th.querySelector('.katex math')).map((th) => th.parentElement!.id));
  expect(plain, 'symbols not rendered by KaTeX').toEqual([]);
  const leftover = await page.locator('main').evaluate((main) => {
    const copy = main.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.katex').forEach((el) => el.remove());
    return (copy.textContent ?? '').match(/\$[^$]{0,40}|\\[a-z]+/gi) ?? [];
  });
  expect(leftover, 'raw TeX').toEqual([]);
  expectClean(problems);
});

test('a targeted row is highlighted, and the highlight follows the target', async ({ page, problems }) => {
  await page.goto('/notation/#sym-loss');
  const background = (id: string) => page.locator(`#${id} > th`).evaluate((th) => getComputedStyle(th).backgroundColor);
  await expect(page.locator('#sym-loss')).toBeInViewport();
  const targeted = await background('sym-loss');
  const plain = await background('sym-elbo');
  expect(targeted).not.toBe(plain);
  await page.goto('/notation/#sym-elbo');
  expect(await background('sym-elbo')).toBe(targeted);
  expect(await background('sym-loss')).toBe(plain);
  expectClean(problems);
});

test('the changes page answers, says where to report a mistake, and lists the corrections', async ({ page, problems }) => {
  const response = await page.goto('/changes/');
  expect(response?.status()).toBe(200);
  await expect(page.locator('h1')).toHaveText('Changes to the guide');
  const issues = (SITE as { issues?: string }).issues ?? `${SITE.repository}/issues`;
  await expect(page.getByRole('link', { name: 'the issue tracker' })).toHaveAttribute('href', issues);
  if (CORRECTIONS.length === 0) await expect(page.locator('.no-changes')).toContainText('No corrections');
  else await expect(page.locator('.change-list > li')).toHaveCount(CORRECTIONS.length);
  expectClean(problems);
});

test.describe('on a 360 px screen', () => {
  test.use({ viewport: { width: 360, height: 780 } });
  test('the notation and changes pages do not scroll sideways', async ({ page, problems }) => {
    for (const path of ['/notation/', '/changes/']) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
    }
    expectClean(problems);
  });
});

test('every symbol link in the chapters lands on a row of the notation page', async ({ page, problems }) => {
  await page.goto('/notation/');
  const rows = new Set(await page.locator('tr[id^="sym-"]').evaluateAll((trs) => trs.map((tr) => tr.id)));
  await page.goto('/');
  const chapters = await page.locator('.chapter-list a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  const broken: string[] = [];
  let links = 0;
  for (const path of chapters) {
    await page.goto(path);
    const syms = await page.locator('a.sym').evaluateAll((as) => as.map((a) => ({ path: (a as HTMLAnchorElement).pathname, hash: (a as HTMLAnchorElement).hash, title: a.getAttribute('title') ?? '' })));
    links += syms.length;
    for (const s of syms) {
      const row = decodeURIComponent(s.hash.slice(1));
      if (s.path !== '/notation/' || !rows.has(row) || !s.title) broken.push(`${path}: ${s.path}${s.hash} (title "${s.title}")`);
    }
  }
  expect(broken).toEqual([]);
  // Chapters without <Sym> pass; say so, rather than pass silently.
  test.info().annotations.push({ type: 'symbol links', description: `${links} on ${chapters.length} chapters` });
  expectClean(problems);
});
