/**
 * Accessibility: axe-core finds no WCAG 2.1 A or AA violation on any page, in light and in dark
 * mode, with the figures started (their controls, canvases and readouts in the DOM). Nothing on
 * the site moves on its own when the reader asks for reduced motion.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { scrollThrough, sitePages } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';


/** Scrolls through the page so that every lazy figure starts, then waits for them to settle. */
async function startFigures(page: Page): Promise<void> {
  await scrollThrough(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[data-state="loading"]')).toHaveCount(0, { timeout: 60_000 });
}

function describe(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string[] {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no WCAG 2.1 AA violation on any page, ${scheme} mode`, async ({ page, problems }) => {
    test.setTimeout(300_000);
    await page.emulateMedia({ colorScheme: scheme });
    const pages = await sitePages(page);
    const found: Record<string, string[]> = {};
    for (const path of pages) {
      await page.goto(path);
      await startFigures(page);
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      if (violations.length) found[path] = describe(violations);
    }
    expect(found).toEqual({});
    expectClean(problems);
  });
}

test('with reduced motion asked for, nothing animates', async ({ page, problems }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  for (const path of await sitePages(page)) {
    await page.goto(path);
    await startFigures(page);
    const running = await page.evaluate(() => document.getAnimations().map((a) => (a.effect as KeyframeEffect | null)?.target?.nodeName ?? 'animation'));
    expect(running, `animations on ${path}`).toEqual([]);
  }
  expectClean(problems);
});
