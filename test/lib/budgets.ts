/** Reads budgets.json: for each kind of budget a default and per-page or per-model exceptions, each with its reason. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Budget {
  kilobytes: number;
  reason: string;
}

export interface BudgetTable {
  default: Budget;
  /** Exceptions by page path ("/figures/beta-sweep/") or model id. */
  except: Record<string, Budget>;
}

export interface Budgets {
  javascriptBeforeFigures: BudgetTable;
  pageTransfer: BudgetTable;
  offlineShell: BudgetTable;
  weights: BudgetTable;
}

export function loadBudgets(root = process.cwd()): Budgets {
  const budgets = JSON.parse(readFileSync(join(root, 'budgets.json'), 'utf8')) as Budgets;
  for (const [kind, table] of Object.entries(budgets)) {
    if (kind.startsWith('$')) continue;
    for (const [name, b] of [['default', table.default], ...Object.entries(table.except ?? {})] as [string, Budget][]) {
      if (!(b.kilobytes > 0) || !b.reason?.trim()) throw new Error(`budgets.json: ${kind}.${name} needs a positive "kilobytes" and a "reason"`);
    }
  }
  return budgets;
}

export function budgetFor(table: BudgetTable, key: string): Budget {
  return table.except?.[key] ?? table.default;
}
