/**
 * What a forker does: copy the project, give the site another title and a base path in
 * site.config.mjs, add a chapter with `npm run new:chapter`, build, and serve it. Then every
 * page, asset, weight and data file must resolve under the base path: the home page lists the
 * new chapter, every page answers, and the figures start without a failed request.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scrollThrough } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';

const run = promisify(execFile);
const ROOT = process.cwd();
const BASE = '/explainers/my-vae/';
const TITLE = 'My VAE Notes';
const PORT = Number(process.env['E2E_PORT'] ?? 4329) + 7;
let dir: string;
let server: ChildProcess | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  dir = mkdtempSync(join(tmpdir(), 'latent-lab-fork-'));
  // The tracked files, as a fresh clone has them, plus the prepared data and the installed packages.
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 64 << 20 });
  for (const file of stdout.split('\0').filter(Boolean)) {
    try {
      cpSync(join(ROOT, file), join(dir, file), { recursive: true });
    } catch {
      // A file deleted but not yet committed.
    }
  }
  cpSync(join(ROOT, 'public', 'data'), join(dir, 'public', 'data'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const config = join(dir, 'site.config.mjs');
  const changed = readFileSync(config, 'utf8').replace(/title: '[^']*'/, `title: '${TITLE}'`).replace(/base: '[^']*'/, `base: '${BASE}'`);
  writeFileSync(config, changed);
  await run(process.execPath, ['scripts/new-chapter.ts', 'Notes from a fork'], { cwd: dir });
  await run(process.execPath, [join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'], { cwd: dir, maxBuffer: 64 << 20 });
  server = spawn(process.execPath, [join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'preview', '--host', '127.0.0.1', '--port', String(PORT)], { cwd: dir, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}${BASE}`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('the fork’s preview server did not start');
});

test.afterAll(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a fork with its own title, a base path and a new chapter builds, and every page and file resolves under the base path', async ({ page, problems }) => {
  test.setTimeout(300_000);
  const origin = `http://127.0.0.1:${PORT}`;
  const outside: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    // blob: URLs (wasm threads start from one) name no file; only fetched paths must sit under the base.
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    if (url.origin === origin && !url.pathname.startsWith(BASE)) outside.push(url.pathname);
  });
  await page.goto(`${origin}${BASE}`);
  await expect(page.locator('h1')).toHaveText(TITLE);
  await expect(page).toHaveTitle(TITLE);
  await expect(page.locator('.chapter-list a', { hasText: 'Notes from a fork' })).toHaveCount(1);
  const pages = [...new Set(await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href).filter((h) => h.startsWith(location.origin)).map((h) => new URL(h).pathname)))];
  expect(pages.length).toBeGreaterThan(8);
  for (const path of pages) {
    expect(path, 'every link goes through the base path').toMatch(new RegExp(`^${BASE}`));
    const response = await page.goto(`${origin}${path}`);
    expect(response?.status(), path).toBe(200);
    await scrollThrough(page);
    await page.waitForLoadState('networkidle');
    await expect(page.locator('[data-state="loading"]'), `${path}: figures finished loading`).toHaveCount(0, { timeout: 60_000 });
    await expect(page.locator('[data-state="error"]'), `${path}: no figure failed`).toHaveCount(0);
  }
  // Training fetches the data, starts its workers and their wasm under the base path too.
  await page.goto(`${origin}${BASE}chapters/train-it-yourself/`);
  const panel = page.locator('train-in-page');
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole('button', { name: 'Train' }).click();
  await expect.poll(async () => Number(await panel.getAttribute('data-step')), { timeout: 90_000 }).toBeGreaterThan(3);
  await panel.getByRole('button', { name: 'Stop' }).click();
  await expect(panel).toHaveAttribute('data-state', 'stopped');
  // The new chapter renders its math.
  await page.goto(`${origin}${BASE}chapters/notes-from-a-fork/`);
  await expect(page.locator('h1')).toContainText('Notes from a fork');
  expect(await page.locator('.prose .katex').count()).toBeGreaterThan(0);
  expect(outside, 'requests outside the base path').toEqual([]);
  expectClean(problems);
});
