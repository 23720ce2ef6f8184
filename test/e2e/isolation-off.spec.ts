/**
 * A static host that sends no COOP/COEP headers: the page is not cross-origin isolated, so no
 * SharedArrayBuffer and no wasm threads. Everything must still work, and training must still use
 * every core (the workers share batches by message passing, which needs no isolation). Service
 * workers are blocked here, as some browsers and settings do, so the shim of public/coi.js
 * cannot step in either.
 */
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

// Without service workers, public/coi.js cannot isolate the page either (coi-shim.spec.ts has them).
test.use({ serviceWorkers: 'block' });

test('without cross-origin isolation the figures work, and training still shares each batch over two workers', async ({ page, problems }) => {
  await page.goto(`${origin}${figurePage('latent-manifold')}`);
  expect(await page.evaluate(() => self.crossOriginIsolated), 'the plain host must not isolate the page').toBe(false);
  const manifold = example(page, 'latent-manifold', 'linear').locator('latent-manifold');
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-state', 'ready');
  await expect(manifold.locator('[data-status]')).toContainText('1 thread');
  await page.goto(`${origin}${figurePage('train-in-page', '?workers=2')}`);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
  const fig = example(page, 'train-in-page', 'compact').locator('train-in-page');
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train' }).click();
  await expect.poll(async () => Number(await fig.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(3);
  await expect(fig).toHaveAttribute('data-workers', '2');
  await expect(fig.locator('[data-status]')).toContainText('2 background workers that share each batch');
  // The kernels' WebAssembly loops load on the single-threaded build's memory too.
  await expect(fig).toHaveAttribute('data-kernel-loops', 'webassembly');
  await fig.getByRole('button', { name: 'Stop' }).click();
  expectClean(problems);
});
