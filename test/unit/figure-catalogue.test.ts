/**
 * The figure catalogue (src/site/figures.ts) against the components it documents: every
 * component of src/components/ that a chapter can use is in it; every example passes only props
 * the component's `interface Props` declares, every required one, each of its declared type;
 * children only go to a component with a `<slot>`; each figure's element is defined by the
 * module its component's script loads; the anchors on /figures/ are unique; and each example's
 * MDX snippet compiles back to the example's tags and props.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { evaluate } from '@mdx-js/mdx';
import remarkMath from 'remark-math';
import { ROOT } from '../../scripts/lib/files.ts';
import { componentFiles, readComponentDoc, type ComponentDoc, type PropDoc } from '../../src/components/lib/build/figure-props.ts';
import { CHAPTER_COMPONENTS, componentsOf, mdxSnippet, type PropValue, type Tag } from '../../src/site/figure-snippet.ts';
import { CATALOGUE, exampleAnchor, exampleTag, INNER_PARTS, type CatalogueEntry } from '../../src/site/figures.ts';

const COMPONENTS = join(ROOT, 'src', 'components');
const FIGURES = join(COMPONENTS, 'figures');
const entries = CATALOGUE as readonly CatalogueEntry[];
const files = componentFiles(COMPONENTS);
const docs = new Map<string, ComponentDoc>();
const docOf = (name: string): ComponentDoc => {
  const file = files.get(name);
  assert.ok(file, `src/components/${name}.astro does not exist`);
  if (!docs.has(name)) docs.set(name, readComponentDoc(file));
  return docs.get(name)!;
};

/** A type's alternatives: the parts between its top-level `|`s (none inside quotes or brackets). */
function alternatives(type: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const ch of type) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if ('([{<'.includes(ch)) {
      depth++;
    } else if (')]}>'.includes(ch)) {
      depth--;
    } else if (ch === '|' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  return parts.filter(Boolean);
}

/**
 * Whether `value` is of the TypeScript type `type`, for the types a prop written in MDX can have:
 * string, number, boolean, string and number literals, arrays of these and unions of them. Any
 * other type throws, so a prop of a type this cannot check is noticed rather than passed.
 */
function accepts(type: string, value: unknown): boolean {
  return alternatives(type).some((alternative) => {
    const t = alternative.replace(/^readonly\s+/, '').trim();
    if (t === 'string' || t === 'number' || t === 'boolean') return typeof value === t;
    if (t === 'true' || t === 'false') return value === (t === 'true');
    if (/^'(?:[^'\\]|\\.)*'$|^"(?:[^"\\]|\\.)*"$/.test(t)) return value === t.slice(1, -1);
    if (/^-?\d+(?:\.\d+)?$/.test(t)) return value === Number(t);
    const array = /^(.+)\[\]$/.exec(t) ?? /^(?:Readonly)?Array<(.+)>$/.exec(t);
    if (array) return Array.isArray(value) && value.every((v) => accepts(array[1]!, v));
    const grouped = /^\((.+)\)$/.exec(t);
    if (grouped) return accepts(grouped[1]!, value);
    throw new Error(`cannot check a value against the type ${t}`);
  });
}

/** What is wrong with `props` for a component whose props are `declared`: one line each. */
function propProblems(component: string, declared: readonly PropDoc[], props: Readonly<Record<string, PropValue>>): string[] {
  const problems: string[] = [];
  const byName = new Map(declared.map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(props)) {
    const prop = byName.get(name);
    if (!prop) {
      problems.push(`<${component}> has no prop "${name}"`);
      continue;
    }
    const type = prop.resolved ?? prop.type;
    try {
      if (!accepts(type, value)) problems.push(`<${component} ${name}>: ${JSON.stringify(value)} is not of the type ${type}`);
    } catch (err) {
      problems.push(`<${component} ${name}>: ${(err as Error).message}`);
    }
  }
  for (const prop of declared) if (!prop.optional && !(prop.name in props)) problems.push(`<${component}> needs its prop "${prop.name}"`);
  return problems;
}

/** A tag and every tag inside it, the tag first, in document order. */
function tagsIn(tag: Tag): Tag[] {
  const inner = typeof tag.children === 'string' ? [] : (tag.children ?? []);
  return [tag, ...inner.flatMap((child) => (typeof child === 'string' ? [] : tagsIn(child)))];
}

const examples = entries.flatMap((entry) => entry.examples.map((example) => ({ entry, example, where: `${entry.id}, example "${example.id}"` })));

test('the unit tests of the checker: the types a prop can have', () => {
  assert.equal(accepts('string', 'a'), true);
  assert.equal(accepts('string', 3), false);
  assert.equal(accepts('number', 3), true);
  assert.equal(accepts('number', '3'), false);
  assert.equal(accepts('boolean', true), true);
  assert.equal(accepts("'prior' | 'box'", 'box'), true);
  assert.equal(accepts("'prior' | 'box'", 'boxes'), false);
  assert.equal(accepts('"a|b" | number', 'a|b'), true);
  assert.equal(accepts('string[]', ['a', 'b']), true);
  assert.equal(accepts('string[]', ['a', 2]), false);
  assert.equal(accepts('string[]', 'a'), false);
  assert.equal(accepts("('a' | 'b')[]", ['a', 'b']), true);
  assert.equal(accepts("readonly ('a' | 'b')[]", ['c']), false);
  assert.throws(() => accepts('ManifoldGrid', 'linear'), /cannot check a value against the type ManifoldGrid/);
  assert.deepEqual(propProblems('X', [{ name: 'a', type: 'number', optional: false, doc: '' }], { a: '1', b: 2 }), [
    '<X a>: "1" is not of the type number',
    '<X> has no prop "b"',
  ]);
  assert.deepEqual(propProblems('X', [{ name: 'a', type: 'number', optional: false, doc: '' }], {}), ['<X> needs its prop "a"']);
});

test('every component of src/components/ is in the catalogue: an entry, a part of one, or inside another component', () => {
  const covered = new Map<string, string>();
  for (const entry of entries) {
    covered.set(entry.component, `the entry ${entry.id}`);
    for (const part of entry.parts ?? []) covered.set(part, `a part of ${entry.id}`);
  }
  for (const [inner, parent] of Object.entries(INNER_PARTS)) {
    covered.set(inner, `inside ${parent}`);
    assert.ok(
      entries.some((e) => e.component === parent),
      `INNER_PARTS: ${inner} is inside ${parent}, which has no entry`,
    );
  }
  assert.deepEqual(
    [...files.keys()].filter((name) => !covered.has(name)),
    [],
    'components missing from src/site/figures.ts (add an entry with an example, a part, or INNER_PARTS)',
  );
  assert.deepEqual(
    [...covered.keys()].filter((name) => !files.has(name)),
    [],
    'names in src/site/figures.ts with no file in src/components/',
  );
});

test('each entry’s id is its component’s name in lower case with dashes, and kinds and parts are sound', () => {
  for (const entry of entries) {
    assert.equal(entry.id, entry.component.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase(), `the id of ${entry.component}`);
    assert.ok(entry.examples.length > 0, `${entry.id} has no example`);
    for (const part of entry.parts ?? []) {
      assert.ok(
        entry.examples.some((x) => tagsIn(exampleTag(entry, x)).some((t) => t.component === part)),
        `${entry.id}: no example uses its part ${part}`,
      );
    }
  }
});

for (const { entry, example, where } of examples) {
  test(`${where}: props the component declares, each of its type, every required one`, () => {
    for (const tag of tagsIn(exampleTag(entry, example))) {
      const doc = docOf(tag.component);
      assert.deepEqual(propProblems(tag.component, doc.props, tag.props ?? {}), [], where);
      if (tag.children !== undefined) assert.ok(doc.slot, `${where}: <${tag.component}> has no <slot> for what its tag holds`);
      const allowed = [entry.component, ...(entry.parts ?? [])];
      assert.ok(allowed.includes(tag.component), `${where}: <${tag.component}> is neither ${entry.component} nor one of its parts`);
    }
  });
}

test('the anchors of /figures/ are unique', () => {
  const seen = new Map<string, string>();
  const add = (anchor: string, what: string) => {
    assert.ok(!seen.has(anchor), `#${anchor}: ${what} and ${seen.get(anchor)}`);
    seen.set(anchor, what);
  };
  for (const entry of entries) {
    add(entry.id, `the entry ${entry.component}`);
    add(`${entry.id}-title`, `the heading of ${entry.component}`);
  }
  for (const { entry, example, where } of examples) {
    assert.match(example.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, where);
    add(exampleAnchor(entry, example), where);
  }
});

/** Every `customElements.define('name', …)` in the .ts files of `dir` and below, by element name. */
function definitions(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts')) continue;
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/customElements\.define\(\s*['"]([a-z][a-z0-9]*-[a-z0-9-]*)['"]/g)) found.set(m[1]!, join(dir, file));
  }
  return found;
}

test('each figure’s element is a custom element defined by the module its component’s script loads, and renders it', () => {
  const defined = definitions(COMPONENTS);
  for (const entry of entries) {
    if (entry.element === undefined) {
      assert.ok(entry.started === undefined, `${entry.id}: started states without an element`);
      continue;
    }
    const file = files.get(entry.component)!;
    const source = readFileSync(file, 'utf8');
    const module = defined.get(entry.element);
    assert.ok(module, `${entry.id}: no customElements.define('${entry.element}', …) in src/components/`);
    const scripts = [...source.matchAll(/<script>([\s\S]*?)<\/script>/g)].flatMap((m) => [...m[1]!.matchAll(/import\s+['"](\.[^'"]+)['"]/g)].map((i) => i[1]!));
    const loaded = scripts.map((s) => resolve(dirname(file), s)).map((p) => (p.endsWith('.ts') ? p : `${p}.ts`));
    assert.ok(loaded.includes(module), `${entry.id}: the script of ${entry.component}.astro does not load ${module}, which defines <${entry.element}>`);
    assert.match(source, new RegExp(`<${entry.element}[\\s>]`), `${entry.component}.astro renders no <${entry.element}>`);
  }
  // A figure element with no entry: its tests would not know when it has started.
  const elements = new Set(entries.map((e) => e.element));
  const figures = [...definitions(FIGURES).keys()].filter((name) => !elements.has(name));
  assert.deepEqual(figures, [], 'custom elements of src/components/figures/ that no catalogue entry names');
});

/** A JSX element as the stand-in runtime below builds it. */
interface Element {
  type: unknown;
  props: Record<string, unknown>;
}
const runtime = {
  Fragment: Symbol('Fragment'),
  jsx: (type: unknown, props: Record<string, unknown>): Element => ({ type, props }),
  jsxs: (type: unknown, props: Record<string, unknown>): Element => ({ type, props }),
};

/** The component elements of a tree built by `runtime`, in document order, with their props (children left out). */
function componentsIn(node: unknown, names: Map<unknown, string>): { component: string; props: Record<string, unknown> }[] {
  if (Array.isArray(node)) return node.flatMap((n) => componentsIn(n, names));
  if (!node || typeof node !== 'object' || !('props' in node)) return [];
  const { type, props } = node as Element;
  const { children, ...rest } = props;
  const name = names.get(type);
  return [...(name === undefined ? [] : [{ component: name, props: rest }]), ...componentsIn(children, names)];
}

test('the chapters’ import path reaches src/components/', () => {
  assert.equal(resolve(ROOT, 'src', 'content', 'chapters', CHAPTER_COMPONENTS), COMPONENTS);
});

for (const { entry, example, where } of examples) {
  test(`${where}: its MDX snippet imports its components and compiles back to its tags and props`, async () => {
    const tag = exampleTag(entry, example);
    const snippet = mdxSnippet(tag);
    const gap = snippet.indexOf('\n\n');
    const [imports, body] = [snippet.slice(0, gap), snippet.slice(gap + 2)];
    assert.deepEqual(
      imports.split('\n'),
      componentsOf(tag).map((c) => ['import', c, 'from', `'${CHAPTER_COMPONENTS}/${c}.astro';`].join(' ')),
    );
    // The components stand in for the imports, which only Astro can load.
    const { default: Content } = await evaluate(body, { ...runtime, remarkPlugins: [remarkMath] });
    const names = new Map<unknown, string>(componentsOf(tag).map((c) => [Object.assign(() => null, { displayName: c }), c]));
    const components = Object.fromEntries([...names].map(([fn, c]) => [c, fn]));
    const tree = (Content as (props: object) => unknown)({ components });
    assert.deepEqual(
      componentsIn(tree, names),
      tagsIn(tag).map((t) => ({ component: t.component, props: { ...t.props } })),
      where,
    );
  });
}
