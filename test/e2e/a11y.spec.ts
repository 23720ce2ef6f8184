/**
 * Accessibility, page by page (each page its own test, so the pages spread over the workers):
 * with reduced motion asked for, nothing on the page moves on its own; and axe-core finds no
 * WCAG 2.1 A or AA violation in light mode and then in dark mode, with the figures started
 * (their controls, canvases and readouts in the DOM). The themes are switched on the loaded
 * page, as a reader's system setting would, so the figures' repaint is checked too.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { builtSitePages, scrollThrough, sitePages } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';

test.describe.configure({ mode: 'parallel' });

/** Scrolls through the page so that every lazy figure starts, then waits for them to settle. */
async function startFigures(page: Page): Promise<void> {
  await scrollThrough(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[data-state="loading"]')).toHaveCount(0, { timeout: 60_000 });
}

/** Two animation frames: what a figure repaints on a theme change is on screen after them. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

async function violations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('the pages checked here are the pages the home page links to', async ({ page }) => {
  expect(builtSitePages()).toEqual(await sitePages(page));
});

for (const path of builtSitePages()) {
  test(`${path}: nothing animates with reduced motion asked for; axe finds no WCAG 2.1 AA violation in light or dark mode`, async ({ page, problems }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
    await page.goto(path);
    await startFigures(page);
    const running = await page.evaluate(() => document.getAnimations().map((a) => (a.effect as KeyframeEffect | null)?.target?.nodeName ?? 'animation'));
    expect(running, 'animations').toEqual([]);
    const found: Record<string, string[]> = {};
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await nextFrames(page);
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(scheme === 'dark');
      const list = await violations(page);
      if (list.length) found[scheme] = list;
    }
    expect(found).toEqual({});
    expectClean(problems);
  });
}
