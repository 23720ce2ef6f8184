/**
 * The pure parts of the site search (site-search.ts): where Pagefind's bundle lies under the base
 * path, the few of Pagefind's types the search box reads, and how one result becomes what the box
 * shows (an excerpt's text with its hits marked, the sections worth a link of their own).
 */

/** What the search box uses of Pagefind's browser API (pagefind.js, written by scripts/search-index.ts). */
export interface PagefindApi {
  options(options: { baseUrl?: string; excerptLength?: number }): Promise<void>;
  init(): Promise<void>;
  /** Resolves to null when a later call superseded this one before its wait ran out. */
  debouncedSearch(term: string, options?: object, waitMs?: number): Promise<PagefindSearch | null>;
}

interface PagefindSearch {
  results: { id: string; data(): Promise<PagefindPage> }[];
}

export interface PagefindSection {
  title: string;
  /** The page's address with the section's #id (or without one, for text above the first heading). */
  url: string;
  /** Plain text, HTML-escaped by Pagefind, with each hit in <mark>…</mark>. */
  excerpt: string;
  locations: number[];
  anchor?: { element: string; id: string; location: number };
}

export interface PagefindPage {
  url: string;
  excerpt: string;
  meta: { title?: string };
  sub_results?: PagefindSection[];
}

/** The address of Pagefind's module for a site served under `base` (import.meta.env.BASE_URL). */
export function bundleUrl(base: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}pagefind/pagefind.js`;
}

export interface ExcerptPart {
  text: string;
  /** A hit of the query: shown in <mark>. */
  hit: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The text of HTML-escaped text: named entities Pagefind writes and numeric ones. */
export function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * An excerpt as runs of text, the hits apart, so that the page builds it from text nodes and
 * <mark> elements: no HTML from the index reaches innerHTML. Any other tag is dropped. Pagefind
 * marks a whole word with the punctuation around it ("posterior."); the stops and quotes go back
 * to the text around the hit.
 */
export function excerptParts(excerpt: string): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  const add = (text: string, hit: boolean) => {
    if (!text) return;
    const last = parts.at(-1);
    if (last && last.hit === hit) last.text += text;
    else parts.push({ text, hit });
  };
  let hit = false;
  for (const piece of excerpt.split(/(<\/?mark>)/)) {
    if (piece === '<mark>') hit = true;
    else if (piece === '</mark>') hit = false;
    else {
      const text = unescapeHtml(piece.replace(/<[^>]*>/g, ''));
      const edges = hit ? /^(["'“‘]*)(.*?)([.,;:!?"'”’]*)$/su.exec(text) : null;
      if (edges && edges[2]) {
        add(edges[1]!, false);
        add(edges[2], true);
        add(edges[3]!, false);
      } else add(text, hit);
    }
  }
  return parts;
}

/**
 * The sections of a page to link to: those with a heading of their own (an #id in the address),
 * at most `max`, the ones with the most hits first; shown in the page's order.
 */
export function sectionsOf(page: PagefindPage, max = 3): PagefindSection[] {
  const sections = (page.sub_results ?? []).filter((s) => s.anchor && s.url.includes('#'));
  const chosen = [...sections].sort((a, b) => b.locations.length - a.locations.length).slice(0, max);
  return sections.filter((s) => chosen.includes(s));
}

/** A word as the comparison below sees it: lower case, letters and digits only. */
const plain = (word: string) => word.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Whether a result's hits (the <mark>ed words of its excerpts) answer the query, or only a
 * stump of it. Where a query word matches nothing, Pagefind drops letters from its end until some
 * word of the index starts with what is left: "xylophone" finds every "x" of the guide's maths.
 * A query word counts as found when a hit shares its first letters: all of them (a word typed in
 * part, "reparam"), or at least three fifths and three letters (another form of the word, the
 * "model" that "models" finds).
 */
export function answersQuery(query: string, excerpts: string[]): boolean {
  const terms = query.split(/\s+/).map(plain).filter(Boolean);
  const hits = excerpts.flatMap((e) => [...e.matchAll(/<mark>(.*?)<\/mark>/g)].flatMap((m) => unescapeHtml(m[1]!).split(/\s+/)).map(plain)).filter(Boolean);
  const shared = (a: string, b: string) => {
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  };
  return terms.some((t) => hits.some((h) => shared(t, h) >= Math.min(t.length, Math.max(3, Math.ceil(0.6 * t.length)))));
}

/** What the box says about a search that found `total` pages and shows `shown` of them. */
export function resultSummary(query: string, total: number, shown: number): string {
  if (total === 0) return `No pages found for “${query}”.`;
  const found = `${total} ${total === 1 ? 'page' : 'pages'} found for “${query}”`;
  return shown < total ? `${found}; the ${shown} best shown.` : `${found}.`;
}
