/**
 * Budgets (budgets.json, one file, a reason for each): the JavaScript a page runs before any
 * figure starts, and everything a page transfers once every figure on it has started. Either
 * growing past its budget fails here; the weights' budgets are checked by test/unit/budgets.test.ts.
 */
import { budgetFor, loadBudgets } from '../lib/budgets.ts';
import { staticJavaScript } from '../lib/static-js.ts';
import { scrollThrough, sitePages } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';

const budgets = loadBudgets();


test('no page runs more JavaScript before its figures start than its budget @long', async ({ page, problems }) => {
  const over: string[] = [];
  const measured: string[] = [];
  for (const path of await sitePages(page)) {
    const { bytes, files } = await staticJavaScript('dist', path);
    const budget = budgetFor(budgets.javascriptBeforeFigures, path);
    measured.push(`${path}: ${(bytes / 1024).toFixed(1)} KiB of ${budget.kilobytes}`);
    if (bytes > budget.kilobytes * 1024) over.push(`${path}: ${(bytes / 1024).toFixed(1)} KiB > ${budget.kilobytes} KiB (${files.join(', ')})`);
    // TF.js (over a megabyte) is never among them: it loads when a figure starts.
    expect(bytes, `${path} loads TF.js up front`).toBeLessThan(400 * 1024);
  }
  console.log(measured.join('\n'));
  expect(over).toEqual([]);
  expectClean(problems);
});

test('no page transfers more than its budget once all its figures have started @long', async ({ browser, page, problems }) => {
  test.setTimeout(300_000);
  const over: string[] = [];
  const measured: string[] = [];
  for (const path of await sitePages(page)) {
    // A fresh context for each page: an empty cache, as for a first visit.
    const context = await browser.newContext();
    const reader = await context.newPage();
    let bytes = 0;
    const sizes: Promise<void>[] = [];
    context.on('requestfinished', (req) => sizes.push(req.sizes().then((s) => void (bytes += s.responseBodySize + s.responseHeadersSize))));
    await reader.goto(path);
    await scrollThrough(reader);
    await reader.waitForLoadState('networkidle');
    await expect(reader.locator('[data-state="loading"]')).toHaveCount(0, { timeout: 60_000 });
    await reader.waitForLoadState('networkidle');
    await Promise.all(sizes);
    await context.close();
    const budget = budgetFor(budgets.pageTransfer, path);
    measured.push(`${path}: ${(bytes / 1024).toFixed(0)} KiB of ${budget.kilobytes}`);
    if (bytes > budget.kilobytes * 1024) over.push(`${path}: ${(bytes / 1024).toFixed(0)} KiB > ${budget.kilobytes} KiB`);
  }
  console.log(measured.join('\n'));
  expect(over).toEqual([]);
  expectClean(problems);
});
