/**
 * node scripts/search-index.ts [--dist dist]
 *
 * The site search's index: Pagefind reads the built pages in dist/ and writes its index and its
 * browser module into dist/pagefind/. `npm run build` runs it after `astro build`, before
 * scripts/offline-manifest.ts lists the built files (the index among them); after a plain
 * `npx astro build`, run it yourself.
 *
 * - Which pages: those whose <main> has `data-pagefind-body` (src/site/search.ts decides, and
 *   src/layouts/Base.astro writes it). Pagefind leaves every other page out.
 * - Which parts of them: EXCLUDED below. A figure keeps its caption; its live interface
 *   (controls, readouts, status lines) changes as the reader uses it and is not prose to find.
 * - The index holds addresses relative to the site's root; the page adds the base path when it
 *   loads the index (src/components/lib/page/site-search.ts), so one index serves any base path
 *   (`astro build --base …` included).
 *
 * Pagefind also writes its ready-made interfaces (pagefind-ui.js and the like). The site does not
 * use them, so they are deleted rather than published.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as pagefind from 'pagefind';
import { cliArgs, exitCleanlyOnError } from './lib/args.ts';
import { ROOT } from './lib/files.ts';

/** What Pagefind leaves out of an indexed page. */
const EXCLUDED = [
  // A figure's own interface: everything in a <figure> but its caption.
  'figure > *:not(figcaption)',
  // Status lines and readouts that change as a figure runs, wherever they sit.
  '[role="status"]',
  '[role="alert"]',
  '[aria-live]',
  // A citation's card repeats the reference list's entry at every citation.
  '.cite-card',
  // KaTeX's MathML copy of each formula (its TeX source); the rendered symbols stay.
  '.katex-mathml',
  // Tables of contents, previous and next links, the chapter's "Notation" and "Report a mistake".
  'nav',
  '.chapter-links',
];

/** Pagefind's interfaces that the site does not load (it uses pagefind.js, pagefind-worker.js and the index). */
const UNUSED = /^pagefind-(?:component-ui|modular-ui|ui|highlight)\.(?:js|css)$/;

exitCleanlyOnError();
const args = cliArgs({ dist: { type: 'string', default: 'dist' } });
const dist = resolve(ROOT, args.dist!);
if (!existsSync(join(dist, 'index.html'))) throw new Error(`${relative(ROOT, dist) || dist}/ holds no built site: run \`npx astro build\` first`);

const started = performance.now();
const { index, errors } = await pagefind.createIndex({ excludeSelectors: EXCLUDED });
if (!index) throw new Error(`Pagefind did not start: ${errors.join('; ')}`);
const added = await index.addDirectory({ path: dist });
if (added.errors.length) throw new Error(`Pagefind could not index ${relative(ROOT, dist)}/: ${added.errors.join('; ')}`);
const out = join(dist, 'pagefind');
rmSync(out, { recursive: true, force: true });
const written = await index.writeFiles({ outputPath: out });
if (written.errors.length) throw new Error(`Pagefind could not write ${relative(ROOT, out)}/: ${written.errors.join('; ')}`);
await pagefind.close();

for (const name of readdirSync(out)) if (UNUSED.test(name)) rmSync(join(out, name));
// One fragment per indexed page (Pagefind's page_count counts every page it read).
const indexed = readdirSync(join(out, 'fragment')).length;
if (indexed === 0) throw new Error(`Pagefind indexed no page of ${relative(ROOT, dist)}/: none has data-pagefind-body (src/site/search.ts)`);
const size = (dir: string): number => readdirSync(dir).reduce((sum, name) => sum + (statSync(join(dir, name)).isDirectory() ? size(join(dir, name)) : statSync(join(dir, name)).size), 0);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`Search: ${indexed} of ${added.page_count} pages indexed into ${relative(ROOT, out)}/ (${(size(out) / 1024).toFixed(0)} KiB) in ${seconds} s`);
