/**
 * A static host that sends no COOP/COEP headers: the page is not cross-origin isolated, so no
 * SharedArrayBuffer and no wasm threads. Everything must still work, and training must still use
 * every core (the workers share batches by message passing, which needs no isolation).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { ROOT } from '../../scripts/lib/files.ts';
import { expect, expectClean, test } from './fixtures.ts';

const DIST = join(ROOT, 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};
let server: Server;
let origin: string;

test.beforeAll(async () => {
  // A plain file server: the headers a bare static host sends, and nothing else.
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(DIST, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

test.afterAll(() => server?.close());

test('without cross-origin isolation the figures work, and training still shares each batch over two workers', async ({ page, problems }) => {
  await page.goto(`${origin}/chapters/autoencoders/?workers=2`);
  expect(await page.evaluate(() => self.crossOriginIsolated), 'the plain host must not isolate the page').toBe(false);
  const manifold = page.locator('latent-manifold');
  await manifold.scrollIntoViewIfNeeded();
  await expect(manifold).toHaveAttribute('data-state', 'ready');
  await expect(manifold.locator('[data-status]')).toContainText('1 thread');
  const fig = page.locator('train-in-page');
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train' }).click();
  await expect.poll(async () => Number(await fig.getAttribute('data-step')), { timeout: 60_000 }).toBeGreaterThan(3);
  await expect(fig).toHaveAttribute('data-workers', '2');
  await expect(fig.locator('[data-status]')).toContainText('2 background workers that share each batch');
  await fig.getByRole('button', { name: 'Stop' }).click();
  expectClean(problems);
});
