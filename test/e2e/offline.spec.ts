/**
 * The guide offline after one visit (public/coi-sw.js, registered by public/coi.js, with the file
 * list of scripts/offline-manifest.ts), on a plain static host: every chapter reloads with the
 * server stopped, its figures draw, the training panel trains and the search answers; a new build deployed over the
 * old one is fetched beside it and opens only on the next visit or from the notice, never mixed
 * with the page's own; and clearing the offline copy empties the caches but keeps what the reader
 * chose to keep until they say so.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from '../../scripts/lib/files.ts';
import { withManifest, type OfflineManifest } from '../../scripts/lib/offline-manifest.ts';
import { CATALOGUE, startedStates, type CatalogueEntry } from '../../src/site/figures.ts';
import { builtSitePages } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';
import { servePlain } from './plain-server.ts';

test.use({ serviceWorkers: 'allow' });
test.describe.configure({ timeout: 600_000 });

const DIST = join(ROOT, 'dist');
const CHAPTERS = builtSitePages().filter((p) => p.startsWith('/chapters/'));
const ELEMENTS = [...new Set((CATALOGUE as readonly CatalogueEntry[]).flatMap((e) => (e.element ? [e.element] : [])))];

/** How much of its build the worker keeps, as coi.js writes it: "kept/files". */
const kept = (page: Page) => page.evaluate(() => document.documentElement.dataset['offline'] ?? '').catch(() => '');
const wholeShell = /^(\d+)\/\1$/;

/** Scrolls to every figure of the page and waits until each has started. */
async function startFigures(page: Page, where: string): Promise<number> {
  let started = 0;
  for (const element of ELEMENTS) {
    const figures = page.locator(element);
    const states = new RegExp(`^(?:${startedStates(element).join('|')})$`);
    for (let i = 0; i < (await figures.count()); i++) {
      const figure = figures.nth(i);
      await figure.scrollIntoViewIfNeeded();
      await expect.poll(() => figure.getAttribute('data-state'), { message: `${where}: <${element}> #${i + 1} starts`, timeout: 90_000 }).toMatch(states);
      await expect(figure).not.toHaveAttribute('data-settled', 'false', { timeout: 90_000 });
      started++;
    }
  }
  return started;
}

/** The first chapter with a training panel, read from the built pages. */
const PANEL_CHAPTER = CHAPTERS.find((p) => readFileSync(join(DIST, p, 'index.html'), 'utf8').includes('<train-in-page'));

/** Trains the panel of the first chapter that has one until it has taken `more` steps beyond where it was. */
async function trainSomeSteps(page: Page, origin: string, more: number): Promise<void> {
  expect(PANEL_CHAPTER, 'a chapter with a training panel').toBeDefined();
  await page.goto(`${origin}${PANEL_CHAPTER}?workers=1`);
  const panel = page.locator('train-in-page').first();
  await panel.scrollIntoViewIfNeeded();
  const before = Number((await panel.getAttribute('data-step')) ?? 0);
  await panel.getByRole('button', { name: /^(Train|Continue)/ }).first().click();
  await expect.poll(async () => Number((await panel.getAttribute('data-step')) ?? 0), { timeout: 180_000 }).toBeGreaterThan(before + more);
  await panel.getByRole('button', { name: 'Pause' }).click();
}

test('after one visit every chapter reloads with the server stopped: its figures draw and the panel trains @long', async ({ page, problems }) => {
  const server = await servePlain();
  const { origin } = server;
  try {
    await page.goto(`${origin}/`);
    // The first page's worker takes over (and isolates the page), then keeps the whole build.
    await expect.poll(() => kept(page), { timeout: 180_000 }).toMatch(wholeShell);
    for (const path of CHAPTERS) {
      await page.goto(`${origin}${path}`);
      await startFigures(page, path);
    }
    await trainSomeSteps(page, origin, 3);
  } finally {
    await server.close();
  }
  // The server is gone: every answer comes from this browser's copy.
  expect(await fetch(`${origin}/`).then(() => 'answered', () => 'refused'), 'the server is stopped').toBe('refused');
  let figures = 0;
  for (const path of CHAPTERS) {
    const response = await page.goto(`${origin}${path}`);
    expect(response?.status(), path).toBe(200);
    await expect(page.locator('h1')).not.toBeEmpty();
    figures += await startFigures(page, `${path}, offline`);
  }
  expect(figures).toBeGreaterThan(10);
  await trainSomeSteps(page, origin, 3);

  // The site search works offline too: its index is part of the kept build.
  await page.goto(`${origin}${CHAPTERS[0]}`);
  const title = (await page.locator('main h1').first().innerText()).trim();
  await page.getByRole('searchbox', { name: 'Search the guide' }).fill(title);
  await expect(page.locator('site-search [role="status"]')).toContainText('found for');
  await expect(page.locator('site-search .search-results > li a').first()).toHaveAttribute('href', new RegExp(`^${CHAPTERS[0]}`));
  expectClean(problems);
});

/** A new deployment `name` of `changes` over dist/: those files, and the worker with the new file list. */
function deployment(name: string, changes: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'latent-lab-deploy-'));
  const built = readFileSync(join(DIST, 'coi-sw.js'), 'utf8');
  const old = JSON.parse(/const OFFLINE = (\{.*\});/.exec(built)![1]!) as OfflineManifest;
  const shell = { ...old.shell };
  for (const [path, text] of Object.entries(changes)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
    shell[path] = `${name}-${old.shell[path]}`.slice(0, 16);
  }
  const manifest: OfflineManifest = { ...old, version: `${name}-${old.version}`.slice(0, 12), shell };
  writeFileSync(join(dir, 'coi-sw.js'), withManifest(readFileSync(join(ROOT, 'public', 'coi-sw.js'), 'utf8'), manifest));
  return dir;
}

test('a new build deployed over the old one is fetched beside it and opens from the notice, or on the next visit, never mixed', async ({ page, context, problems }) => {
  const server = await servePlain();
  const { origin } = server;
  const home = readFileSync(join(DIST, 'index.html'), 'utf8');
  const lede = async (p: Page) => (await p.locator('.lede').first().textContent())?.trim() ?? '';
  const second = deployment('second', { 'index.html': home.replace('An explorable guide to variational autoencoders.', 'The second build of this guide.') });
  const third = deployment('third', { 'index.html': home.replace('An explorable guide to variational autoencoders.', 'The third build of this guide.') });
  try {
    await page.goto(`${origin}/`);
    await expect.poll(() => kept(page), { timeout: 180_000 }).toMatch(wholeShell);
    const first = await lede(page);
    expect(first).toMatch(/^An explorable guide/);

    // The second build goes up: the open page keeps its own build, and says a new one is ready.
    server.serve(second, DIST);
    await page.reload();
    const notice = page.locator('.update-notice');
    await expect(notice).toContainText('A new version of this guide is ready. It opens on your next visit.', { timeout: 120_000 });
    expect(await lede(page), 'the page still runs the build it started with').toBe(first);
    await notice.getByRole('button', { name: 'Open it now' }).click();
    await expect.poll(() => lede(page), { timeout: 60_000 }).toMatch(/^The second build/);
    // The old build's copy is gone once the new one runs.
    await expect.poll(() => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('latent-lab-shell-')).length)).toBe(1);

    // The third build: closing every page of the site and coming back opens it.
    server.serve(third, DIST);
    await page.reload();
    await expect(page.locator('.update-notice')).toBeVisible({ timeout: 120_000 });
    expect(await lede(page)).toMatch(/^The second build/);
    await page.close();
    const next = await context.newPage();
    await next.goto(`${origin}/`);
    await expect.poll(() => lede(next), { timeout: 60_000 }).toMatch(/^The third build/);
    await expect(next.locator('.update-notice')).toHaveCount(0);
  } finally {
    await server.close();
    rmSync(second, { recursive: true, force: true });
    rmSync(third, { recursive: true, force: true });
  }
  expectClean(problems);
});

test('clearing the offline copy empties the site’s caches and keeps the reader’s models until asked', async ({ page, problems }) => {
  const server = await servePlain();
  const { origin } = server;
  const caches = () => page.evaluate(async () => (await self.caches.keys()).filter((k) => k.startsWith('latent-lab-')));
  try {
    await page.goto(`${origin}/offline/`);
    await expect.poll(() => kept(page), { timeout: 180_000 }).toMatch(wholeShell);
    // A model the reader kept (the training panel's slot), as the panel writes it.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('latent-lab', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('models');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('models', 'readwrite');
            tx.objectStore('models').put(new Uint8Array(1000), 'yours');
            tx.oncomplete = () => resolve();
          };
        }),
    );
    await page.reload();
    const storage = page.locator('offline-storage');
    await expect(storage).toHaveAttribute('data-state', 'ready');
    await expect(storage).toHaveAttribute('data-kept', '1');
    await expect(storage.locator('[data-worker]')).toContainText('running');
    await expect(storage.locator('[data-shell]')).toContainText(/files of the site \(version [0-9a-f]+\)/);
    expect((await caches()).length).toBeGreaterThan(0);

    await storage.getByRole('button', { name: 'Clear the offline copy' }).click();
    await expect(storage.locator('[data-note]')).toContainText('your kept models and dataset stay');
    expect(await caches()).toEqual([]);
    await expect(storage).toHaveAttribute('data-kept', '1');
    await expect(storage.locator('[data-kept]')).toContainText('the model of the training panel');

    await storage.getByRole('button', { name: 'Clear everything, my models and dataset too' }).click();
    await expect(storage.locator('[data-note]')).toContainText('the models and your dataset are gone');
    await expect(storage).toHaveAttribute('data-kept', '0');
    expect(await caches()).toEqual([]);
  } finally {
    await server.close();
  }
  expectClean(problems);
});
