/**
 * Citations (src/components/Cite.astro) and each chapter's reference list (src/layouts/Chapter.astro),
 * on the catalogue's page of <Cite> (/figures/cite/) and every chapter the home page lists: every label links to an entry of its chapter's list and
 * every entry is cited; the card with the full reference opens on hover, on keyboard focus and on
 * a tap, reads like the entry, passes axe in both themes, and stays on a phone's screen; and every
 * chapter links to the notation page and to a prefilled "Report a mistake" issue.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { SITE } from '../../site.config.mjs';
import { figurePage } from '../lib/figures.ts';
import { scrollThrough } from '../lib/site.ts';
import { expect, expectClean, test, watch } from './fixtures.ts';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

async function chapterPaths(page: Page): Promise<string[]> {
  await page.goto('/');
  const paths = await page.locator('.chapter-list a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  expect(paths.length, 'the home page lists chapters').toBeGreaterThan(0);
  return paths;
}

/**
 * The pages that cite anything: <Cite>'s own page in the catalogue, then the chapters that do
 * (a chapter without citations must have no References section).
 */
async function citingChapters(page: Page): Promise<string[]> {
  const citing: string[] = [];
  for (const path of [figurePage('cite'), ...(await chapterPaths(page))]) {
    await page.goto(path);
    if ((await page.locator('a.cite-link').count()) > 0) citing.push(path);
    else await expect(page.locator('section.references'), `${path} cites nothing, so it lists nothing`).toHaveCount(0);
  }
  // <Cite>'s examples cite their sources: a site where that page does not has lost them.
  expect(citing[0], 'the catalogue page of <Cite> cites').toBe(figurePage('cite'));
  return citing;
}

/** The citation whose label ends furthest right on the page: the hardest card to keep on screen. */
async function rightmostCitation(page: Page): Promise<Locator> {
  const index = await page.locator('a.cite-link').evaluateAll((as) => {
    const rights = as.map((a) => a.getBoundingClientRect().right);
    return rights.indexOf(Math.max(...rights));
  });
  return page.locator('a.cite-link').nth(index);
}

async function cardOf(page: Page, link: Locator): Promise<Locator> {
  const id = await link.getAttribute('aria-describedby');
  expect(id, 'the label is described by its card').toBeTruthy();
  return page.locator(`[id="${id}"]`);
}

async function expectInViewport(page: Page, card: Locator, what: string): Promise<void> {
  const box = await card.boundingBox();
  const { width, height } = page.viewportSize()!;
  expect(box, `${what}: the card has a box`).not.toBeNull();
  expect(box!.x, `${what}: card's left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what}: card's right edge`).toBeLessThanOrEqual(width);
  expect(box!.y, `${what}: card's top edge`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what}: card's bottom edge`).toBeLessThanOrEqual(height);
}

test('every citation links to an entry of its chapter’s reference list, and every entry is cited', async ({ page, problems }) => {
  for (const path of await citingChapters(page)) {
    await page.goto(path);
    await expect(page.locator('section.references'), `${path} has a References section`).toHaveCount(1);
    await expect(page.locator('section.references h2')).toHaveText('References');
    const links = await page.locator('a.cite-link').evaluateAll((as) =>
      as.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '', card: a.getAttribute('aria-describedby') ?? '' })),
    );
    const entries = await page.locator('section.references li').evaluateAll((lis) => lis.map((li) => ({ id: li.id, text: li.textContent ?? '' })));
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size, `${path}: each entry listed once`).toBe(ids.length);
    for (const link of links) {
      expect(link.href, `${path}: "${link.text}"`).toMatch(/^#ref-/);
      expect(ids, `${path}: "${link.text}" → ${link.href}`).toContain(link.href.slice(1));
      // The card repeats the entry that the label links to.
      const entry = entries.find((e) => `#${e.id}` === link.href)!;
      const card = await page.locator(`[id="${link.card}"]`).evaluate((el) => el.textContent ?? '');
      expect(squash(card), `${path}: the card of "${link.text}"`).toBe(squash(entry.text));
    }
    const cited = new Set(links.map((l) => l.href.slice(1)));
    expect(ids.filter((id) => !cited.has(id)), `${path}: entries no label cites`).toEqual([]);
    // Author-year order, read off the labels: the first surname ("van den Oord", "Kingma"), then the year.
    const sortKey = (id: string) => {
      const label = links.find((l) => l.href === `#${id}`)!.text;
      const surname = /^(.*?)(?: & | and | et al\.|, \d| \()/.exec(label)?.[1] ?? label;
      return { surname, year: /\d{4}[a-z]?/.exec(label)?.[0] ?? '' };
    };
    const keys = ids.map(sortKey);
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1]!, keys[i]!];
      const order = a.surname.localeCompare(b.surname, 'en', { sensitivity: 'base' }) || a.year.localeCompare(b.year);
      expect(order, `${path}: ${a.surname} ${a.year} is listed before ${b.surname} ${b.year}`).toBeLessThanOrEqual(0);
    }
    const cards = links.map((l) => l.card);
    expect(new Set(cards).size, `${path}: one card per label`).toBe(cards.length);
  }
  expectClean(problems);
});

test('a card opens on hover and on keyboard focus with the full reference, closes on Escape, and passes axe in both themes', async ({ page, problems }) => {
  test.setTimeout(240_000);
  const paths = await citingChapters(page);
  for (const path of paths) {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(path);
    // Both themes on the loaded page, as a reader's system setting would switch them.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(scheme === 'dark');
      const link = await rightmostCitation(page);
      const card = await cardOf(page, link);
      const entry = page.locator(`li${await link.getAttribute('href')}`);
      await link.scrollIntoViewIfNeeded();
      await expect(card).toBeHidden();

      await link.hover();
      await expect(card, `${path}: hover opens the card`).toBeVisible();
      expect(squash(await card.innerText())).toBe(squash(await entry.innerText()));
      await expect(card.locator('a')).toHaveAttribute('href', /^https?:\/\//);
      await expectInViewport(page, card, `${path} (hover)`);
      // Every WCAG 2.1 A and AA rule in light mode; in dark mode, only those that read colours (the rest do not change with the theme).
      const axe = new AxeBuilder({ page }).include(`[id="${await card.getAttribute('id')}"]`).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
      const { violations } = await (scheme === 'dark' ? axe.withRules(['color-contrast', 'link-in-text-block']) : axe).analyze();
      expect(violations.map((v) => `${v.id}: ${v.help}`), `${path}: the open card, ${scheme}`).toEqual([]);
      await page.keyboard.press('Escape');
      await expect(card, 'Escape closes a hovered card').toBeHidden();
      await page.mouse.move(0, 0);

      // Keyboard: the card opens with focus on the label and Escape closes it. Its own link is
      // out of the Tab order, so Tab goes on to the next link of the page and the card closes.
      // One script runs every page's cards: its keys are checked on the first page, in both themes.
      if (path !== paths[0]) continue;
      await link.focus();
      await expect(card, `${path}: focus opens the card`).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(card, 'Escape closes a focused card').toBeHidden();
      await expect(link).toBeFocused();
      await expect(card.locator('a')).toHaveAttribute('tabindex', '-1');
      await page.keyboard.press('Tab');
      await expect(link).not.toBeFocused();
      expect(
        await page.evaluate((id) => document.activeElement !== document.body && !document.activeElement?.closest(`[id="${id}"]`), await card.getAttribute('id')),
        'Tab lands on the next focusable element after the label, not on the page or in the card',
      ).toBe(true);
      await expect(card, 'the card closes when focus leaves').toBeHidden();
      await page.keyboard.press('Shift+Tab');
      await expect(link).toBeFocused();
      await expect(card, 'the card opens again when focus comes back').toBeVisible();
      // Enter follows the link to the entry, as it does without JavaScript.
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(new RegExp(`${await link.getAttribute('href')}$`));
      // Focus leaves the label, and its card closes, before the other theme.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await expect(card).toBeHidden();
    }
  }
  expectClean(problems);
});

test('the labels are plain links that work without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watch(page);
  const [path] = await citingChapters(page);
  await page.goto(path!);
  const link = page.locator('a.cite-link').first();
  const href = (await link.getAttribute('href'))!;
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.locator(`li${href}`)).toBeInViewport();
  expectClean(problems);
  await context.close();
});

test('on a phone a tap opens the card in place, a second tap follows the link, a tap elsewhere closes it @phone', async ({ page, problems }) => {
  // Every citing page at two widths, scrolled through once until its figures settle.
  test.setTimeout(300_000);
  for (const path of await citingChapters(page)) {
    await page.setViewportSize({ width: 412, height: 800 });
    await page.goto(path);
    // Let the figures start and settle first, so that no figure changes the layout during the tap.
    await scrollThrough(page);
    await page.waitForLoadState('networkidle');
    await expect(page.locator('[data-state="loading"]')).toHaveCount(0, { timeout: 60_000 });
    for (const width of [412, 360]) {
      await page.setViewportSize({ width, height: 800 });
      const link = await rightmostCitation(page);
      const card = await cardOf(page, link);
      const href = (await link.getAttribute('href'))!;
      await link.scrollIntoViewIfNeeded();
      await expect(card, `${path} at ${width} px: the card starts closed`).toBeHidden();
      const where = () => link.evaluate((a) => ({ top: Math.round(a.getBoundingClientRect().top), hash: location.hash }));
      const before = await where();
      const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const overflowBefore = await sideways();

      await link.tap();
      await expect(card, `${path} at ${width} px: a tap opens the card`).toBeVisible();
      expect(await where(), `${path} at ${width} px: the first tap neither scrolls nor jumps`).toEqual(before);
      await expectInViewport(page, card, `${path} at ${width} px`);
      // The page's own sideways overflow (pages.spec.ts checks it) is not the card's to fix; the card adds none.
      expect(await sideways(), `${path} at ${width} px: the open card adds no sideways scrolling`).toBeLessThanOrEqual(Math.max(0, overflowBefore));

      await page.locator('h1').tap();
      await expect(card, 'a tap elsewhere closes the card').toBeHidden();

      await link.tap();
      await expect(card).toBeVisible();
      await link.tap();
      await expect(page, 'a second tap follows the link').toHaveURL(new RegExp(`${href}$`));
      await expect(page.locator(`li${href}`)).toBeInViewport();
      // Close it before the next width, as a tap elsewhere does.
      await page.locator('h1').tap();
      await expect(card).toBeHidden();
    }
  }
  expectClean(problems);
});

test('every chapter links to the notation page and to a prefilled report of a mistake', async ({ page, problems }) => {
  for (const path of await chapterPaths(page)) {
    await page.goto(path);
    const title = squash(await page.locator('h1').innerText());
    const header = page.locator('.chapter-header');
    const notation = header.getByRole('link', { name: 'Notation', exact: true });
    await expect(notation).toHaveAttribute('href', '/notation/');
    expect((await page.request.get('/notation/')).status(), 'the notation page answers').toBe(200);

    const report = header.getByRole('link', { name: 'Report a mistake' });
    const url = new URL((await report.getAttribute('href'))!);
    expect(`${url.origin}${url.pathname}`).toBe(`${SITE.issues}/new`);
    expect(url.searchParams.get('title'), `${path}: the issue's title names the chapter`).toContain(title);
    expect(url.searchParams.get('body'), `${path}: the issue's body gives the page`).toContain(path);
  }
  expectClean(problems);
});

test('the notation and report links fit a phone’s header @phone', async ({ page, problems }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  for (const path of await chapterPaths(page)) {
    await page.goto(path);
    for (const name of ['Notation', 'Report a mistake']) {
      const link = page.locator('.chapter-header').getByRole('link', { name, exact: true });
      await expect(link).toBeVisible();
      const box = (await link.boundingBox())!;
      expect(box.x + box.width, `${path}: "${name}" within the screen`).toBeLessThanOrEqual(360);
      expect(box.height, `${path}: "${name}" is a comfortable target`).toBeGreaterThanOrEqual(24);
    }
  }
  expectClean(problems);
});
