/**
 * The figure catalogue's pages, /figures/<entry id>/, which the browser tests of each figure
 * open: every example of one component, live, each in `<div class="example" id="<entry id>-<example id>">`.
 * They are built from src/site/figures.ts, so the tests stay when a fork replaces the chapters.
 */
import type { Locator, Page } from '@playwright/test';

/** The path of an entry's page, with an optional query (`?a=1`) or hash. */
export function figurePage(entry: string, query = ''): string {
  return `/figures/${entry}/${query}`;
}

/** One example on its entry's page. */
export function example(page: Page, entry: string, id: string): Locator {
  return page.locator(`.example#${entry}-${id}`);
}
