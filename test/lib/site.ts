/** Walking the built site as a reader would, for the browser tests that visit every page. */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

/** Every page reachable from the home page, found by following its links. */
export async function sitePages(page: Page): Promise<string[]> {
  await page.goto('/');
  const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  return ['/', ...new Set(hrefs.filter((h) => h !== '/'))];
}

/**
 * The same pages, read from the built home page (dist/index.html) when the tests are collected,
 * so that a spec can give each page a test of its own. A test compares it with `sitePages`.
 */
export function builtSitePages(): string[] {
  const html = readFileSync('dist/index.html', 'utf8');
  const hrefs = [...html.matchAll(/<a\b[^>]*\bhref="(\/[^"#?]*)/g)].map((m) => m[1] as string);
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
