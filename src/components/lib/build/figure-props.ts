/**
 * What a component of src/components/ offers an author, read from its own source with the
 * TypeScript compiler: the first sentence of the frontmatter's leading doc comment (its
 * purpose), and each prop of its `interface Props` (name, type as written, whether it is
 * optional, the default its destructuring of `Astro.props` gives, and the prop's doc comment).
 * The figure catalogue (src/pages/figures/) prints its props tables from this, so a table cannot
 * drift from the component. Build time and Node only: it reads files and loads `typescript`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import ts from 'typescript';

export interface PropDoc {
  name: string;
  /** The type as the interface writes it, e.g. `'prior' | 'box'` or `ManifoldGrid`. */
  type: string;
  /** For a type alias (local or imported from a relative module): what it stands for. */
  resolved?: string;
  optional: boolean;
  /** The default in the component's `const { … } = Astro.props`, as source text. */
  default?: string;
  /** The prop's doc comment; empty when it has none. */
  doc: string;
}

export interface ComponentDoc {
  /** The file name without `.astro`, as chapters import it. */
  name: string;
  /** The first sentence of the frontmatter's leading doc comment. */
  purpose: string;
  /** The whole leading doc comment, paragraphs kept. */
  description: string;
  /** Whether the frontmatter declares `interface Props` (or `type Props`). */
  hasProps: boolean;
  props: PropDoc[];
  /** Whether the template has a `<slot>`: what a tag holds between its opening and closing. */
  slot: boolean;
  /** Each name the frontmatter imports, with the module it comes from. */
  imports: Map<string, string>;
}

/** The frontmatter of an .astro file: the code between the opening `---` and the next one. */
function frontmatterOf(source: string): string {
  return /^---\r?\n([\s\S]*?)\r?\n---/.exec(source)?.[1] ?? '';
}

/** The template of an .astro file: what follows the frontmatter. */
function templateOf(source: string): string {
  const match = /^---\r?\n[\s\S]*?\r?\n---/.exec(source);
  return match ? source.slice(match[0].length) : source;
}

/** The text of a `/** … *\/` comment: the delimiters and leading asterisks gone, line breaks kept. */
function commentText(comment: string): string {
  return comment
    .replace(/^\/\*\*?/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

/**
 * The first sentence of a text: up to the first `.`, `!` or `?` before a space, past
 * abbreviations, and within the first paragraph (one that ends in a colon, introducing an
 * example, ends in a full stop instead).
 */
export function firstSentence(text: string): string {
  const flat = text.split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').trim().replace(/:$/, '.');
  const end = /[.!?](?=\s|$)/g;
  for (let m = end.exec(flat); m; m = end.exec(flat)) {
    const before = flat.slice(0, m.index + 1);
    if (/\b(?:e\.g|i\.e|cf|etc|vs|ch|eq|p)\.$/i.test(before)) continue;
    return before;
  }
  return flat;
}

/** Parses a module's source; parent links are set, so doc comments can be read from nodes. */
function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function docOf(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join('\n')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The module file a relative specifier names, from `dir`: as written, or with `.ts` or `/index.ts`. */
function moduleFile(dir: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const path = resolve(dir, specifier);
  return [path, `${path}.ts`, join(path, 'index.ts')].find((p) => p.endsWith('.ts') && existsSync(p));
}

/**
 * The definition of the type alias `name` exported by the module `file`, following re-exports
 * (`export * from`, `export { name } from`), or undefined when it is not a type alias there.
 */
function exportedAlias(file: string, name: string, depth = 0): string | undefined {
  if (depth > 5) return undefined;
  const source = parse(file, readFileSync(file, 'utf8'));
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name) return statement.type.getText(source);
  }
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.exportClause;
    const named = clause && ts.isNamedExports(clause) ? clause.elements.find((e) => e.name.text === name) : undefined;
    if (clause && !named) continue;
    const next = moduleFile(dirname(file), statement.moduleSpecifier.text);
    const found = next && exportedAlias(next, named?.propertyName?.text ?? name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The doc of a component from its .astro source. `file` is where the source lives: imported
 * type aliases are resolved from there, and `name` defaults to the file's name.
 */
export function componentDoc(source: string, file: string): ComponentDoc {
  const name = basename(file).replace(/\.astro$/, '');
  const code = frontmatterOf(source);
  const sf = parse(`${file}.ts`, code);

  const leading = (ts.getLeadingCommentRanges(code, 0) ?? []).map((r) => code.slice(r.pos, r.end)).find((c) => c.startsWith('/**'));
  const description = leading ? commentText(leading) : '';

  const imports = new Map<string, string>();
  const aliases = new Map<string, string>();
  let members: readonly ts.TypeElement[] | undefined;
  const defaults = new Map<string, string>();
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const from = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) imports.set(clause.name.text, from);
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const element of clause.namedBindings.elements) imports.set(element.name.text, from);
      }
    } else if (ts.isInterfaceDeclaration(statement) && statement.name.text === 'Props') {
      members = statement.members;
    } else if (ts.isTypeAliasDeclaration(statement)) {
      if (statement.name.text === 'Props' && ts.isTypeLiteralNode(statement.type)) members = statement.type.members;
      else aliases.set(statement.name.text, statement.type.getText(sf));
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isObjectBindingPattern(declaration.name) || declaration.initializer?.getText(sf) !== 'Astro.props') continue;
        for (const element of declaration.name.elements) {
          const key = element.propertyName ?? element.name;
          if (element.initializer && (ts.isIdentifier(key) || ts.isStringLiteral(key))) defaults.set(key.text, element.initializer.getText(sf));
        }
      }
    }
  }

  /** What an alias named by the whole of a prop's type stands for, if it is one. */
  const resolveAlias = (type: ts.TypeNode): string | undefined => {
    const inner = ts.isArrayTypeNode(type) ? type.elementType : type;
    if (!ts.isTypeReferenceNode(inner) || !ts.isIdentifier(inner.typeName) || inner.typeArguments) return undefined;
    const alias = inner.typeName.text;
    const from = imports.get(alias);
    const module = from === undefined ? undefined : moduleFile(dirname(file), from);
    const text = aliases.get(alias) ?? (module && exportedAlias(module, alias));
    if (!text) return undefined;
    return inner === type ? text : `(${text})[]`;
  };

  const props: PropDoc[] = [];
  for (const member of members ?? []) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const key = member.name;
    const propName = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : key.getText(sf);
    const resolved = resolveAlias(member.type);
    const fallback = defaults.get(propName);
    props.push({
      name: propName,
      type: member.type.getText(sf).replace(/\s+/g, ' '),
      ...(resolved === undefined ? {} : { resolved }),
      optional: member.questionToken !== undefined,
      ...(fallback === undefined ? {} : { default: fallback }),
      doc: docOf(member),
    });
  }

  return { name, purpose: firstSentence(description), description, hasProps: members !== undefined, props, slot: /<slot\b/.test(templateOf(source)), imports };
}

/** The doc of the component in `file` (an .astro file). */
export function readComponentDoc(file: string): ComponentDoc {
  return componentDoc(readFileSync(file, 'utf8'), file);
}

/** The component files of a folder: its .astro files, by name. */
export function componentFiles(dir: string): Map<string, string> {
  const names = readdirSync(dir).filter((f) => f.endsWith('.astro')).sort();
  return new Map(names.map((f) => [f.replace(/\.astro$/, ''), join(dir, f)]));
}
