/**
 * The weights' budgets of budgets.json: every shipped model's encoder and decoder files together
 * stay within their budget, and the budgets file itself gives a reason for every number.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { budgetFor, loadBudgets } from '../lib/budgets.ts';

const WEIGHTS = join(process.cwd(), 'public', 'weights');

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

test('budgets.json gives every budget a size and a reason', () => {
  const budgets = loadBudgets();
  for (const kind of ['javascriptBeforeFigures', 'pageTransfer', 'weights'] as const) assert.ok(budgets[kind].default.kilobytes > 0, kind);
});

test('every shipped model’s weights stay within their budget', () => {
  const { weights } = loadBudgets();
  const models = readdirSync(WEIGHTS).filter((id) => statSync(join(WEIGHTS, id)).isDirectory());
  assert.ok(models.length >= 5, 'the models are in public/weights');
  const over: string[] = [];
  for (const id of models) {
    const bytes = folderBytes(join(WEIGHTS, id, 'encoder')) + folderBytes(join(WEIGHTS, id, 'decoder'));
    const budget = budgetFor(weights, id);
    if (bytes > budget.kilobytes * 1024) over.push(`${id}: ${(bytes / 1024).toFixed(0)} KiB > ${budget.kilobytes} KiB (${budget.reason})`);
  }
  assert.deepEqual(over, []);
});

test('a budget check fails when a model outgrows its budget', () => {
  const { weights } = loadBudgets();
  const flagship = folderBytes(join(WEIGHTS, 'mnist-conv-z2', 'encoder')) + folderBytes(join(WEIGHTS, 'mnist-conv-z2', 'decoder'));
  // The same model stored as float32 (twice the bytes of its float16 weights) would not fit.
  assert.ok(2 * flagship > budgetFor(weights, 'mnist-conv-z2').kilobytes * 1024, 'the flagship’s budget leaves room for float32 weights: tighten it');
});
