/**
 * Budgets (budgets.json, one file, a reason for each): the JavaScript a page runs before any
 * figure starts fails here when it grows past its budget, and so does the offline shell the
 * service worker fetches after a first visit (dist/coi-sw.js lists it). What a page transfers once every
 * figure on it has started is checked on the visit every-page.spec.ts makes, and the weights'
 * budgets by test/unit/budgets.test.ts.
 */
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OfflineManifest } from '../../scripts/lib/offline-manifest.ts';
import { budgetFor, loadBudgets } from '../lib/budgets.ts';
import { staticJavaScript } from '../lib/static-js.ts';
import { sitePages } from '../lib/site.ts';
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

test('the offline shell the service worker fetches after a first visit stays within its budget', () => {
  const worker = readFileSync(join('dist', 'coi-sw.js'), 'utf8');
  const listed = /const OFFLINE = (\{.*\});/.exec(worker)?.[1];
  expect(listed, 'npm run build writes the offline file list into dist/coi-sw.js').toBeDefined();
  const manifest = JSON.parse(listed!) as OfflineManifest;
  const bytes = Object.keys(manifest.shell).reduce((sum, path) => sum + statSync(join('dist', path)).size, 0);
  const budget = budgets.offlineShell.default;
  console.log(`offline shell: ${Object.keys(manifest.shell).length} files, ${(bytes / 1024).toFixed(0)} KiB of ${budget.kilobytes}`);
  expect(bytes).toBeLessThan(budget.kilobytes * 1024);
  // Weights and data are never in it: they are kept as a visit fetches them.
  expect(Object.keys(manifest.shell).filter((p) => /^(weights|data|classifiers)\//.test(p))).toEqual([]);
});
