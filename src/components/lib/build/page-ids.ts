/**
 * Element ids unique within one built page, for components that appear many times on it
 * (a <Cite> of the same key twice needs two cards). Counted per page render, keyed by the
 * page's Request, so the ids of a page do not depend on which pages were built before it.
 * Build time only.
 */
const counts = new WeakMap<object, Map<string, number>>();

/** `prefix` the first time on this page, then `prefix-2`, `prefix-3`, … */
export function pageUniqueId(page: object, prefix: string): string {
  const seen = counts.get(page) ?? new Map<string, number>();
  counts.set(page, seen);
  const n = (seen.get(prefix) ?? 0) + 1;
  seen.set(prefix, n);
  return n === 1 ? prefix : `${prefix}-${n}`;
}
