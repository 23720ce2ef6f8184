/**
 * What a forker does, on a copy of the project (its files as a fresh clone has them, the prepared
 * data and the installed packages): delete this guide's chapters and their tests, start a chapter
 * of their own with `npm run new:chapter`, and build.
 *
 * - The copy's own chapter and catalogue tests (test/e2e/chapters.spec.ts and catalogue.spec.ts)
 *   pass on it unchanged: nothing in src/, the catalogue or those tests depends on the deleted
 *   chapters.
 * - With another title and a base path in site.config.mjs, every page, asset, weight and data
 *   file resolves under the base path: the home page lists the new chapter, every page answers
 *   and names only files under the base path that answer, every figure starts without a failed
 *   request on /figures/ (which shows them all), and training starts its workers.
 *
 * Both build a second site, so both are @long.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scrollThrough } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';

const run = promisify(execFile);
const ROOT = process.cwd();
const ASTRO = join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
const BASE = '/explainers/my-vae/';
const TITLE = 'My VAE Notes';
const CHAPTER = 'Notes from a fork';
const PORT = Number(process.env['E2E_PORT'] ?? 4329) + 7;
let dir: string;
let server: ChildProcess | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dir = mkdtempSync(join(tmpdir(), 'latent-lab-fork-'));
  // The tracked files and the new ones git does not ignore, plus the prepared data.
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 64 << 20 });
  for (const file of stdout.split('\0').filter(Boolean)) {
    try {
      cpSync(join(ROOT, file), join(dir, file), { recursive: true });
    } catch {
      // A file deleted but not yet committed.
    }
  }
  cpSync(join(ROOT, 'public', 'data'), join(dir, 'public', 'data'), { recursive: true });
  // The installed packages, each linked; the caches (.astro, .vite) stay the copy's own.
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === '.astro' || name === '.vite' || name === '.cache') continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  // The fork's own chapters only: this guide's chapters and their tests go.
  const chapters = join(dir, 'src', 'content', 'chapters');
  for (const file of readdirSync(chapters)) rmSync(join(chapters, file), { recursive: true, force: true });
  rmSync(join(dir, 'test', 'chapters'), { recursive: true, force: true });
  await run('npm', ['run', 'new:chapter', '--', CHAPTER], { cwd: dir });
  expect(readdirSync(chapters)).toEqual(['01-notes-from-a-fork.mdx']);
});

test.afterAll(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The environment of a command run in the copy, without what this test run set for its own workers. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(?:PW_|PLAYWRIGHT_|TEST_)/.test(key)));
  return { ...env, ...extra };
}

test('@long a fork with only a chapter of its own passes its own chapter and catalogue tests unchanged', async () => {
  test.setTimeout(900_000);
  await run(process.execPath, [ASTRO, 'build'], { cwd: dir, maxBuffer: 64 << 20 });
  const tests = ['test/e2e/chapters.spec.ts', 'test/e2e/catalogue.spec.ts'];
  try {
    const { stdout } = await run('npx', ['playwright', 'test', ...tests, '--project=desktop', '--reporter=line'], {
      cwd: dir,
      env: cleanEnv({ E2E_PORT: String(PORT + 1), E2E_WORKERS: '1' }),
      maxBuffer: 64 << 20,
      timeout: 840_000,
    });
    expect(stdout).toMatch(/\d+ passed/);
    expect(stdout).not.toMatch(/\d+ (?:failed|flaky|skipped|did not run)/);
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`the copy's ${tests.join(' and ')} failed:\n${`${stdout}\n${stderr}`.slice(-8000)}`);
  }
});

test('@long a fork with its own title, a base path and a new chapter builds, and every page and file resolves under the base path', async ({ page, problems }) => {
  test.setTimeout(600_000);
  const config = join(dir, 'site.config.mjs');
  const changed = readFileSync(config, 'utf8').replace(/title: '[^']*'/, `title: '${TITLE}'`).replace(/base: '[^']*'/, `base: '${BASE}'`);
  writeFileSync(config, changed);
  await run(process.execPath, [ASTRO, 'build'], { cwd: dir, maxBuffer: 64 << 20 });
  server = spawn(process.execPath, [ASTRO, 'preview', '--host', '127.0.0.1', '--port', String(PORT)], { cwd: dir, stdio: 'ignore', env: cleanEnv({ ASTRO_PREVIEW_BACKGROUND: '1' }) });
  const origin = `http://127.0.0.1:${PORT}`;
  await expect
    .poll(() => fetch(`${origin}${BASE}`).then((r) => r.ok, () => false), { message: 'the fork’s preview server starts', timeout: 30_000 })
    .toBe(true);

  const outside: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    // blob: URLs (wasm threads start from one) name no file; only fetched paths must sit under the base.
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    if (url.origin === origin && !url.pathname.startsWith(BASE)) outside.push(url.pathname);
  });
  const linksOn = () => page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href).filter((h) => h.startsWith(location.origin)).map((h) => new URL(h).pathname));
  await page.goto(`${origin}${BASE}`);
  await expect(page.locator('h1')).toHaveText(TITLE);
  await expect(page).toHaveTitle(TITLE);
  await expect(page.locator('.chapter-list a')).toHaveCount(1);
  await expect(page.locator('.chapter-list a')).toContainText(CHAPTER);
  const fromHome = await linksOn();
  // Every figure runs on a page of the catalogue, now that no chapter of this guide shows it.
  await page.goto(`${origin}${BASE}figures/`);
  const pages = [...new Set([...fromHome, ...(await linksOn())])];
  expect(pages.length).toBeGreaterThan(20);
  // /figures/ shows every example of every figure live: scrolled through, it fetches every
  // model, data file and wasm binary any page of the fork uses.
  await scrollThrough(page);
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[data-state="loading"]'), '/figures/: figures finished loading').toHaveCount(0, { timeout: 90_000 });
  await expect(page.locator('[data-state="error"]'), '/figures/: no figure failed').toHaveCount(0);
  // Every page answers, and every file a page names (scripts, styles, images, links) is under the base path and answers.
  const named = new Set<string>();
  for (const path of pages) {
    expect(path, 'every link goes through the base path').toMatch(new RegExp(`^${BASE}`));
    const response = await page.request.get(`${origin}${path}`);
    expect(response.status(), path).toBe(200);
    for (const [, ref] of (await response.text()).matchAll(/\b(?:src|href)="(\/[^"#?]*)/g)) {
      expect(ref, `${path} names ${ref}`).toMatch(new RegExp(`^${BASE}`));
      named.add(ref!);
    }
  }
  for (const ref of named) expect((await page.request.get(`${origin}${ref}`)).status(), ref).toBe(200);
  // Training fetches the data, starts its workers and their wasm under the base path too.
  await page.goto(`${origin}${BASE}figures/train-in-page/`);
  const panel = page.locator('train-in-page').first();
  await panel.scrollIntoViewIfNeeded();
  await panel.getByRole('button', { name: 'Train' }).click();
  await expect.poll(async () => Number(await panel.getAttribute('data-step')), { timeout: 90_000 }).toBeGreaterThan(3);
  await panel.getByRole('button', { name: 'Stop' }).click();
  await expect(panel).toHaveAttribute('data-state', 'stopped');
  // The new chapter renders its math.
  await page.goto(`${origin}${BASE}chapters/notes-from-a-fork/`);
  await expect(page.locator('h1')).toContainText(CHAPTER);
  expect(await page.locator('.prose .katex').count()).toBeGreaterThan(0);
  expect(outside, 'requests outside the base path').toEqual([]);
  expectClean(problems);
});
