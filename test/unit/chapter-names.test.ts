/**
 * A fork deletes the guide's chapters (src/content/chapters/) and the tests of them
 * (test/chapters/), and the rest of the suite must pass unchanged. So no file under test/ outside
 * test/chapters/ may refer to a chapter: not by its URL (`chapters/<slug>`), not by its file name
 * (`01-<slug>` or `01-<slug>.mdx`), and not as a path built of quoted parts
 * (`'chapters', '<slug>'`). A figure's tests open its page in the catalogue, /figures/<id>/.
 * test/e2e/fork.spec.ts is left out: it copies the site and opens a chapter of the copy.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/lib/files.ts';

const CHAPTERS = join(ROOT, 'src', 'content', 'chapters');
const TESTS = join(ROOT, 'test');
/** Relative to test/, with forward slashes. */
const EXEMPT = [/^chapters\//, /^e2e\/fork\.spec\.ts$/];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each chapter's file name without `.mdx` ("01-intro") and its slug, the collection's id ("intro"). */
function chapterNames(dir: string): { file: string; slug: string }[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => {
      const file = basename(f, '.mdx');
      return { file, slug: file.replace(/^\d+-/, '') };
    });
}

/** The patterns that refer to a chapter. */
function chapterPatterns(names: { file: string; slug: string }[]): { name: string; pattern: RegExp }[] {
  const q = `['"\`]`;
  return names.flatMap(({ file, slug }) => [
    { name: `chapters/${slug}`, pattern: new RegExp(`chapters/${escape(slug)}(?![\\w-])`) },
    { name: file, pattern: new RegExp(`(?<![\\w-])${escape(file)}(?![\\w-])`) },
    { name: `'chapters', '${slug}'`, pattern: new RegExp(`${q}chapters${q}\\s*,\\s*${q}(?:${escape(slug)}|${escape(file)}(?:\\.mdx)?)${q}`) },
  ]);
}

/** Every `file:line: pattern` under `root` (but the exempt files) that refers to a chapter. */
function chapterReferences(root: string, patterns: { name: string; pattern: RegExp }[]): string[] {
  const found: string[] = [];
  for (const f of readdirSync(root, { recursive: true }) as string[]) {
    const path = f.split(sep).join('/');
    if (EXEMPT.some((e) => e.test(path)) || path.includes('node_modules/')) continue;
    const full = join(root, f);
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch {
      continue; // a folder
    }
    text.split('\n').forEach((line, i) => {
      for (const { name, pattern } of patterns) if (pattern.test(line)) found.push(`test/${relative(root, full).split(sep).join('/')}:${i + 1}: ${name}`);
    });
  }
  return found;
}

test('no test outside test/chapters/ names a chapter of the guide', () => {
  const names = chapterNames(CHAPTERS);
  assert.deepEqual(chapterReferences(TESTS, chapterPatterns(names)), [], 'move the test to test/chapters/, or open the figure on /figures/<id>/');
});

test('the check finds a chapter’s URL, file name and quoted path, and nothing else', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'chapter-names-'));
  try {
    await mkdir(join(dir, 'e2e'));
    await mkdir(join(dir, 'chapters'));
    await writeFile(join(dir, 'e2e', 'a.spec.ts'), "await page.goto('/chapters/first-steps/');\n");
    await writeFile(join(dir, 'e2e', 'b.spec.ts'), "const mdx = join(ROOT, 'src', 'content', 'chapters', '03-first-steps.mdx');\n");
    await writeFile(join(dir, 'e2e', 'c.spec.ts'), "page.goto(`${base}chapters/first-steps?x=1`);\nconst dir = join('chapters', 'first-steps');\n");
    // Not a chapter: a figure of the same words, a longer slug, a notation id.
    await writeFile(join(dir, 'e2e', 'd.spec.ts'), "page.goto('/figures/first-steps/');\nconst a = '/chapters/first-steps-two/';\nexample(page, 'first-steps', 'x');\n");
    await writeFile(join(dir, 'chapters', 'e.spec.ts'), "await page.goto('/chapters/first-steps/');\n");
    const patterns = chapterPatterns([{ file: '03-first-steps', slug: 'first-steps' }]);
    assert.deepEqual(chapterReferences(dir, patterns).sort(), [
      'test/e2e/a.spec.ts:1: chapters/first-steps',
      'test/e2e/b.spec.ts:1: 03-first-steps',
      "test/e2e/b.spec.ts:1: 'chapters', 'first-steps'",
      'test/e2e/c.spec.ts:1: chapters/first-steps',
      "test/e2e/c.spec.ts:2: 'chapters', 'first-steps'",
    ].sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
