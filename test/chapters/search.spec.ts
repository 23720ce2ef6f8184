/**
 * The site search on this guide's own text: "Jacobian" is written in one section of one chapter
 * (chapter 7, "Richer posteriors: normalizing flows"), so the search lists that chapter alone,
 * with a link to that section, and the link opens the section. (What the search does with any
 * chapters: test/e2e/search.spec.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, expectClean, test } from '../e2e/fixtures.ts';

const WORD = 'Jacobian';
const CHAPTER = '/chapters/beyond/';
const SECTION = { id: 'richer-posteriors-normalizing-flows', title: 'Richer posteriors: normalizing flows' };

test(`“${WORD}” is in one chapter's source, in one section`, () => {
  const dir = join('src', 'content', 'chapters');
  const holding = readdirSync(dir).filter((f) => new RegExp(WORD, 'i').test(readFileSync(join(dir, f), 'utf8')));
  expect(holding).toEqual(['07-beyond.mdx']);
  const sections = readFileSync(join(dir, '07-beyond.mdx'), 'utf8').split(/^#{2,3} /m);
  expect(sections.filter((s) => new RegExp(WORD, 'i').test(s)).map((s) => s.split('\n')[0])).toEqual([SECTION.title]);
});

for (const phone of [false, true]) {
  test(`searching “${WORD}” lists chapter 7 alone, with a link to its section that opens it${phone ? ' @phone' : ''}`, async ({ page, problems }) => {
    await page.goto('/');
    await page.getByRole('searchbox', { name: 'Search the guide' }).fill(WORD);
    await expect(page.locator('site-search [role="status"]')).toHaveText(`1 page found for “${WORD}”.`);
    const result = page.locator('site-search .search-results > li');
    await expect(result).toHaveCount(1);
    await expect(result.locator('.search-page')).toHaveAttribute('href', CHAPTER);
    const section = result.getByRole('link', { name: SECTION.title, exact: true });
    await expect(section).toHaveAttribute('href', `${CHAPTER}#${SECTION.id}`);
    await expect(result.locator('mark').first()).toHaveText(new RegExp(WORD, 'i'));
    await (phone ? section.tap() : section.click());
    await expect(page).toHaveURL(`${CHAPTER}#${SECTION.id}`);
    await expect(page.locator(`#${SECTION.id}`)).toBeInViewport();
    expectClean(problems);
  });
}
