/**
 * <site-search>: the search box in every page's header (src/layouts/SiteSearch.astro holds its markup).
 *
 * A page loads this module when its search box first takes the focus (src/layouts/SiteSearch.astro). The
 * first search then loads Pagefind's module (pagefind.js, with its wasm and index files, written
 * into dist/pagefind/ by scripts/search-index.ts after `astro build`) by a dynamic import of an
 * address built at run time: the bundler never sees the file, which exists only in a built site.
 * Where it is missing (in `npm run dev`, or a build that skipped the index) the box says so.
 *
 * Keyboard: type to search; Enter opens the first result; ↓ and ↑ move through the result links
 * and back to the box; Escape closes the results (a second Escape empties the box).
 */
import { answersQuery, bundleUrl, excerptParts, resultSummary, sectionsOf, unescapeHtml, type PagefindApi, type PagefindPage } from './search-results';

/** Pages listed at most; each with at most SECTIONS links to its sections. */
const PAGES = 8;
const SECTIONS = 3;
/** How long typing must pause before a search runs, in ms. */
const WAIT_MS = 120;

const MISSING = import.meta.env.DEV
  ? 'Search works in the built site (npm run build, npm run preview).'
  : 'Search is not available here: this copy of the site was built without its search index.';

class SiteSearch extends HTMLElement {
  #input!: HTMLInputElement;
  #panel!: HTMLElement;
  #status!: HTMLElement;
  #list!: HTMLOListElement;
  #pagefind: Promise<PagefindApi | undefined> | undefined;
  /** Counts searches, so that a slow answer to an old query never replaces a newer one. */
  #seq = 0;

  connectedCallback(): void {
    this.#input = this.querySelector('input')!;
    this.#panel = this.querySelector('.search-panel')!;
    this.#status = this.querySelector('.search-status')!;
    this.#list = this.querySelector('.search-results')!;
    // Focus shows the results of what the box holds again (Pagefind keeps them: no new fetch).
    // Pagefind itself loads with the first search, so a reader who only tabs past loads nothing more.
    const resume = () => {
      if (this.#input.value.trim() && this.#panel.hidden) void this.#search(this.#input.value);
    };
    this.#input.addEventListener('focus', resume);
    this.#input.addEventListener('input', () => void this.#search(this.#input.value));
    this.querySelector('form')!.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#links()[0]?.click();
    });
    this.addEventListener('keydown', (e) => this.#key(e));
    this.addEventListener('focusout', (e) => {
      if (!(e.relatedTarget instanceof Node && this.contains(e.relatedTarget))) this.#close();
    });
    this.#list.addEventListener('click', (e) => {
      if (e.target instanceof Element && e.target.closest('a')) this.#close();
    });
    document.addEventListener('pointerdown', (e) => {
      if (!(e.target instanceof Node && this.contains(e.target))) this.#close();
    });
    // This module loads on the box's first focus (SiteSearch.astro), perhaps after some typing.
    if (document.activeElement === this.#input) resume();
  }

  /** Pagefind's module, imported and set up once; undefined where the site has no index. */
  #load(): Promise<PagefindApi | undefined> {
    this.#pagefind ??= (async () => {
      try {
        const pagefind = (await import(/* @vite-ignore */ bundleUrl(import.meta.env.BASE_URL))) as PagefindApi;
        await pagefind.options({ baseUrl: import.meta.env.BASE_URL, excerptLength: 24 });
        return pagefind;
      } catch {
        return undefined;
      }
    })();
    return this.#pagefind;
  }

  async #search(term: string): Promise<void> {
    const seq = ++this.#seq;
    const query = term.trim();
    if (!query) {
      this.#show('', []);
      this.#close();
      return;
    }
    this.#open();
    if (!this.#list.childElementCount) this.#status.textContent = 'Searching…';
    const pagefind = await this.#load();
    if (seq !== this.#seq) return;
    if (!pagefind) {
      this.#show(MISSING, []);
      return;
    }
    try {
      const found = await pagefind.debouncedSearch(query, {}, WAIT_MS);
      if (!found || seq !== this.#seq) return;
      const pages = await Promise.all(found.results.slice(0, PAGES).map((r) => r.data()));
      if (seq !== this.#seq) return;
      // Hits on a stump of the query only (see answersQuery) are no answer.
      const answered = pages.some((p) => answersQuery(query, [p.excerpt, ...(p.sub_results ?? []).map((s) => s.excerpt)]));
      if (answered) this.#show(resultSummary(query, found.results.length, pages.length), pages);
      else this.#show(resultSummary(query, 0, 0), []);
    } catch (err) {
      if (seq === this.#seq) this.#show(`The search failed: ${err instanceof Error ? err.message : String(err)}`, []);
    }
  }

  #show(status: string, pages: PagefindPage[]): void {
    this.#status.textContent = status;
    this.#list.replaceChildren(
      ...pages.map((page) => {
        const item = document.createElement('li');
        const sections = sectionsOf(page, SECTIONS);
        item.append(link(page.url, page.meta.title || page.url, 'search-page'));
        // The page's excerpt, unless it is the excerpt of a section listed under it.
        if (!sections.some((s) => s.excerpt === page.excerpt)) item.append(excerpt(page.excerpt));
        if (sections.length) {
          const list = document.createElement('ul');
          list.className = 'search-sections';
          for (const s of sections) {
            const li = document.createElement('li');
            li.append(link(s.url, s.title, 'search-section'), excerpt(s.excerpt));
            list.append(li);
          }
          item.append(list);
        }
        return item;
      }),
    );
  }

  #open(): void {
    this.#panel.hidden = false;
  }

  #close(): void {
    this.#panel.hidden = true;
  }

  #links(): HTMLAnchorElement[] {
    return [...this.#list.querySelectorAll('a')];
  }

  #key(e: KeyboardEvent): void {
    const links = this.#links();
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (e.key === 'Escape') {
      if (!this.#panel.hidden) this.#close();
      else if (e.target === this.#input && this.#input.value) void this.#search((this.#input.value = ''));
      else return;
      e.preventDefault();
      this.#input.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (this.#panel.hidden || !links.length || (e.target !== this.#input && at < 0)) return;
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? Math.min(at + 1, links.length - 1) : at - 1;
      if (next < 0) this.#input.focus();
      else links[next]!.focus();
    }
  }
}

function link(href: string, title: string, className: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.className = className;
  a.textContent = unescapeHtml(title);
  return a;
}

function excerpt(html: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = 'search-excerpt';
  for (const part of excerptParts(html)) {
    if (!part.hit) p.append(part.text);
    else {
      const mark = document.createElement('mark');
      mark.textContent = part.text;
      p.append(mark);
    }
  }
  return p;
}

customElements.define('site-search', SiteSearch);
