/**
 * Every chapter, whatever the chapters are: they are found from the files of
 * src/content/chapters/ (named as src/content.config.ts names them), so a fork that replaces the
 * chapters keeps this test. Each chapter renders with its math typeset by KaTeX, every figure on
 * it (any element the figure catalogue names) starts when scrolled to, nothing logs an error,
 * and every link within the site answers, down to the #anchor it points at.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Page } from '@playwright/test';
import { CATALOGUE, startedStates, type CatalogueEntry } from '../../src/site/figures.ts';
import { expect, expectClean, test } from './fixtures.ts';

const DIR = join(process.cwd(), 'src', 'content', 'chapters');
/** Each chapter's URL and source, with its id as the chapters collection makes it: "01-my-topic.mdx" → "my-topic". */
const chapters = (readdirSync(DIR, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.mdx'))
  .sort()
  .map((file) => {
    const id = file.split(sep).join('/').replace(/\.mdx$/, '').replace(/^\d+-/, '');
    return { file, path: `/chapters/${id}/`, source: readFileSync(join(DIR, file), 'utf8') };
  });
const ELEMENTS = [...new Set((CATALOGUE as readonly CatalogueEntry[]).flatMap((e) => (e.element ? [e.element] : [])))];

/** The ids on the page at `path`, fetched once each. */
const idCache = new Map<string, Promise<Set<string>>>();
function idsOf(page: Page, path: string): Promise<Set<string>> {
  if (!idCache.has(path)) {
    idCache.set(
      path,
      page.request.get(path).then(async (res) => {
        expect(res.status(), `${path} answers`).toBe(200);
        return new Set([...(await res.text()).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
      }),
    );
  }
  return idCache.get(path)!;
}

/** Links within the site: each page answers 200, and each #anchor exists where it points. */
async function expectLinksAnswer(page: Page): Promise<void> {
  const links = await page.locator('a[href]').evaluateAll((as) =>
    as
      .map((a) => a as HTMLAnchorElement)
      .filter((a) => a.origin === location.origin && (a.protocol === 'http:' || a.protocol === 'https:'))
      .map((a) => ({ path: a.pathname, hash: decodeURIComponent(a.hash.slice(1)), text: (a.textContent ?? '').trim().slice(0, 40) })),
  );
  expect(links.length).toBeGreaterThan(0);
  const here = new URL(page.url()).pathname;
  for (const link of links) {
    if (link.path === here) {
      if (link.hash) await expect(page.locator(`[id="${link.hash}"]`), `#${link.hash} (“${link.text}”)`).toHaveCount(1);
      continue;
    }
    const ids = await idsOf(page, link.path);
    if (link.hash) expect(ids.has(link.hash), `${link.path}#${link.hash} (“${link.text}”)`).toBe(true);
  }
}

test('the home page lists every chapter', async ({ page, problems }) => {
  await page.goto('/');
  const listed = await page.locator('.chapter-list a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  expect(new Set(listed)).toEqual(new Set(chapters.map((c) => c.path)));
  expectClean(problems);
});

for (const chapter of chapters) {
  test(`${chapter.path} (${chapter.file}): renders, typesets its math, starts its figures, and its links answer`, async ({ page, problems }) => {
    test.setTimeout(180_000);
    const response = await page.goto(chapter.path);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.locator('h1')).not.toBeEmpty();

    // Math: KaTeX renders every formula, leaves no error and no raw TeX, from fonts of this site.
    await expect(page.locator('.katex-error')).toHaveCount(0);
    const prose = page.locator('.prose');
    if (/\$[^$\n]+\$/.test(chapter.source)) {
      expect(await prose.locator('.katex').count(), 'KaTeX elements').toBeGreaterThan(0);
      const leftover = await prose.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.katex, code, pre').forEach((e) => e.remove());
        return (copy.textContent ?? '').match(/\$[^$]{0,40}/g) ?? [];
      });
      expect(leftover, 'raw TeX').toEqual([]);
      const fontOk = await page.evaluate(async () => {
        await document.fonts.ready;
        return document.fonts.check('16px KaTeX_Main') && [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded');
      });
      expect(fontOk, 'KaTeX fonts loaded').toBe(true);
    }
    if (/^\$\$/m.test(chapter.source)) await expect(prose.locator('.katex-display').first()).toBeVisible();

    // Figures: each one the catalogue knows starts as it scrolls into view.
    for (const element of ELEMENTS) {
      const figures = page.locator(element);
      const started = new RegExp(`^(?:${startedStates(element).join('|')})$`);
      for (let i = 0; i < (await figures.count()); i++) {
        const figure = figures.nth(i);
        await figure.scrollIntoViewIfNeeded();
        await expect.poll(() => figure.getAttribute('data-state'), { message: `<${element}> #${i + 1} starts`, timeout: 60_000 }).toMatch(started);
        await expect(figure).not.toHaveAttribute('data-settled', 'false', { timeout: 60_000 });
      }
    }

    await expectLinksAnswer(page);
    expectClean(problems);
  });
}

test('the page for a reader\'s own data links only to pages and anchors that exist', async ({ page, problems }) => {
  await page.goto('/your-data/');
  await expect(page.locator('h2')).toHaveText(['1. Bring the pictures', '2. Train', '3. Explore', '4. Keep it, or take it to Node']);
  await expectLinksAnswer(page);
  expectClean(problems);
});
