/**
 * npm run new:chapter, run on a copy of the chapters folder (--dir), never on the real one: the
 * chapter it writes passes the chapters collection's own schema (src/content.config.ts) with the
 * next free order, its figure is a real component and model, and an empty title or a slug that
 * is taken is refused with one line and exit code 1.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { parseFrontmatter } from '@astrojs/markdown-remark';
import { ROOT } from '../../scripts/lib/files.ts';
import { getSpec } from '../../src/vae/spec.ts';

// src/content.config.ts imports Astro's virtual module and loaders, which only exist inside
// Astro. Stand-ins that hand back their argument let Node import the file, so the test checks
// the real zod schema (from astro/zod), not a copy of it.
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'astro:content') return { url: 'data:text/javascript,export const defineCollection = (c) => c;', shortCircuit: true };
    if (specifier === 'astro/loaders') return { url: 'data:text/javascript,export const glob = (o) => o;', shortCircuit: true };
    return next(specifier, context);
  },
});
const { collections } = await import('../../src/content.config.ts');
const schema = (collections.chapters as unknown as { schema: { safeParse(data: unknown): { success: boolean; data?: Record<string, unknown>; error?: unknown } } }).schema;

const CHAPTERS = join(ROOT, 'src', 'content', 'chapters');
const tmp = await mkdtemp(join(tmpdir(), 'latent-lab-new-chapter-'));
after(() => rm(tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the script as `npm run new:chapter` does, from the repository root. */
function newChapter(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, ['scripts/new-chapter.ts', ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function frontMatter(path: string): Promise<Record<string, unknown>> {
  return parseFrontmatter(await readFile(path, 'utf8')).frontmatter as Record<string, unknown>;
}

/** A copy of the real chapters (there may be none), and the highest order among them. */
async function copyOfChapters(name: string): Promise<{ dir: string; highest: number }> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  if (existsSync(CHAPTERS)) await cp(CHAPTERS, dir, { recursive: true });
  const orders = await Promise.all(readdirSync(dir).filter((f) => f.endsWith('.mdx')).map(async (f) => Number((await frontMatter(join(dir, f)))['order'])));
  assert.ok(orders.every(Number.isInteger), 'the copied chapters have integer orders');
  return { dir, highest: Math.max(0, ...orders) };
}

const listing = () => (existsSync(CHAPTERS) ? readdirSync(CHAPTERS).sort() : []);
const realChapters = listing();
after(() => assert.deepEqual(listing(), realChapters, 'the real chapters folder is untouched'));

test('writes NN-slug.mdx whose front matter passes the chapters schema, with the next free order', async () => {
  const { dir, highest } = await copyOfChapters('write');
  const title = 'Posterior collapse: when the code goes quiet';
  const run = await newChapter(title, '--dir', dir);
  assert.equal(run.code, 0, run.stderr);

  const order = highest + 1;
  const name = `${String(order).padStart(2, '0')}-posterior-collapse-when-the-code-goes-quiet.mdx`;
  const path = join(dir, name);
  assert.ok(existsSync(path), `${name} was written`);
  assert.match(run.stdout, new RegExp(`Wrote .*${name}: chapter ${order}`));
  assert.match(run.stdout, /Next steps/);

  const data = await frontMatter(path);
  const parsed = schema.safeParse(data);
  assert.ok(parsed.success, `the front matter passes the schema: ${JSON.stringify(parsed.error)}`);
  assert.equal(parsed.data!['title'], title);
  assert.equal(parsed.data!['order'], order);
  assert.equal(typeof parsed.data!['description'], 'string');
  assert.ok((parsed.data!['description'] as string).length > 0, 'a placeholder description');
  // References are not front matter: the chapter's list is made from its <Cite> tags.
  assert.equal('references' in parsed.data!, false, 'no references field');
});

test('the placeholder figure is a real component showing a real model, with its required props', async () => {
  const dir = join(tmp, 'figure');
  const run = await newChapter('Figures', '--dir', dir);
  assert.equal(run.code, 0, run.stderr);
  const path = join(dir, '01-figures.mdx');
  const source = await readFile(path, 'utf8');
  const from = /^import SampleGrid from '([^']+)';$/m.exec(source)?.[1];
  assert.ok(from, 'SampleGrid is imported');
  assert.equal(resolve(dirname(path), from), join(ROOT, 'src', 'components', 'SampleGrid.astro'), 'the import resolves to the component');
  const tag = /<SampleGrid\b([\s\S]*?)\/>/.exec(source)?.[1] ?? '';
  const model = /\bmodel="([^"]+)"/.exec(tag)?.[1];
  assert.ok(model, 'the figure names a model');
  assert.equal(getSpec(model).kind === 'cvae', false, 'a model SampleGrid shows without a label');
  assert.ok(existsSync(join(ROOT, 'public', 'weights', model, 'decoder', 'model.json')), `${model} ships weights`);
  assert.match(tag, /\bcaption="[^"]+"/, 'the figure has a caption');
  // The math the browser tests expect on every chapter: inline and display.
  assert.match(source, /\$[^$\n]+\$/);
  assert.match(source, /^\$\$\n[\s\S]+?\n\$\$$/m);
});

test('the order is one more than the highest present, not the number of chapters', async () => {
  const dir = join(tmp, 'gaps');
  await mkdir(dir);
  const chapter = (title: string, order: number) => `---\ntitle: ${title}\ndescription: A chapter.\norder: ${order}\n---\n\nText.\n`;
  await writeFile(join(dir, '02-second.mdx'), chapter('Second', 2));
  await writeFile(join(dir, '05-fifth.mdx'), chapter('Fifth', 5));
  const run = await newChapter('Sixth', '--dir', dir);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await frontMatter(join(dir, '06-sixth.mdx')))['order'], 6);
});

test('an empty folder starts at order 1, and a missing one is created', async () => {
  const dir = join(tmp, 'fresh', 'chapters');
  const run = await newChapter('A fresh start', '--dir', dir);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readdirSync(dir), ['01-a-fresh-start.mdx']);
  assert.equal((await frontMatter(join(dir, '01-a-fresh-start.mdx')))['order'], 1);
});

test('--slug sets the file name and URL; a malformed slug is refused', async () => {
  const dir = join(tmp, 'slug');
  assert.equal((await newChapter('Über alles', '--slug', 'uber', '--dir', dir)).code, 0);
  assert.ok(existsSync(join(dir, '01-uber.mdx')));
  const bad = await newChapter('Anything', '--slug', 'Not A Slug', '--dir', dir);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^new:chapter: --slug "Not A Slug" must be/);
});

test('a slug that is taken is refused with one line and exit code 1, and nothing is written', async () => {
  const { dir } = await copyOfChapters('duplicate');
  if (!readdirSync(dir).some((f) => f.endsWith('.mdx'))) assert.equal((await newChapter('An existing chapter', '--dir', dir)).code, 0);
  const before = readdirSync(dir).sort();
  // A chapter's id is its file name without the number and ".mdx" (src/content.config.ts),
  // e.g. "first-steps" for 01-first-steps.mdx; a title that makes the same slug is refused.
  const file = before.find((f) => f.endsWith('.mdx'))!;
  const id = file.replace(/\.mdx$/, '').replace(/^\d+-/, '');
  const existing = await newChapter(id.replaceAll('-', ' '), '--dir', dir);
  assert.equal(existing.code, 1);
  assert.match(existing.stderr, new RegExp(`^new:chapter: a chapter with the slug "${id}" already exists: .*${file.replace('.', '\\.')}\\.`));
  assert.equal(existing.stderr.trim().split('\n').length, 1, 'one line');
  assert.deepEqual(readdirSync(dir).sort(), before);

  assert.equal((await newChapter('Twice', '--dir', dir)).code, 0);
  const again = await newChapter('Twice', '--dir', dir);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
  assert.equal(readdirSync(dir).length, before.length + 1);
});

test('an empty title, or one with nothing to make a slug from, is refused with one line and exit code 1', async () => {
  const dir = join(tmp, 'empty');
  for (const args of [[], [''], ['   ']]) {
    const run = await newChapter(...args, '--dir', dir);
    assert.equal(run.code, 1, `refused: ${JSON.stringify(args)}`);
    assert.match(run.stderr, /^new:chapter: the chapter needs a title\. Usage: npm run new:chapter -- "Title"/);
    assert.equal(run.stderr.trim().split('\n').length, 1, 'one line');
  }
  const symbols = await newChapter('λ → ∞', '--dir', dir);
  assert.equal(symbols.code, 1);
  assert.match(symbols.stderr, /cannot make a slug .* --slug/);
  assert.ok(!existsSync(dir) || readdirSync(dir).length === 0, 'nothing written');
});
