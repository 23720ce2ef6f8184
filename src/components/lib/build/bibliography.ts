/**
 * The site's bibliography, src/site/references.bib, read once at build time and parsed by
 * citation-js (its BibTeX plug-in) into CSL-JSON. From it: the author-year label of each entry
 * ("Kingma & Welling, 2014"), the full reference as HTML, the text of a <Cite>, and each
 * chapter's reference list, found by scanning the chapter's MDX for <Cite id="…">. Server side
 * only (node:fs); an unknown key, a malformed .bib or an entry without author, year or title
 * throws, so the build fails with the key and the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plugins, type CSL, type CSLName } from '@citation-js/core';
import '@citation-js/plugin-bibtex';

/** Where the bibliography lives, relative to the project root (the build's working directory). */
export const BIB_FILE = 'src/site/references.bib';

export interface Reference {
  readonly key: string;
  /** "Kingma & Welling", "Burda et al.", "Doersch", "van den Oord et al." */
  readonly authorsShort: string;
  /** The same in running text: "Kingma and Welling". */
  readonly authorsNarrative: string;
  /** The venue's year, with a letter when two entries would otherwise share a label: "2014", "2016a". */
  readonly year: string;
  /** The in-text label: "Kingma & Welling, 2014". */
  readonly label: string;
  readonly title: string;
  /** The DOI's address when there is one, else the entry's url. */
  readonly href: string | undefined;
  /** The full reference as HTML (escaped; the venue in <cite>, the link as <a>). */
  readonly html: string;
  /** The full reference as plain text, as a reader sees it. */
  readonly text: string;
  /** The first author's surname as printed, for ordering lists. */
  readonly firstSurname: string;
}

export interface Bibliography {
  /** Every entry, in the order of the file. */
  readonly entries: ReadonlyMap<string, Reference>;
  /** The entry `key`; throws, naming the key and `usedIn`, when there is none. */
  get(key: string, usedIn: string): Reference;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A surname with its particle, as printed: "van den Oord"; an institution's name as it is. */
function surname(name: CSLName): string {
  if (name.literal) return name.literal;
  return [name['non-dropping-particle'], name.family].filter(Boolean).join(' ');
}

/** A name in full, given names first: "Diederik P. Kingma", "Aaron van den Oord". */
function fullName(name: CSLName): string {
  if (name.literal) return name.literal;
  return [name.given, name['dropping-particle'], name['non-dropping-particle'], name.family, name.suffix].filter(Boolean).join(' ');
}

/** "A", "A and B", "A, B and C". */
function listNames(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The author part of a label: one surname, two joined by `and`, or the first and "et al.". */
function shortAuthors(names: readonly CSLName[], and: string): string {
  const [first, second] = names.map(surname);
  if (names.length === 1) return first!;
  if (names.length === 2) return `${first} ${and} ${second}`;
  return `${first} et al.`;
}

/** Page ranges with an en dash, as typeset: "1278-1286" → "1278–1286". */
const pages = (p: string): string => p.replace(/\s*-+\s*/g, '–');

/** A sentence ends with one full stop, not two ("…? ." stays "…?"). */
const sentence = (s: string): string => (/[.?!]$/.test(s) ? s : `${s}.`);

interface Parts {
  authors: string;
  year: string;
  title: string;
  /** The venue, its volume and pages; the venue's name marked with <cite> in the HTML. */
  venueHtml: string;
  venueText: string;
  href: string | undefined;
}

function venue(item: CSL): { html: string; text: string } {
  const container = item['container-title'];
  if (!container) {
    // A preprint, a blog post, a code example: the publisher field holds BibTeX's howpublished.
    const where = item.publisher ?? '';
    return { html: escapeHtml(where), text: where };
  }
  // A journal: "Journal, 112(518), 859–877". Proceedings: "In Venue, Series 32(2), pp. 1278–1286",
  // or "In Venue, vol. 27" when the volume belongs to the proceedings themselves.
  const journal = item.type === 'article-journal';
  const series = item['collection-title'];
  const volume = item.volume ? `${item.volume}${item.issue ? `(${item.issue})` : ''}` : '';
  const numbers: string[] = [];
  if (journal) {
    if (volume) numbers.push(volume);
    if (item.page) numbers.push(pages(String(item.page)));
  } else {
    if (series) numbers.push(volume ? `${series} ${volume}` : series);
    else if (volume) numbers.push(`vol. ${volume}`);
    if (item.page) numbers.push(`pp. ${pages(String(item.page))}`);
  }
  const rest = numbers.map((n) => `, ${n}`).join('');
  const prefix = journal ? '' : 'In ';
  return { html: `${prefix}<cite>${escapeHtml(container)}</cite>${escapeHtml(rest)}`, text: `${prefix}${container}${rest}` };
}

function parts(item: CSL, year: string, file: string): Parts {
  const key = item.id;
  if (!item.author?.length) throw new Error(`${file}: the entry "${key}" has no author.`);
  if (!item.title) throw new Error(`${file}: the entry "${key}" has no title.`);
  const { html, text } = venue(item);
  const href = item.DOI ? `https://doi.org/${item.DOI}` : item.URL;
  return { authors: listNames(item.author.map(fullName)), year, title: item.title, venueHtml: html, venueText: text, href };
}

/** "Authors (Year). Title. Venue. Link" as HTML and as text. */
function formatReference(p: Parts): { html: string; text: string } {
  const head = `${p.authors} (${p.year}). ${sentence(p.title)}`;
  const venueHtml = p.venueHtml ? ` ${sentence(p.venueHtml)}` : '';
  const venueText = p.venueText ? ` ${sentence(p.venueText)}` : '';
  const linkHtml = p.href ? ` <a href="${escapeHtml(p.href)}">${escapeHtml(p.href)}</a>` : '';
  const linkText = p.href ? ` ${p.href}` : '';
  return { html: `${escapeHtml(head)}${venueHtml}${linkHtml}`, text: `${head}${venueText}${linkText}` };
}

/**
 * Parses BibTeX text into the bibliography. `file` names the text in error messages. Labels
 * are settled over the whole file, so an entry has the same label in every chapter: where two
 * entries would share one ("Kingma et al., 2016" twice), their years get a, b, … in the order
 * of their full author lists, then titles.
 */
export function parseBibliography(bibtex: string, file = BIB_FILE): Bibliography {
  let items: CSL[];
  try {
    // citation-js types every option as required; the others keep their defaults.
    const options = { forceType: '@bibtex/text', generateGraph: false } as Parameters<typeof plugins.input.chain>[1];
    items = plugins.input.chain(bibtex, options);
  } catch (err) {
    throw new Error(`${file} could not be parsed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const seen = new Set<string>();
  const drafts = items.map((csl) => {
    const item = { ...csl, id: String(csl.id) };
    if (seen.has(item.id)) throw new Error(`${file}: the key "${item.id}" is defined twice.`);
    seen.add(item.id);
    const year = item.issued?.['date-parts']?.[0]?.[0];
    if (year === undefined) throw new Error(`${file}: the entry "${item.id}" has no year.`);
    const names = item.author ?? [];
    return { item, year: String(year), short: names.length ? shortAuthors(names, '&') : '', suffix: '' };
  });

  // Entries that would print the same label get a, b, … after the year.
  const byLabel = new Map<string, typeof drafts>();
  for (const d of drafts) byLabel.set(`${d.short}, ${d.year}`, [...(byLabel.get(`${d.short}, ${d.year}`) ?? []), d]);
  for (const group of byLabel.values()) {
    if (group.length < 2) continue;
    const order = (d: (typeof drafts)[number]) => `${(d.item.author ?? []).map(surname).join(' ')}\u0000${d.item.title ?? ''}`;
    group.sort((a, b) => order(a).localeCompare(order(b), 'en', { sensitivity: 'base' }));
    group.forEach((d, i) => (d.suffix = String.fromCharCode(97 + i)));
  }

  const entries = new Map<string, Reference>();
  for (const { item, year, short, suffix } of drafts) {
    const p = parts(item, `${year}${suffix}`, file);
    const { html, text } = formatReference(p);
    entries.set(item.id, {
      key: item.id,
      authorsShort: short,
      authorsNarrative: shortAuthors(item.author!, 'and'),
      year: p.year,
      label: `${short}, ${p.year}`,
      title: p.title,
      href: p.href,
      html,
      text,
      firstSurname: surname(item.author![0]!),
    });
  }
  return {
    entries,
    get(key, usedIn) {
      const entry = entries.get(key);
      if (!entry) throw new Error(`${usedIn} cites "${key}", which is not in ${file}. Add the entry there, or correct the key.`);
      return entry;
    },
  };
}

let loaded: Bibliography | undefined;

/** The site's bibliography, parsed on first use and kept for the rest of the build. */
export function bibliography(): Bibliography {
  loaded ??= parseBibliography(readFileSync(join(process.cwd(), BIB_FILE), 'utf8'));
  return loaded;
}

/** Author-year order: the first author's surname as printed, then the year, then the title. */
function compareReferences(a: Reference, b: Reference): number {
  const collate = (x: string, y: string) => x.localeCompare(y, 'en', { sensitivity: 'base' });
  return collate(a.firstSurname, b.firstSurname) || collate(a.year, b.year) || collate(a.title, b.title);
}

/**
 * The keys an MDX source cites with <Cite id="a,b" …>, each once, in order of first use.
 * Comments ({/* … *\/}), fenced code and inline code are skipped: a <Cite> there renders nothing.
 */
export function citedKeys(mdx: string): string[] {
  const source = mdx
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, '')
    .replace(/^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[`~]*[ \t]*$/gm, '')
    .replace(/(`+)[^`\n][\s\S]*?\1/g, '');
  const keys = new Set<string>();
  // A tag's attributes: name="…", name='…', name={…} or a bare name (`narrative`).
  for (const tag of source.matchAll(/<Cite((?:\s+[\w-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{[^}]*\}))?)*)\s*\/?>/g)) {
    const id = /(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*["'`]([^"'`]*)["'`]\s*\})/.exec(tag[1]!);
    for (const key of splitKeys(id?.[1] ?? id?.[2] ?? id?.[3] ?? '')) keys.add(key);
  }
  return [...keys];
}

/** "a, b ,c" → ["a", "b", "c"]. */
function splitKeys(ids: string): string[] {
  return [...new Set(ids.split(',').map((k) => k.trim()).filter(Boolean))];
}

/**
 * The entries an MDX source cites, in author-year order, for its reference list. Throws on an
 * unknown key, naming the key and `file`.
 */
export function referencesOf(mdx: string, file: string, bib: Bibliography = bibliography()): Reference[] {
  return citedKeys(mdx)
    .map((key) => bib.get(key, file))
    .sort(compareReferences);
}

/** A linked label of a citation, or the text between labels. */
export type CitationToken = string | { readonly key: string; readonly text: string };

export interface CitationOptions {
  /** "Burda et al. (2016)" in running text, instead of "(Burda et al., 2016)". */
  readonly narrative?: boolean | undefined;
  /** A pinpoint after the last label: "ch. 2", "p. 12", "eq. 7". */
  readonly note?: string | undefined;
}

/**
 * The text of <Cite id="a,b" narrative? note?>, as tokens: strings are plain text, objects are
 * labels that link to their entry.
 *   (Kingma & Welling, 2014; Rezende et al., 2014)     parenthetical, several keys
 *   (Kingma & Welling, 2019, ch. 2)                     with a note
 *   Burda et al. (2016)                                 narrative
 *   Kingma and Welling (2014) and Rezende et al. (2014) narrative, several keys
 */
export function citation(ids: string, options: CitationOptions, usedIn: string, bib: Bibliography = bibliography()): CitationToken[] {
  const keys = splitKeys(ids);
  if (keys.length === 0) throw new Error(`${usedIn}: <Cite> needs id="key" (or several keys separated by commas) from ${BIB_FILE}.`);
  const refs = keys.map((key) => bib.get(key, usedIn));
  const note = options.note?.trim() ? `, ${options.note.trim()}` : '';
  if (options.narrative) {
    return refs.flatMap((r, i) => {
      const label = { key: r.key, text: `${r.authorsNarrative} (${r.year}${i === refs.length - 1 ? note : ''})` };
      if (i === 0) return [label];
      return [i === refs.length - 1 ? ' and ' : ', ', label];
    });
  }
  return ['(', ...refs.flatMap((r, i) => (i === 0 ? [{ key: r.key, text: r.label }] : ['; ', { key: r.key, text: r.label }])), `${note})`];
}

/** The tokens as the reader sees them. */
export function citationText(tokens: readonly CitationToken[]): string {
  return tokens.map((t) => (typeof t === 'string' ? t : t.text)).join('');
}
