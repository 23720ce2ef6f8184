/**
 * <CheckYourself> on its catalogue page, /figures/check-yourself/: each answer stays hidden until
 * the reader opens it, from the keyboard or with the pointer, and only the one asked for opens;
 * open, the answers fit a phone's width.
 *
 * Then "Check yourself" at the end of every chapter, walked from the home page's list: a section
 * listed in the table of contents, with 3 to 5 questions whose answers stay hidden until the
 * reader opens them, from the keyboard or with the pointer. Every link in an answer answers 200
 * from this site, its #fragment exists, and a link that carries a figure's state (e.g.
 * ?posterior.image=3841, ?train.beta=4, ?mnist-conv-z2.z=1.5,-0.5) opens that figure with no note
 * that a value was clamped or ignored, and with no parameter that no figure reads.
 */
import type { Locator, Page } from '@playwright/test';
import { example, figurePage } from '../lib/figures.ts';
import { expect, expectClean, test } from './fixtures.ts';

async function openSection(page: Page): Promise<Locator> {
  await page.goto(figurePage('check-yourself'));
  const section = example(page, 'check-yourself', 'two-questions').locator('[data-check-yourself]');
  await expect(section).toHaveCount(1);
  return section;
}

test('answers are hidden at first and open from the keyboard and by click, one at a time', async ({ page, problems }) => {
  const section = await openSection(page);
  await expect(section.getByText('Predict first, then check.')).toBeVisible();
  const questions = section.locator('[data-question]');
  await expect(questions).toHaveCount(2);
  const answers = section.locator('[data-answer]');
  await expect(answers).toHaveCount(2);
  for (let i = 0; i < 2; i++) {
    await expect(questions.nth(i).locator('[data-answer]'), `question ${i + 1} has one answer`).toHaveCount(1);
    await expect(answers.nth(i).locator('.body'), `answer ${i + 1} is hidden at first`).toBeHidden();
  }
  // The keyboard: focus the first control, Enter opens its answer, Space closes and reopens it.
  const first = answers.nth(0).locator('summary');
  await first.focus();
  await expect(first).toHaveAccessibleName('Show the answer');
  await page.keyboard.press('Enter');
  await expect(answers.nth(0).locator('.body')).toBeVisible();
  await expect(first).toHaveAccessibleName('Hide the answer');
  await page.keyboard.press('Space');
  await expect(answers.nth(0).locator('.body')).toBeHidden();
  await page.keyboard.press('Space');
  await expect(answers.nth(0).locator('.body')).toBeVisible();
  // The pointer opens another, and only that one; the first stays as the reader left it.
  await answers.nth(0).locator('summary').click();
  await expect(answers.nth(0).locator('.body')).toBeHidden();
  await answers.nth(1).locator('summary').click();
  await expect(answers.nth(1).locator('.body')).toBeVisible();
  await expect(answers.nth(0).locator('.body')).toBeHidden();
  expectClean(problems);
});

test('the example’s answers fit a phone’s width when open @phone', async ({ page, problems }) => {
  const section = await openSection(page);
  for (const summary of await section.locator('summary').all()) await summary.click();
  await expect(section.locator('[data-answer] .body').last()).toBeVisible();
  const overflow = await section.evaluate((el) => {
    const width = document.documentElement.clientWidth;
    // Display math scrolls inside its own box; inline math counts by its outer box.
    return [...el.querySelectorAll<Element>('*')]
      .filter((e) => !e.closest('.katex-display') && !e.parentElement?.closest('.katex'))
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .map((e) => `${e.localName}.${e.getAttribute('class') ?? ''}: ${e.textContent?.slice(0, 40)}`);
  });
  expect(overflow, 'parts of Check yourself wider than the screen').toEqual([]);
  expectClean(problems);
});

async function chapterPaths(page: Page): Promise<string[]> {
  await page.goto('/');
  const paths = await page.locator('.chapter-list a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  expect(paths.length, 'the home page lists the chapters').toBeGreaterThan(0);
  return paths;
}

/**
 * The words of every note a figure shows about a URL value it clamped or ignored
 * (src/components/lib/page/url-state.ts, and the figures' own notes).
 */
const URL_NOTE = /The link('s| asks)|between the slider's steps/;

/**
 * The URL prefix each figure reads its state from (`prefix.name=value`), by element; a figure
 * that keeps state in the URL must be listed here for its links to be checked.
 */
function ownerSelector(prefix: string): string {
  const q = JSON.stringify(prefix);
  return [
    prefix === 'posterior' ? 'posterior-ellipse' : '',
    prefix === 'train' ? 'train-in-page:has([data-url-note])' : '',
    prefix === 'interp' ? 'latent-interpolation:not([data-key])' : '',
    `latent-interpolation[data-key=${q}]`,
    `latent-manifold[data-model=${q}]`,
    `beta-sweep[data-id=${q}]`,
    `gradient-estimators[data-prefix=${q}]`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Waits until a figure has read the URL and shown what it will show (or failed). */
async function settled(figure: Locator): Promise<void> {
  await figure.scrollIntoViewIfNeeded();
  const tag = await figure.evaluate((el) => el.localName);
  if (tag === 'train-in-page') return; // reads its settings as it connects, and trains only when asked
  if (tag === 'gradient-estimators') {
    await expect(figure.locator('[data-inputs]')).toBeEnabled({ timeout: 60_000 });
    return;
  }
  await expect(figure).toHaveAttribute('data-state', /^(ready|error)$/, { timeout: 60_000 });
}

test('every chapter ends with a Check yourself section whose answers open from the keyboard and by click', async ({ page, problems }) => {
  for (const path of await chapterPaths(page)) {
    await page.goto(path);
    const section = page.locator('[data-check-yourself]');
    await expect(section, `${path}: one Check yourself section`).toHaveCount(1);
    await expect(page.locator('h2#check-yourself'), `${path}: its heading`).toHaveText('Check yourself');
    await expect(page.getByRole('navigation', { name: 'On this page' }).locator('a[href="#check-yourself"]'), `${path}: listed on this page`).toHaveCount(1);
    await expect(section.getByText('Predict first, then check.')).toBeVisible();
    const questions = section.locator('[data-question]');
    const count = await questions.count();
    expect(count, `${path}: questions`).toBeGreaterThanOrEqual(3);
    expect(count, `${path}: questions`).toBeLessThanOrEqual(5);
    const answers = section.locator('[data-answer]');
    await expect(answers).toHaveCount(count);
    for (let i = 0; i < count; i++) {
      await expect(questions.nth(i).locator('[data-answer]'), `${path}: question ${i + 1} has one answer`).toHaveCount(1);
      await expect(answers.nth(i).locator('.body'), `${path}: answer ${i + 1} is hidden at first`).toBeHidden();
    }
    // The keyboard: focus the first control, Enter opens its answer, Space closes and reopens it.
    const first = answers.nth(0).locator('summary');
    await first.focus();
    await expect(first).toHaveAccessibleName('Show the answer');
    await page.keyboard.press('Enter');
    await expect(answers.nth(0).locator('.body')).toBeVisible();
    await expect(first).toHaveAccessibleName('Hide the answer');
    await page.keyboard.press('Space');
    await expect(answers.nth(0).locator('.body')).toBeHidden();
    await page.keyboard.press('Space');
    await expect(answers.nth(0).locator('.body')).toBeVisible();
    // The pointer opens another, and only that one.
    await answers.nth(1).locator('summary').click();
    await expect(answers.nth(1).locator('.body')).toBeVisible();
    for (let i = 2; i < count; i++) await expect(answers.nth(i).locator('.body')).toBeHidden();
  }
  expectClean(problems);
});

test('every link in an answer answers 200 here, and a figure link opens its figure without a note', async ({ page, problems }) => {
  test.setTimeout(600_000);
  const links: { from: string; href: string }[] = [];
  for (const path of await chapterPaths(page)) {
    await page.goto(path);
    for (const href of await page.locator('[data-check-yourself] [data-answer] a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
      links.push({ from: path, href });
    }
  }
  const here = new URL(page.url()).origin;
  // Soft checks: one run lists every bad link of every chapter.
  for (const { from, href } of links) {
    const url = new URL(href);
    const what = `${from}: answer link ${href}`;
    expect.soft(url.origin, `${what} stays on this site`).toBe(here);
    const response = await page.request.get(`${url.origin}${url.pathname}${url.search}`);
    expect.soft(response.status(), what).toBe(200);
    const params = [...url.searchParams.keys()].filter((k) => k.includes('.'));
    if (params.length === 0 && !url.hash) continue;
    await page.goto(href);
    if (url.hash) await expect.soft(page.locator(`[id="${decodeURIComponent(url.hash.slice(1))}"]`), `${what}: its #fragment`).toHaveCount(1);
    const prefixes = [...new Set(params.map((k) => k.slice(0, k.lastIndexOf('.'))))];
    for (const prefix of prefixes) {
      const owners = page.locator(ownerSelector(prefix));
      expect.soft(await owners.count(), `${what}: a figure on the page reads "${prefix}.…"`).toBeGreaterThan(0);
      for (let i = 0; i < (await owners.count()); i++) {
        const figure = owners.nth(i);
        await settled(figure);
        await expect.soft(figure, `${what}: the figure starts`).not.toHaveAttribute('data-state', 'error');
        const notes = await figure.locator('[data-note], [data-url-note]').evaluateAll((els) => els.filter((el) => !(el as HTMLElement).hidden).map((el) => el.textContent?.trim() ?? '').filter(Boolean));
        expect.soft(notes, `${what}: the figure's notes`).toEqual([]);
        expect.soft(await figure.innerText(), `${what}: the figure says nothing about the link`).not.toMatch(URL_NOTE);
      }
    }
  }
  expectClean(problems);
});

test('every chapter’s answers fit a phone’s width when open @phone', async ({ page, problems }) => {
  for (const path of await chapterPaths(page)) {
    await page.goto(path);
    const section = page.locator('[data-check-yourself]');
    // A chapter without the section fails the first test; here the others are still measured.
    if ((await section.count()) !== 1) continue;
    for (const summary of await section.locator('summary').all()) await summary.click();
    const overflow = await section.evaluate((el) => {
      const width = document.documentElement.clientWidth;
      // Display math scrolls inside its own box. Inline math counts by its outer box: inside it,
      // KaTeX's MathML is clipped to nothing and its SVG strokes (√, wide accents) are clipped
      // to their boxes. Everything else must stay within the screen.
      return [...el.querySelectorAll<Element>('*')]
        .filter((e) => !e.closest('.katex-display') && !e.parentElement?.closest('.katex'))
        .filter((e) => e.getBoundingClientRect().right > width + 1)
        .map((e) => `${e.localName}.${e.getAttribute('class') ?? ''}: ${e.textContent?.slice(0, 40)}`);
    });
    expect(overflow, `${path}: parts of Check yourself wider than the screen`).toEqual([]);
  }
  expectClean(problems);
});
