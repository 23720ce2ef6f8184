/**
 * A static host that sends no COOP/COEP headers, as GitHub Pages: the service worker of
 * public/coi-sw.js, registered by public/coi.js, makes the page cross-origin isolated after one
 * reload, so the figures decode on several wasm threads; `?coi=0` turns it off again. Where the
 * host sends the headers itself, the worker still registers (it keeps the offline copy) and the
 * page never reloads.
 */
import type { Page } from '@playwright/test';
import { example, figurePage } from '../lib/figures.ts';
import { expect, expectClean, test } from './fixtures.ts';
import { servePlain } from './plain-server.ts';

let server: Awaited<ReturnType<typeof servePlain>>;
let origin: string;

test.beforeAll(async () => {
  server = await servePlain();
  origin = server.origin;
});

test.afterAll(() => server?.close());

test.use({ serviceWorkers: 'allow' });

/** Whether the page is isolated; undefined while a reload replaces it. */
const isolated = (page: Page) => page.evaluate(() => self.crossOriginIsolated).catch(() => undefined);
const controller = (page: Page) => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null).catch(() => undefined);
const registrations = (page: Page) => page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length);

test('on a host without headers the service worker isolates the page after one reload: the figures run wasm threads, training still works', async ({ page, problems }) => {
  // wasm by choice: on a busy machine the first-visit probe may measure another backend faster.
  await page.goto(`${origin}${figurePage('latent-manifold', '?backend=wasm')}`);
  await expect.poll(() => isolated(page), { message: 'the shim must isolate the page' }).toBe(true);
  expect(await controller(page)).toBe(`${origin}/coi-sw.js`);
  const threads = await page.evaluate(() => Math.min(4, navigator.hardwareConcurrency));
  const manifold = example(page, 'latent-manifold', 'linear').locator('latent-manifold');
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-state', 'ready');
  await expect(manifold.locator('[data-status]')).toContainText(`wasm (SIMD, ${threads} thread${threads === 1 ? '' : 's'})`);

  // Another page of the site is isolated at once, and trains.
  await page.goto(`${origin}${figurePage('train-in-page', '?workers=2')}`);
  expect(await isolated(page)).toBe(true);
  const fig = example(page, 'train-in-page', 'compact').locator('train-in-page');
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train' }).click();
  await expect.poll(async () => Number(await fig.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(3);
  await expect(fig).toHaveAttribute('data-workers', '2');
  await fig.getByRole('button', { name: 'Stop' }).click();

  // Reloading again keeps the page isolated, with no further reload.
  await page.reload();
  expect(await isolated(page)).toBe(true);
  expectClean(problems);
});

test('?coi=0 unregisters the service worker and keeps it off; ?coi=1 lets it back', async ({ page, problems }) => {
  await page.goto(`${origin}/`);
  await expect.poll(() => isolated(page)).toBe(true);

  await page.goto(`${origin}/?coi=0`);
  await expect.poll(() => controller(page), { message: 'the page must leave the worker' }).toBeNull();
  expect(await isolated(page)).toBe(false);
  expect(await registrations(page)).toBe(0);

  await page.goto(`${origin}${figurePage('latent-manifold', '?backend=wasm')}`);
  expect(await isolated(page)).toBe(false);
  expect(await registrations(page), 'the choice must last beyond the one page').toBe(0);
  const manifold = example(page, 'latent-manifold', 'linear').locator('latent-manifold');
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-state', 'ready');
  await expect(manifold.locator('[data-status]')).toContainText('1 thread');

  await page.goto(`${origin}/?coi=1`);
  await expect.poll(() => isolated(page)).toBe(true);
  expectClean(problems);
});

test('where the host sends the headers, the page is isolated at once: the worker registers for the offline copy, and nothing reloads', async ({ page, problems }) => {
  await page.goto('/');
  expect(await isolated(page)).toBe(true);
  // The worker comes up for offline reading, but the page needs no reload to be isolated.
  await expect.poll(() => registrations(page)).toBe(1);
  expect(await page.evaluate(() => sessionStorage.getItem('latent-lab-coi-reloaded'))).toBeNull();
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').map((n) => (n as PerformanceNavigationTiming).type))).toEqual(['navigate']);
  expectClean(problems);
});
