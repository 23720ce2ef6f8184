/**
 * The figure catalogue in the browser, entry by entry from src/site/figures.ts: each
 * /figures/<id>/ page shows the component's purpose and props as its own source declares them
 * (read again here with figure-props.ts), every example's live figure starts with no error, and
 * each Copy button puts the example's MDX on the clipboard. /figures/ lists and links every entry.
 * Nothing here names a chapter, so a fork that replaces the chapters keeps these tests.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readComponentDoc } from '../../src/components/lib/build/figure-props.ts';
import { mdxSnippet } from '../../src/site/figure-snippet.ts';
import { CATALOGUE, exampleAnchor, exampleTag, startedStates, type CatalogueEntry } from '../../src/site/figures.ts';
import { expect, expectClean, test } from './fixtures.ts';

const entries = CATALOGUE as readonly CatalogueEntry[];
const docOf = (name: string) => readComponentDoc(join(process.cwd(), 'src', 'components', `${name}.astro`));

/** Scrolls the element into view and waits until it has started and has no work pending. */
async function expectStarted(page: Page, element: string, within: string): Promise<void> {
  const figure = page.locator(`${within} ${element}`);
  await expect(figure, `${within}: one <${element}>`).toHaveCount(1);
  await figure.scrollIntoViewIfNeeded();
  const started = startedStates(element);
  await expect
    .poll(() => figure.getAttribute('data-state'), { message: `${within}: <${element}> reaches ${started.join(' or ')}`, timeout: 60_000 })
    .toMatch(new RegExp(`^(?:${started.join('|')})$`));
  await expect(figure).not.toHaveAttribute('data-settled', 'false', { timeout: 60_000 });
}

test.describe('each catalogue page', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
  for (const entry of entries) {
    test(`/figures/${entry.id}/: purpose, props, live examples and their snippets`, async ({ page, problems }) => {
      const response = await page.goto(`/figures/${entry.id}/`);
      expect(response?.status()).toBe(200);
      await expect(page.locator('h1')).toHaveText(`<${entry.component}>`);

      for (const name of [entry.component, ...(entry.parts ?? [])]) {
        const doc = docOf(name);
        const block = page.locator(`[data-doc="${name}"]`);
        expect(doc.purpose, `${name}.astro has a doc comment`).not.toBe('');
        await expect(block.locator('[data-purpose]')).toHaveText(doc.purpose);
        if (doc.props.length === 0) {
          await expect(block.locator(`.no-props[data-props="${name}"]`)).toBeVisible();
        } else {
          const rows = block.locator(`table[data-props="${name}"] tbody tr`);
          expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-prop'))), `the props of ${name}`).toEqual(doc.props.map((p) => p.name));
          // The cells after the name: type, required, default, description.
          for (const p of doc.props) await expect(block.locator(`tr[data-prop="${p.name}"] td`).nth(1), `${name} ${p.name}`).toHaveText(p.optional ? 'optional' : 'required');
        }
      }

      await expect(page.locator('.entry > [data-example]')).toHaveCount(entry.examples.length);
      for (const example of entry.examples) {
        const anchor = exampleAnchor(entry, example);
        const box = page.locator(`.entry > [data-example="${anchor}"]`);
        await box.scrollIntoViewIfNeeded();
        await expect(box.locator('[data-live]')).not.toBeEmpty();
        if (entry.element) await expectStarted(page, entry.element, `.entry > [data-example="${anchor}"] [data-live]`);

        const snippet = mdxSnippet(exampleTag(entry, example));
        await expect(box.locator('[data-snippet]')).toHaveText(snippet);
        await box.locator('[data-copy]').click();
        await expect(box.locator('[data-copied]')).toHaveText('Copied.');
        expect(await page.evaluate(() => navigator.clipboard.readText()), `the clipboard after Copy of ${anchor}`).toBe(snippet);
      }
      expectClean(problems);
    });
  }
});

test('/figures/ lists every entry and example, and each heading links to the entry’s own page', async ({ page, problems }) => {
  await page.goto('/figures/');
  const toc = page.getByRole('navigation', { name: 'On this page' });
  for (const entry of entries) {
    const section = page.locator(`section.entry#${entry.id}`);
    await expect(section, entry.id).toHaveCount(1);
    await expect(toc.locator(`a[href="#${entry.id}"]`)).toHaveCount(1);
    for (const example of entry.examples) await expect(section.locator(`:scope > [data-example="${exampleAnchor(entry, example)}"]`)).toHaveCount(1);
    const link = section.locator('h3 a');
    await expect(link).toHaveText(`<${entry.component}>`);
    const href = await link.evaluate((a: HTMLAnchorElement) => a.pathname);
    expect(href, `the heading of ${entry.id}`).toBe(`/figures/${entry.id}/`);
    expect((await page.request.get(href)).status(), href).toBe(200);
  }
  await expect(page.locator('section.entry')).toHaveCount(entries.length);
  expectClean(problems);
});

test('a catalogue page fits a phone screen without sideways scrolling @phone', async ({ page, problems }) => {
  const entry = entries.find((e) => e.element !== undefined && e.examples.length > 1) ?? entries[0]!;
  await page.goto(`/figures/${entry.id}/`);
  for (const example of entry.examples) {
    const within = `.entry > [data-example="${exampleAnchor(entry, example)}"] [data-live]`;
    if (entry.element) await expectStarted(page, entry.element, within);
  }
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await overflow(), `horizontal overflow on /figures/${entry.id}/`).toBeLessThanOrEqual(0);
  // Every other entry's page too, as it first renders (its heading, purpose, props and snippet).
  for (const other of entries.filter((e) => e !== entry)) {
    await page.goto(`/figures/${other.id}/`);
    expect(await overflow(), `horizontal overflow on /figures/${other.id}/`).toBeLessThanOrEqual(0);
  }
  expectClean(problems);
});
