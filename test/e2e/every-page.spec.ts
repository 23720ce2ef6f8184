/**
 * Every page the home page links to, each its own test (so the pages spread over the workers),
 * visited once as a first-time reader would, in a fresh context with an empty cache and with
 * reduced motion asked for. With every lazy figure started and settled:
 * - the page answered 200, with no uncaught error, console error, failed or off-site request;
 * - it transferred no more than its budget (budgets.json, `pageTransfer`);
 * - nothing on it moves on its own;
 * - axe-core finds no WCAG 2.1 A or AA violation in light mode, and then, in dark mode, none
 *   of the rules that read colours. The themes are switched on the loaded page, as a reader's
 *   system setting would, so the figures' repaint is checked too.
 * The JavaScript a page runs before its figures start has its own budget (budgets.spec.ts).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { budgetFor, loadBudgets } from '../lib/budgets.ts';
import { builtSitePages, scrollThrough, sitePages } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';

test.describe.configure({ mode: 'parallel' });

const budgets = loadBudgets();

/** Scrolls through the page so that every lazy figure starts, then waits for them to settle. */
async function startFigures(page: Page): Promise<void> {
  await scrollThrough(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[data-state="loading"]')).toHaveCount(0, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
}

/**
 * Two animation frames, after which what a figure repaints on a theme change is on screen. A
 * renderer starved of CPU by the other worker can hold frames back for minutes; axe reads
 * computed styles, which follow the theme at once, so after 10 s the check goes on.
 */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        setTimeout(resolve, 10_000);
        requestAnimationFrame(() => requestAnimationFrame(resolve));
      }),
  );
}

/**
 * The rules whose outcome can change with the theme: those that read colours. The first pass
 * (light) runs every WCAG 2.1 A and AA rule; the dark pass repeats only these, since the theme
 * changes nothing else (structure, names, roles).
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

async function violations(page: Page, only?: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const { violations } = await (only ? builder.withRules(only) : builder).analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('the pages checked here are the pages the home page links to', async ({ page }) => {
  expect(builtSitePages()).toEqual(await sitePages(page));
});

for (const path of builtSitePages()) {
  test(`${path}: answers 200 within its transfer budget; nothing animates with reduced motion asked for; axe finds no WCAG 2.1 AA violation in light or dark mode`, async ({ context, page, problems }) => {
    test.setTimeout(180_000);
    // Everything the page fetches, as a first visit does: the context is the test's own, its cache empty.
    let bytes = 0;
    const sizes: Promise<void>[] = [];
    context.on('requestfinished', (req) => sizes.push(req.sizes().then((s) => void (bytes += s.responseBodySize + s.responseHeadersSize))));
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
    const response = await page.goto(path);
    expect(response?.status(), `status of ${path}`).toBe(200);
    await startFigures(page);
    await Promise.all(sizes);
    const budget = budgetFor(budgets.pageTransfer, path);
    console.log(`${path}: transferred ${(bytes / 1024).toFixed(0)} KiB of ${budget.kilobytes}`);
    expect(bytes, `${path}: bytes transferred once its figures started, budget ${budget.kilobytes} KiB`).toBeLessThanOrEqual(budget.kilobytes * 1024);

    const running = await page.evaluate(() => document.getAnimations().map((a) => (a.effect as KeyframeEffect | null)?.target?.nodeName ?? 'animation'));
    expect(running, 'animations').toEqual([]);
    const found: Record<string, string[]> = {};
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await nextFrames(page);
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(scheme === 'dark');
      const list = await violations(page, scheme === 'dark' ? COLOUR_RULES : undefined);
      if (list.length) found[scheme] = list;
    }
    expect(found).toEqual({});
    expectClean(problems);
  });
}
