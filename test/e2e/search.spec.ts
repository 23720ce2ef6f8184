/**
 * The site search (Pagefind's index of the built site, written by scripts/search-index.ts; the
 * <site-search> box of every page's header). Whatever the chapters are:
 * - every page has the box, and exactly the pages of src/site/search.ts are indexed;
 * - no page loads the search code until the box is used (Pagefind's until the first search);
 * - a chapter's title finds the chapter, by mouse and by keyboard, and its link opens it;
 * - a query that matches nothing says so;
 * - the index holds a figure's caption but not its live interface;
 * - at phone width the results fit the screen.
 * Each test ends with no console error, failed request or request that left the site. A word
 * of this guide's own chapters, found in its one section: test/chapters/search.spec.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { isSearchedPage } from '../../src/site/search.ts';
import { builtSitePages } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';

test.beforeAll(() => {
  expect(existsSync('dist/pagefind/pagefind.js'), 'dist/ has no search index: build with `npm run build` (or run `node scripts/search-index.ts` after `npx astro build`)').toBe(true);
});

/** The first chapter the home page lists: its path and its title (the <h1> Pagefind names it by). */
async function firstChapter(page: Page): Promise<{ path: string; title: string }> {
  await page.goto('/');
  const path = await page.locator('main a[href^="/chapters/"]').first().evaluate((a) => (a as HTMLAnchorElement).pathname);
  await page.goto(path);
  const title = (await page.locator('main h1').first().innerText()).trim();
  return { path, title };
}

async function search(page: Page, query: string) {
  const box = page.getByRole('searchbox', { name: 'Search the guide' });
  await box.fill(query);
  const status = page.locator('site-search [role="status"]');
  await expect(status).toContainText(/found for|No pages found/);
  return { box, status, results: page.locator('site-search .search-results > li') };
}

test('every page has the search box, and the index covers exactly the pages meant for it', () => {
  const pages = builtSitePages();
  expect(pages.length).toBeGreaterThan(5);
  for (const path of pages) {
    const html = readFileSync(`dist${path}index.html`, 'utf8');
    expect(html, `${path}: the search box in the header`).toMatch(/<header class="site-header">[\s\S]*<site-search[\s\S]*<\/header>/);
    expect(/<main [^>]*data-pagefind-body/.test(html), `${path}: indexed or not`).toBe(isSearchedPage(path, '/'));
  }
  for (const left of ['/', '/figures/', '/bench/']) expect(isSearchedPage(left, '/'), left).toBe(false);
});

test('no page loads the search code before the box is used: focus loads the box’s code, the first search Pagefind', async ({ page, problems }) => {
  // Pagefind's files, and the chunk of the search box's own code.
  const searchFiles: string[] = [];
  page.on('request', (req) => {
    const { pathname } = new URL(req.url());
    if (pathname.startsWith('/pagefind/') || /^\/_astro\/site-search\b/.test(pathname)) searchFiles.push(pathname);
  });
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  expect(searchFiles, 'search files fetched by the first view').toEqual([]);
  const box = page.getByRole('searchbox', { name: 'Search the guide' });
  await box.focus();
  await expect.poll(() => searchFiles.some((f) => f.startsWith('/_astro/site-search')), 'the search box’s code').toBe(true);
  await page.waitForLoadState('networkidle');
  expect(searchFiles.filter((f) => f.startsWith('/pagefind/')), 'Pagefind, before any search').toEqual([]);
  await box.fill('model');
  await expect.poll(() => searchFiles).toContain('/pagefind/pagefind.js');
  expectClean(problems);
});

test("a chapter's title finds the chapter, and its link opens it", async ({ page, problems }) => {
  const chapter = await firstChapter(page);
  await page.goto('/notation/');
  const { results } = await search(page, chapter.title);
  const link = results.getByRole('link', { name: chapter.title, exact: true });
  await expect(link).toHaveAttribute('href', chapter.path);
  await expect(results.first().locator('.search-excerpt mark').first()).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(chapter.path);
  await expect(page.locator('main h1')).toHaveText(chapter.title);
  expectClean(problems);
});

test('the search works by keyboard: ↓ and ↑ move through the results, Escape closes them, Enter opens the first', async ({ page, problems }) => {
  const chapter = await firstChapter(page);
  await page.goto('/');
  // Tab from the skip link and the site's name to the box.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const box = page.getByRole('searchbox', { name: 'Search the guide' });
  await expect(box).toBeFocused();
  await page.keyboard.type(chapter.title);
  // The results of the whole title, not of what was typed on the way to it.
  await expect(page.locator('site-search [role="status"]')).toContainText(`found for “${chapter.title}”`);
  const links = page.locator('site-search .search-results a');
  await expect(links.first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(links.first()).toBeFocused();
  if ((await links.count()) > 1) {
    await page.keyboard.press('ArrowDown');
    await expect(links.nth(1)).toBeFocused();
    await page.keyboard.press('ArrowUp');
  }
  await page.keyboard.press('ArrowUp');
  await expect(box).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.locator('#site-search-panel')).toBeHidden();
  await expect(box).toHaveValue(chapter.title);
  // Typing again opens the results again; Enter follows the first one.
  await page.keyboard.press('End');
  await page.keyboard.type(' ');
  await expect(links.first()).toBeVisible();
  const first = await links.first().getAttribute('href');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(first!);
  expectClean(problems);
});

// Pagefind answers a word it does not know with the words that start like it ("qzx…" finds the
// model cards' "q(z|x)"); the box says that nothing matched.
test('a query that matches nothing says so', async ({ page, problems }) => {
  await page.goto('/');
  const { status, results } = await search(page, 'qzxjvwq');
  await expect(status).toHaveText('No pages found for “qzxjvwq”.');
  await expect(results).toHaveCount(0);
  expectClean(problems);
});

test('the index holds the figures’ captions but not their controls and status lines, and no page of /figures/ or /bench/', async ({ page, problems }) => {
  const chapter = await firstChapter(page);
  // What the built page says in its figures: captions, and the text of their controls and status lines.
  const { captions, live } = await page.evaluate(() => {
    const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    // The page's prose and captions: what may name a control ("press Use a test digit") and is indexed.
    const prose = document.querySelector('main')!.cloneNode(true) as HTMLElement;
    for (const ui of prose.querySelectorAll('figure > :not(figcaption)')) ui.remove();
    return {
      captions: [...document.querySelectorAll('main figure > figcaption')].filter((c) => !c.querySelector('.katex')).map(text),
      live: [...document.querySelectorAll('main figure [role="status"], main figure button, main figure label')]
        .map(text)
        .filter((t) => t.length >= 12 && !text(prose).includes(t)),
    };
  });
  expect(captions.length, 'a caption without math to look for').toBeGreaterThan(0);
  expect(live.length, 'a control or status line to look for').toBeGreaterThan(0);
  const indexed = await page.evaluate(async (title) => {
    const bundle = '/pagefind/pagefind.js';
    const pagefind = (await import(bundle)) as {
      search(q: string): Promise<{ results: { data(): Promise<{ url: string; content: string }> }[] }>;
    };
    const all = async (q: string) => Promise.all((await pagefind.search(q)).results.map((r) => r.data()));
    const pages = [...(await all(title)), ...(await all('figure')), ...(await all('model'))];
    return { urls: [...new Set(pages.map((p) => p.url))], content: pages.find((p) => p.url === location.pathname)?.content ?? '' };
  }, chapter.title);
  expect(indexed.content, `${chapter.path} is in the index`).not.toBe('');
  const content = indexed.content.replace(/\s+/g, ' ');
  for (const caption of captions) expect(content, 'a figure caption is indexed').toContain(caption);
  for (const text of live) expect(content, 'a figure control or status line is not indexed').not.toContain(text);
  expect(indexed.urls.filter((u) => u.startsWith('/figures/') || u.startsWith('/bench/'))).toEqual([]);
  expectClean(problems);
});

test('at phone width the results fit the screen, and a tap on one opens it @phone', async ({ page, problems }) => {
  const chapter = await firstChapter(page);
  await page.goto('/guide/');
  const { results } = await search(page, chapter.title);
  const panel = page.locator('#site-search-panel');
  await expect(panel).toBeVisible();
  const width = page.viewportSize()!.width;
  const box = (await panel.boundingBox())!;
  expect(box.x, 'the results start on screen').toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, 'the results end on screen').toBeLessThanOrEqual(width);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 'no sideways scrolling').toBeLessThanOrEqual(0);
  await results.getByRole('link', { name: chapter.title, exact: true }).tap();
  await expect(page).toHaveURL(chapter.path);
  expectClean(problems);
});
