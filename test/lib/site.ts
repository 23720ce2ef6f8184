/** Walking the built site as a reader would, for the browser tests that visit every page. */
import type { Page } from '@playwright/test';

/** Every page reachable from the home page, found by following its links. */
export async function sitePages(page: Page): Promise<string[]> {
  await page.goto('/');
  const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  return ['/', ...new Set(hrefs.filter((h) => h !== '/'))];
}

/** Scrolls down the page `step` pixels at a time, so every lazy figure on it starts. */
export async function scrollThrough(page: Page, step = 500): Promise<void> {
  await page.evaluate(async (step) => {
    for (let y = 0; y < document.body.scrollHeight; y += step) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 40));
    }
  }, step);
}
