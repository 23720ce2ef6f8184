/**
 * The words and numbers of a sample grid's class readout: how many of the drawn codes each class
 * labels (by the nearest test code, src/vae/class-shares.ts), as a compact line, percentages and
 * bar heights. Pure functions, so Node tests them and the build and the page print the same.
 */

/** A share as a whole percentage: 0.388 → "39". */
export function percent(share: number): string {
  return String(Math.round(100 * share));
}

/**
 * The classes that occur, in class order, as "0 ×9 · 1 ×2 · 6 ×4"; "none" for no codes.
 * `names` are the classes' names (the digits, or a dataset's own).
 */
export function countsLine(counts: readonly number[], names: readonly string[], separator = ' · '): string {
  const parts = counts.flatMap((n, c) => (n > 0 ? [`${names[c] ?? c} ×${n}`] : []));
  return parts.length > 0 ? parts.join(separator) : 'none';
}

/** What a screen reader hears after each draw: "The 36 codes by nearest test code: 0 ×9, 1 ×2, …". */
export function countsSentence(counts: readonly number[], names: readonly string[]): string {
  const total = counts.reduce((s, n) => s + n, 0);
  return `The ${total} codes by the class of the nearest test code: ${countsLine(counts, names, ', ')}.`;
}

/** Numbers for a data-attribute: "9,2,0,…". */
export function listAttribute(values: readonly number[]): string {
  return values.join(',');
}

/** The inverse of listAttribute. */
export function parseList(text: string | null | undefined): number[] {
  return text ? text.split(',').map(Number) : [];
}

/**
 * The top of each class's bar and tick in a box `height` units tall (SVG's y runs down): a share
 * s stands s / top · height high, with `top` the largest share shown, so the tallest mark fills
 * the box.
 */
export function barTops(shares: readonly number[], ticks: readonly number[], height: number): { bars: number[]; ticks: number[] } {
  const top = Math.max(...shares, ...ticks, 1e-9);
  const y = (s: number) => height * (1 - s / top);
  return { bars: shares.map(y), ticks: ticks.map(y) };
}
