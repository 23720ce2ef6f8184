/**
 * Chapter 7's colour section: each figure that draws the emoji artwork has the artwork's
 * licences beside it, as the dataset's manifest records them, and the figures of the section
 * start and draw in colour with the page free of errors.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC } from '../../scripts/lib/files.ts';
import { expect, expectClean, test } from '../e2e/fixtures.ts';

const PAGE = '/chapters/beyond/';

test('every emoji figure has the artwork’s licences beside it, and each starts', async ({ page, problems }) => {
  const manifest = JSON.parse(await readFile(join(PUBLIC, 'data', 'emoji', 'manifest.json'), 'utf8')) as { preparation: { artwork: { set: string; licence: string }[] } };
  expect(manifest.preparation.artwork.map((a) => a.licence)).toEqual(['CC BY 4.0', 'Apache-2.0']);
  await page.goto(PAGE);
  const figures = page.locator('figure.figure:has([data-model^="emoji-"])');
  await expect(figures).toHaveCount(5);
  for (let k = 0; k < 5; k++) {
    const figure = figures.nth(k);
    // The credit is the first paragraph after the figure (a component's script may come between).
    const credit = figure.locator('xpath=following-sibling::p[1]');
    await expect(credit).toHaveAttribute('data-artwork-credits', /^emoji(-art)?$/);
    for (const { set } of manifest.preparation.artwork) await expect(credit).toContainText(set);
    await expect(credit.getByRole('link', { name: 'CC BY 4.0' })).toHaveAttribute('href', 'https://creativecommons.org/licenses/by/4.0/');
    await expect(credit.getByRole('link', { name: 'Apache-2.0' })).toHaveAttribute('href', 'https://www.apache.org/licenses/LICENSE-2.0');
    await figure.scrollIntoViewIfNeeded();
    await expect(figure.locator('[data-state]').first()).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  }
  expectClean(problems);
});
