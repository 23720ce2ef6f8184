/**
 * npm run new:chapter -- "Title" [--slug SLUG] [--dir src/content/chapters]
 *
 * Starts a chapter: writes <dir>/NN-<slug>.mdx with front matter that the chapters collection
 * accepts (src/content.config.ts), the next free `order` (one more than the highest there), a
 * placeholder description, a placeholder figure and a few lines of math, then prints the next
 * steps. The slug comes from the title unless --slug gives one; it becomes the URL
 * /chapters/<slug>/. Refuses, with one line and exit code 1, an empty title, a title with no
 * letters or digits to make a slug from, and a slug or file that already exists.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/files.ts';

const USAGE = 'Usage: npm run new:chapter -- "Title" [--slug SLUG] [--dir DIR]';

/** Ends the run with one line on stderr and exit code 1. */
function refuse(message: string): never {
  console.error(`new:chapter: ${message}`);
  process.exit(1);
}

/** "The ELBO, again!" → "the-elbo-again": lower-case ASCII letters and digits joined by dashes. */
function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** Every .mdx file under `dir`, as paths relative to it with forward slashes (as the glob loader sees them). */
function mdxFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.mdx')).map((f) => f.split(sep).join('/'));
}

/** The `order` in a chapter's front matter, or undefined when there is none. */
function orderOf(source: string): number | undefined {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source)?.[1] ?? '';
  const match = /^order:\s*['"]?(\d+)['"]?\s*(?:#.*)?$/m.exec(front);
  return match ? Number(match[1]) : undefined;
}

let values: { slug?: string | undefined; dir?: string | undefined };
let positionals: string[];
try {
  ({ values, positionals } = parseArgs({ options: { slug: { type: 'string' }, dir: { type: 'string' } }, allowPositionals: true, strict: true }));
} catch (err) {
  refuse(`${err instanceof Error ? err.message : String(err)}. ${USAGE}`);
}

const title = positionals.join(' ').replace(/\s+/g, ' ').trim();
if (!title) refuse(`the chapter needs a title. ${USAGE}`);

const slug = values.slug ?? slugify(title);
if (!slug) refuse(`cannot make a slug from the title "${title}": give one with --slug, e.g. --slug my-chapter.`);
if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) refuse(`--slug "${slug}" must be lower-case letters and digits joined by single dashes, e.g. my-chapter.`);

const dir = resolve(values.dir ?? join(ROOT, 'src', 'content', 'chapters'));
mkdirSync(dir, { recursive: true });

// The chapters collection's id of a file (src/content.config.ts): its name without ".mdx" and "NN-".
let highest = 0;
for (const file of mdxFiles(dir)) {
  const id = file.replace(/\.mdx$/, '').replace(/^\d+-/, '');
  if (id === slug) refuse(`a chapter with the slug "${slug}" already exists: ${relative(process.cwd(), join(dir, file))}. Choose another title or pass --slug.`);
  const order = orderOf(readFileSync(join(dir, file), 'utf8'));
  if (order === undefined) refuse(`${relative(process.cwd(), join(dir, file))} has no "order:" in its front matter; fix it first, so the new chapter's order can be chosen.`);
  highest = Math.max(highest, order);
}

const order = highest + 1;
const path = join(dir, `${String(order).padStart(2, '0')}-${slug}.mdx`);
if (existsSync(path)) refuse(`${relative(process.cwd(), path)} already exists.`);

// Imports in MDX are relative to the chapter file.
let components = relative(dir, join(ROOT, 'src', 'components')).split(sep).join('/');
if (!components.startsWith('.')) components = `./${components}`;

// JSON strings are valid YAML double-quoted strings, so any title survives the front matter.
const mdx = `---
title: ${JSON.stringify(title)}
description: "Replace this with one or two sentences about the chapter: the home page lists them, and they become the page's meta description."
order: ${order}
# Optional (see src/content.config.ts):
# short: A shorter title for navigation
---

import SampleGrid from '${components}/SampleGrid.astro';

{/*
  Started by \`npm run new:chapter\`. Everything below is a placeholder: replace it with your own
  text. CONTRIBUTING.md explains figures, math, tests and publishing.
*/}

Write the opening here: what the reader will learn in this chapter, and why it matters.

{/*
  Cite a paper with its key in src/site/references.bib, e.g. <Cite id="kingma2014auto" /> for
  "(Kingma & Welling, 2014)", or <Cite id="kingma2014auto" narrative /> for "Kingma and Welling
  (2014)". Add a paper to that file first. The chapter's reference list is made from the papers
  it cites; CONTRIBUTING.md, "Cite a paper", has the details.
*/}

## A figure

{/*
  A figure is an Astro component from src/components/, imported at the top of this file and used
  like an HTML tag. This one decodes random codes with the pretrained model mnist-conv-z2
  (public/weights/mnist-conv-z2/). Its props are listed in src/components/SampleGrid.astro:
  model (an id from src/vae/spec.ts) and caption (HTML) are required; from ("prior" or "box"),
  side, seed and label (for a conditional model only) are optional.
  To use another figure, change the import and the tag; for none, delete both.
*/}

<SampleGrid
  model="mnist-conv-z2"
  from="prior"
  caption="<strong>A placeholder figure.</strong> 36 codes drawn from the prior N(0, I) and decoded by mnist-conv-z2. Press <em>Draw again</em> for new ones. Replace this caption, or the figure."
/>

## Some math

Inline math sits between single dollar signs: a code $z \\in \\mathbb{R}^2$ from the prior $p(z) = \\mathcal{N}(0, I)$, an encoder $q_\\phi(z \\mid x)$ with weights $\\phi$, and a decoder $p_\\theta(x \\mid z)$ with weights $\\theta$.
Display math sits between double dollar signs, each on a line of its own:

$$
\\log p_\\theta(x) \\ge \\mathbb{E}_{q_\\phi(z \\mid x)}\\big[\\log p_\\theta(x \\mid z)\\big] - \\mathrm{KL}\\big(q_\\phi(z \\mid x) \\,\\|\\, p(z)\\big).
$$

## Summary

Close the chapter: what the reader can now do, and what the next chapter takes up.
`;

writeFileSync(path, mdx, { flag: 'wx' });

const shown = relative(process.cwd(), path);
console.log(`Wrote ${shown}: chapter ${order}, "${title}", at /chapters/${slug}/.`);
console.log(`Next steps:
  1. Write the description in its front matter, then replace the placeholder text.
  2. Replace the placeholder figure, or delete it and its import (CONTRIBUTING.md, "Put a figure in a chapter").
  3. npm run dev, and open http://localhost:4321/chapters/${slug}/ to see it.
  4. npm test before you publish: the browser tests visit every chapter linked from the home page.`);
