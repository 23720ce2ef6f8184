/**
 * A component's tag as a chapter writes it in MDX: the import lines and the tag with its props,
 * in the chapters' own style (one line when it fits, else one prop a line). The figure catalogue
 * (/figures/) shows these snippets for copying, and its tests check that each compiles back to
 * the example's props.
 */

/** A prop's value as a chapter can write it: a string, a number, a boolean or a list of them. */
export type PropValue = string | number | boolean | readonly (string | number)[];

/** A component's tag: its props, and what it holds between its opening and closing tag. */
export interface Tag {
  /** The component's file name in src/components/, without `.astro`. */
  readonly component: string;
  readonly props?: Readonly<Record<string, PropValue>>;
  /**
   * Text (HTML with `$…$` math, valid in MDX as it is) or a list of text and tags, each put on a
   * line of its own, so MDX reads the text between them as Markdown.
   */
  readonly children?: string | readonly (string | Tag)[];
}

/** Where chapters import components from: src/content/chapters/ → src/components/. */
export const CHAPTER_COMPONENTS = '../../components';

/** A tag on one line is at most this long; a longer one puts each prop on a line of its own. */
const WIDTH = 100;

function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** One prop as MDX writes it: `name="text"`, `name={3}`, `name` for true, `name={['a', 'b']}`. */
function mdxAttribute(name: string, value: PropValue): string {
  if (value === true) return name;
  if (typeof value === 'string') return value.includes('"') ? `${name}={${JSON.stringify(value)}}` : `${name}="${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${name}={${String(value)}}`;
  return `${name}={[${value.map((v) => (typeof v === 'string' ? quoted(v) : String(v))).join(', ')}]}`;
}

function openingTag(tag: Tag, close: '>' | ' />'): string[] {
  const attributes = Object.entries(tag.props ?? {}).map(([name, value]) => mdxAttribute(name, value));
  const line = `<${[tag.component, ...attributes].join(' ')}${close}`;
  if (line.length <= WIDTH || attributes.length === 0) return [line];
  return [`<${tag.component}`, ...attributes.map((a) => `  ${a}`), close.trim()];
}

/** The lines of a tag. */
function tagLines(tag: Tag): string[] {
  const { children } = tag;
  if (children === undefined || children.length === 0) return openingTag(tag, ' />');
  const open = openingTag(tag, '>');
  const close = `</${tag.component}>`;
  if (typeof children === 'string' && open.length === 1 && !children.includes('\n')) {
    const inline = `${open[0]}${children}${close}`;
    if (inline.length <= WIDTH) return [inline];
  }
  const lines = [...open];
  const list = typeof children === 'string' ? [children] : children;
  list.forEach((child, i) => {
    // Text before a tag is a paragraph of its own: a blank line ends it.
    if (typeof child !== 'string' && typeof list[i - 1] === 'string') lines.push('');
    lines.push(...(typeof child === 'string' ? child.split('\n') : tagLines(child)));
  });
  lines.push(close);
  return lines;
}

/** Every component a tag uses, itself first, each once. */
export function componentsOf(tag: Tag): string[] {
  const found = new Set<string>([tag.component]);
  const children = typeof tag.children === 'string' ? [] : (tag.children ?? []);
  for (const child of children) if (typeof child !== 'string') componentsOf(child).forEach((c) => found.add(c));
  return [...found];
}

/** The MDX a chapter needs for `tag`: its imports, a blank line, and the tag. */
export function mdxSnippet(tag: Tag): string {
  const imports = componentsOf(tag).map((c) => `import ${c} from '${CHAPTER_COMPONENTS}/${c}.astro';`);
  return [...imports, '', ...tagLines(tag)].join('\n');
}
