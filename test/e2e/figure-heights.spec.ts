/**
 * A figure keeps the height its served HTML gives it while it starts: the loading messages, the
 * readouts and tables it fills in have their room from the start, so the text below never jumps
 * (layout shift) as a reader scrolls past a figure that is loading. Each figure's page of the
 * catalogue at desktop width, every example on it: its heights laid out from the HTML alone
 * (the bundled scripts refused) against its heights once every example has started and settled.
 */
import type { Page } from '@playwright/test';
import { CATALOGUE, startedStates, type CatalogueEntry } from '../../src/site/figures.ts';
import { expect, expectClean, test } from './fixtures.ts';

const VIEWPORT = { width: 1280, height: 720 };
/** Figures that change on purpose once started: a training panel grows its charts as it trains. */
const GROW_ON_PURPOSE = new Set(['train-in-page', 'own-data', 'own-explore']);
const ENTRIES = (CATALOGUE as readonly CatalogueEntry[]).filter((e) => e.element && !GROW_ON_PURPOSE.has(e.element));

const heights = (page: Page, element: string) => page.locator(element).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));

for (const entry of ENTRIES) {
  test(`<${entry.element}> on /figures/${entry.id}/ keeps its served height as it starts`, async ({ browser, page, problems }) => {
    const element = entry.element!;
    // The page as served, before any figure's script runs: the site's bundled scripts refused.
    // (Not scripts turned off: a canvas then shows its fallback content instead.)
    const plain = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
    await plain.route('**/_astro/**/*.js', (route) => route.abort());
    const served = await plain.newPage();
    await served.goto(`${test.info().project.use.baseURL}/figures/${entry.id}/`);
    const before = await heights(served, element);
    await plain.close();

    await page.setViewportSize(VIEWPORT);
    await page.addInitScript(() => {
      const shifts: number[] = [];
      (window as unknown as { shifts: number[] }).shifts = shifts;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!e.hadRecentInput) shifts.push(e.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`/figures/${entry.id}/`);
    const figures = page.locator(element);
    const states = new RegExp(`^(?:${startedStates(element).join('|')})$`);
    for (let i = 0; i < (await figures.count()); i++) {
      await figures.nth(i).scrollIntoViewIfNeeded();
      await expect.poll(() => figures.nth(i).getAttribute('data-state'), { timeout: 60_000 }).toMatch(states);
      await expect(figures.nth(i)).not.toHaveAttribute('data-settled', 'false', { timeout: 60_000 });
    }
    const after = await heights(page, element);
    expect(after.length).toBe(before.length);
    after.forEach((h, i) => expect(h, `example ${i + 1}: ${before[i]} px served, ${h} px running`).toBeCloseTo(before[i]!, 0));
    // Nor does it jump while loading: the page's layout shifts add up to far below the 0.01 of
    // a good page (a status line that grows by three lines and shrinks back would make 0.02).
    const shifts = await page.evaluate(() => (window as unknown as { shifts: number[] }).shifts);
    expect(shifts.reduce((a, b) => a + b, 0), `layout shifts ${shifts.map((v) => v.toFixed(4)).join(', ')}`).toBeLessThan(0.003);
    expectClean(problems);
  });
}
