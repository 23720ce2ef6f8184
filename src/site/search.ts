/**
 * Which pages the site search covers. Pagefind (scripts/search-index.ts, after `astro build`)
 * indexes only the pages whose <main> carries `data-pagefind-body`, and Base.astro puts it there
 * for the paths below: the chapters, the authoring guide, the notation, "Your own data" and each
 * model card. The figure catalogue (/figures/), the benchmark (/bench/), the home page's chapter
 * list, the models table and the list of corrections stay out: they repeat what the indexed pages
 * say, or hold no prose to find.
 */
const SEARCHED: readonly RegExp[] = [/^\/chapters\/[^/]+\/$/, /^\/guide\/$/, /^\/notation\/$/, /^\/your-data\/$/, /^\/models\/[^/]+\/$/];

/**
 * Whether the page at `pathname` (as the browser sees it, under the base path `base`, e.g.
 * "/latent-lab/chapters/elbo/" with base "/latent-lab/") is one that the search indexes.
 */
export function isSearchedPage(pathname: string, base: string): boolean {
  const root = base.endsWith('/') ? base : `${base}/`;
  if (!pathname.startsWith(root) && `${pathname}/` !== root) return false;
  const path = `/${pathname.slice(root.length)}`.replace(/\/?$/, '/').replace(/\/index\.html\/$/, '/');
  return SEARCHED.some((re) => re.test(path));
}
