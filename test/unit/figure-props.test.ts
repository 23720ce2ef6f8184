/**
 * The reader of a component's docs (src/components/lib/build/figure-props.ts) on small
 * components written here: required and optional props, defaults read from the destructuring of
 * `Astro.props`, the props' doc comments, string-literal unions and type aliases (local, imported
 * and re-exported), the purpose (the first sentence of the frontmatter's doc comment) and the
 * `<slot>`.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { componentDoc, componentFiles, firstSentence, readComponentDoc } from '../../src/components/lib/build/figure-props.ts';

const tmp = await mkdtemp(join(tmpdir(), 'latent-lab-figure-props-'));
after(() => rm(tmp, { recursive: true, force: true }));

const GRID = `---
/**
 * A grid of decoded digits, e.g. from the prior. It draws again on request.
 *
 * A second paragraph that the purpose leaves out.
 */
import { thing } from './lib/thing';
import type { Shade } from './lib/shades';

type Mode = 'prior' | 'box';

interface Props {
  /** The model's id. */
  model: string;
  /**
   * Where the codes
   * come from.
   */
  from?: Mode;
  side?: number;
  modes?: Mode[];
  colour?: 'red' | "blue";
  shade?: Shade;
  caption: string;
  'data-x'?: boolean;
}

const { model, from = 'prior', side = 6, colour: hue = 'red', caption, ...rest } = Astro.props;
const other = { side: 9 };
---

<figure><slot name="before" />{caption}</figure>
`;

test('props: names in order, the type as written, required or optional, and each doc comment', () => {
  const doc = componentDoc(GRID, '/nowhere/SampleGrid.astro');
  assert.equal(doc.name, 'SampleGrid');
  assert.equal(doc.hasProps, true);
  assert.deepEqual(
    doc.props.map((p) => [p.name, p.type, p.optional]),
    [
      ['model', 'string', false],
      ['from', 'Mode', true],
      ['side', 'number', true],
      ['modes', 'Mode[]', true],
      ['colour', `'red' | "blue"`, true],
      ['shade', 'Shade', true],
      ['caption', 'string', false],
      ['data-x', 'boolean', true],
    ],
  );
  const by = Object.fromEntries(doc.props.map((p) => [p.name, p]));
  assert.equal(by['model']!.doc, "The model's id.");
  assert.equal(by['from']!.doc, 'Where the codes come from.', 'a doc comment over several lines becomes one');
  assert.equal(by['side']!.doc, '', 'no doc comment');
});

test('defaults come from the destructuring of Astro.props, renamed ones by their prop name, and nothing else', () => {
  const by = Object.fromEntries(componentDoc(GRID, '/nowhere/SampleGrid.astro').props.map((p) => [p.name, p]));
  assert.equal(by['from']!.default, "'prior'");
  assert.equal(by['side']!.default, '6', 'not the 9 of another object');
  assert.equal(by['colour']!.default, "'red'");
  assert.equal(by['model']!.default, undefined);
  assert.equal('default' in by['caption']!, false);
});

test('a local type alias is resolved, for the type and for an array of it; a literal union is kept as written', () => {
  const by = Object.fromEntries(componentDoc(GRID, '/nowhere/SampleGrid.astro').props.map((p) => [p.name, p]));
  assert.equal(by['from']!.resolved, "'prior' | 'box'");
  assert.equal(by['modes']!.resolved, "('prior' | 'box')[]");
  assert.equal(by['colour']!.resolved, undefined);
  assert.equal(by['model']!.resolved, undefined);
  // Imported from a module that does not exist where the component is said to live.
  assert.equal(by['shade']!.resolved, undefined);
});

test('an imported alias is resolved from its module, through re-exports', async () => {
  await mkdir(join(tmp, 'lib'), { recursive: true });
  await writeFile(join(tmp, 'lib', 'colours.ts'), "export type Tone = 'light' | 'dark';\nexport type Unrelated = number;\n");
  await writeFile(join(tmp, 'lib', 'shades.ts'), "export { Tone as Shade } from './colours';\nexport * from './colours';\n");
  const file = join(tmp, 'SampleGrid.astro');
  await writeFile(file, GRID);
  const by = Object.fromEntries(readComponentDoc(file).props.map((p) => [p.name, p]));
  assert.equal(by['shade']!.resolved, "'light' | 'dark'");
  assert.deepEqual(readComponentDoc(file).imports.get('Shade'), './lib/shades');
});

test('`type Props = { … }` is read like an interface; no Props means no props', () => {
  const typed = componentDoc('---\ntype Props = { id: string; narrative?: boolean };\nconst { id, narrative = false } = Astro.props;\n---\n<span />\n', 'Cite.astro');
  assert.equal(typed.hasProps, true);
  assert.deepEqual(
    typed.props.map((p) => [p.name, p.optional, p.default]),
    [
      ['id', false, undefined],
      ['narrative', true, 'false'],
    ],
  );
  const none = componentDoc('---\n/** The answer to a question. */\n---\n<details><slot /></details>\n', 'Answer.astro');
  assert.equal(none.hasProps, false);
  assert.deepEqual(none.props, []);
  assert.equal(none.purpose, 'The answer to a question.');
});

test('the purpose is the first sentence of the frontmatter’s leading doc comment; the description keeps it all', () => {
  const doc = componentDoc(GRID, 'SampleGrid.astro');
  assert.equal(doc.purpose, 'A grid of decoded digits, e.g. from the prior.', 'past the abbreviation');
  assert.equal(doc.description, 'A grid of decoded digits, e.g. from the prior. It draws again on request.\n\nA second paragraph that the purpose leaves out.');
  // A plain comment, or a doc comment that is not first, is no description.
  assert.equal(componentDoc('---\n// Not a doc.\nconst a = 1;\n/** Too late. */\n---\n', 'A.astro').purpose, '');
  assert.equal(componentDoc('<p>No frontmatter at all.</p>', 'B.astro').description, '');
});

test('firstSentence: up to the first full stop, question or exclamation mark, within the first paragraph', () => {
  assert.equal(firstSentence('One. Two.'), 'One.');
  assert.equal(firstSentence('Is it? Yes.'), 'Is it?');
  assert.equal(firstSentence('Numbers like 0.5 stay. Then more.'), 'Numbers like 0.5 stay.');
  assert.equal(firstSentence('See ch. 2 and eq. 7, i.e. both. Next.'), 'See ch. 2 and eq. 7, i.e. both.');
  assert.equal(firstSentence('A citation:\n\n  <Cite id="x" />'), 'A citation.', 'a colon that introduces an example ends it');
  assert.equal(firstSentence('Broken\nover lines. Next.'), 'Broken over lines.');
  assert.equal(firstSentence('No stop at all'), 'No stop at all');
});

test('the slot: a <slot> in the template, not in the frontmatter', () => {
  assert.equal(componentDoc(GRID, 'A.astro').slot, true, 'a named slot counts');
  assert.equal(componentDoc('---\nconst s = "<slot>";\n---\n<p />\n', 'A.astro').slot, false);
  assert.equal(componentDoc('---\n---\n<div><slot/></div>\n', 'A.astro').slot, true);
  assert.equal(componentDoc('---\n---\n<div><slotted /></div>\n', 'A.astro').slot, false);
});

test('componentFiles: the .astro files of a folder, by name, sorted', async () => {
  const dir = join(tmp, 'components');
  await mkdir(join(dir, 'lib'), { recursive: true });
  for (const f of ['Zeta.astro', 'Alpha.astro', 'notes.md', 'lib/Inner.astro']) await writeFile(join(dir, f), '');
  assert.deepEqual([...componentFiles(dir)], [
    ['Alpha', join(dir, 'Alpha.astro')],
    ['Zeta', join(dir, 'Zeta.astro')],
  ]);
});
