/**
 * The authoring guide is a page of the site as well as CONTRIBUTING.md: the same sections, its
 * commands in code blocks, and its links to other files of the repository pointing there.
 */
import { readFile } from 'node:fs/promises';
import { SITE } from '../../site.config.mjs';
import { expect, expectClean, test } from './fixtures.ts';

test('the guide page renders CONTRIBUTING.md with its sections, commands and repository links', async ({ page, problems }) => {
  const source = await readFile('CONTRIBUTING.md', 'utf8');
  // Headings inside fenced code blocks (examples of MDX) are not the guide's own sections.
  const prose = source.replace(/^```[\s\S]*?^```/gm, '');
  const sections = [...prose.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.replace(/`/g, ''));
  expect(sections.length).toBeGreaterThan(4);
  await page.goto('/');
  await page.getByRole('link', { name: 'Write your own explainer' }).click();
  await expect(page).toHaveURL(/\/guide\/$/);
  await expect(page.locator('h1')).toHaveText(/^Contributing and authoring/);
  await expect(page.locator('.prose h2')).toHaveText(sections);
  const toc = page.getByRole('navigation', { name: 'On this page' });
  await expect(toc.getByRole('link')).toHaveCount(sections.length);
  await expect(page.locator('.prose pre', { hasText: 'npm run new:chapter' }).first()).toBeVisible();
  const architecture = page.locator('.prose a', { hasText: 'docs/ARCHITECTURE.md' }).first();
  await expect(architecture).toHaveAttribute('href', `${SITE.repository}/blob/main/docs/ARCHITECTURE.md`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expectClean(problems);
});
