/**
 * The notation table (src/site/notation.ts): ids unique and safe in a URL fragment, every
 * formula and note accepted by KaTeX, the decided notation all there, and every <Sym id="…"> in
 * the chapters naming an entry that exists. The chapters folder may be empty (a fork that
 * deleted every chapter).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import katex from 'katex';
import { ROOT } from '../../scripts/lib/files.ts';
import { INDEX_CONVENTIONS, NOTATION, NOTATION_ENTRIES, notationEntry, symAnchor, symLink } from '../../src/site/notation.ts';
import { splitInlineTex } from '../../src/site/tex.ts';

const CHAPTERS = join(ROOT, 'src', 'content', 'chapters');
const tmp = await mkdtemp(join(tmpdir(), 'latent-lab-notation-'));
after(() => rm(tmp, { recursive: true, force: true }));

/** Every `.mdx` file under `dir` (none when it does not exist). */
function mdxFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return mdxFiles(path);
    return name.endsWith('.mdx') ? [path] : [];
  });
}

/** Each `<Sym …>` tag in the MDX files under `dir`: its file and its id (undefined when not a plain string). */
function symTags(dir: string): { file: string; id: string | undefined }[] {
  return mdxFiles(dir).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/<Sym\b([^>]*)>/g)].map((m) => {
      const id = /\bid=(?:"([^"]*)"|'([^']*)')/.exec(m[1] ?? '');
      return { file, id: id ? (id[1] ?? id[2]) : undefined };
    }),
  );
}

/** The tags whose id the notation table lacks, as "file: id". */
function unknownSyms(dir: string): string[] {
  const ids = new Set(NOTATION_ENTRIES.map((e) => e.id));
  return symTags(dir)
    .filter((t) => t.id === undefined || !ids.has(t.id))
    .map((t) => `${t.file.slice(dir.length + 1)}: ${t.id ?? '(an id that is not a plain string)'}`);
}

/** KaTeX, strict: an error throws. */
const renders = (tex: string) => katex.renderToString(tex, { throwOnError: true });

test('every id is unique and safe in a URL fragment as it is', () => {
  const ids = NOTATION_ENTRIES.map((e) => e.id);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate ids');
  for (const id of ids) {
    assert.match(id, /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/, `id "${id}"`);
    assert.equal(encodeURIComponent(symAnchor(id)), symAnchor(id));
  }
  // The section headings share the page with the rows: no anchor may be used twice.
  const sections = NOTATION.map((s) => s.id);
  assert.equal(new Set(sections).size, sections.length, 'duplicate section ids');
  for (const s of sections) assert.ok(!ids.map(symAnchor).includes(s), `section id ${s} clashes with a row`);
});

test('every formula, note and section intro renders with KaTeX, and meanings are plain text', () => {
  assert.ok(NOTATION_ENTRIES.length > 50);
  for (const e of NOTATION_ENTRIES) {
    assert.doesNotThrow(() => renders(e.tex), `tex of ${e.id}`);
    assert.ok(e.meaning.trim().length > 0, `meaning of ${e.id}`);
    assert.doesNotMatch(e.meaning, /[$\\{}]/, `meaning of ${e.id} is shown as plain text (and as a tooltip)`);
    for (const part of splitInlineTex(e.note ?? '')) if (part.kind === 'math') assert.doesNotThrow(() => renders(part.value), `note of ${e.id}`);
  }
  for (const text of [INDEX_CONVENTIONS, ...NOTATION.map((s) => s.intro ?? '')]) {
    for (const part of splitInlineTex(text)) if (part.kind === 'math') assert.doesNotThrow(() => renders(part.value), text);
  }
  // The check itself catches a formula KaTeX cannot parse.
  assert.throws(() => renders('\\frac{1}{'));
});

test('the table holds the guide’s decided notation', () => {
  const decided = [
    'x', 'x-i', 'y', 'z', 'd', 'z-u', 'z-s', 'prior', 'likelihood', 'eta', 'pi', 'sigmoid', 'joint', 'evidence', 'posterior', 'theta', 'phi', 'N',
    'f-phi', 'g-theta', 'x-hat', 'bce',
    'q', 'q-free', 'mu', 'sigma', 'logvar', 'eps', 'odot', 'family', 'cvae',
    'elbo', 'loss', 'loss-beta', 'beta', 'loss-k', 'k', 'kl', 'kl-u', 'distortion', 'rate',
    'h', 'g-hat', 'baseline', 'bowl',
    'Phi', 'n', 'j', 'c-j', 'z-ab', 't', 'Omega', 'slerp',
  ];
  assert.deepEqual(decided.filter((id) => !NOTATION_ENTRIES.some((e) => e.id === id)), []);
  // σ is a standard deviation, never the sigmoid: the sigmoid is written out.
  assert.match(notationEntry('pi').tex, /\\operatorname\{sigmoid\}/);
  assert.doesNotMatch(notationEntry('sigmoid').tex, /\\sigma/);
  assert.match(notationEntry('loss').tex, /^\\mathcal\{L\}\(x\) = -\\mathrm\{ELBO\}\(x\)$/);
});

test('symLink points into the notation page under the base path, with the meaning as its title', () => {
  assert.deepEqual(symLink('loss', ''), { href: '/notation/#sym-loss', title: 'The VAE’s loss per image, in the notation table' });
  assert.equal(symLink('x-i', '/explainers/my-vae').href, '/explainers/my-vae/notation/#sym-x-i');
  assert.throws(() => symLink('no-such-symbol', ''), /no-such-symbol/);
});

test('every <Sym id> in the chapters names an entry of the notation table', () => {
  assert.deepEqual(unknownSyms(CHAPTERS), []);
});

test('the chapter check passes on an empty chapters folder and catches an unknown id', async () => {
  const empty = join(tmp, 'empty');
  await mkdir(empty);
  assert.deepEqual(unknownSyms(empty), []);
  assert.deepEqual(unknownSyms(join(tmp, 'missing')), []);

  const some = join(tmp, 'some');
  await mkdir(join(some, 'part'), { recursive: true });
  await writeFile(join(some, '01-a.mdx'), 'A loss <Sym id="loss">$\\mathcal{L}(x)$</Sym> and <Sym id=\'kl\'>KL</Sym>.\n');
  await writeFile(join(some, 'part', '02-b.mdx'), 'A <Sym id="lose">typo</Sym>, and <Sym id={name}>an expression</Sym>.\n');
  assert.deepEqual(symTags(some).map((t) => t.id).sort(), ['kl', 'lose', 'loss', undefined].sort());
  assert.deepEqual(unknownSyms(some).sort(), [join('part', '02-b.mdx') + ': (an id that is not a plain string)', join('part', '02-b.mdx') + ': lose'].sort());
});
