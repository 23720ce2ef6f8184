/**
 * Figure state that is worth sharing lives in the page's URL query, so a link reproduces what
 * the reader sees: `?mnist-conv-z2.z=0.5,-1.2&mnist-cvae-z2.digit=7`. Each figure owns the keys
 * that start with its own prefix. Values are checked: one out of range is clamped or ignored,
 * and the figure says so instead of failing.
 */

/** The raw value of `prefix.name` in the current URL, if any. */
export function readParam(prefix: string, name: string): string | undefined {
  return new URLSearchParams(location.search).get(`${prefix}.${name}`) ?? undefined;
}

/** Sets (or, with undefined, removes) `prefix.name` in the URL without reloading or adding history. */
export function writeParam(prefix: string, name: string, value: string | undefined): void {
  const url = new URL(location.href);
  if (value === undefined) url.searchParams.delete(`${prefix}.${name}`);
  else url.searchParams.set(`${prefix}.${name}`, value);
  history.replaceState(history.state, '', url);
}

export interface Parsed<T> {
  value: T;
  /** Why the URL's value was changed or ignored, in words for the reader; undefined when it was fine. */
  note?: string;
}

/** A point "x,y" within [−range, range]²: clamped into it, or the fallback when unreadable. */
export function parsePoint(raw: string | undefined, range: number, fallback: [number, number]): Parsed<[number, number]> {
  if (raw === undefined) return { value: fallback };
  const parts = raw.split(',').map(Number);
  if (parts.length !== 2 || !parts.every(Number.isFinite)) return { value: fallback, note: `The link's point "${raw}" is not two numbers, so the figure starts at the origin.` };
  const clamp = (v: number) => Math.min(range, Math.max(-range, v));
  const value: [number, number] = [clamp(parts[0]!), clamp(parts[1]!)];
  if (value[0] !== parts[0] || value[1] !== parts[1]) return { value, note: `The link's point (${raw}) lies outside the plane shown, [−${range}, ${range}]², so the figure starts at the nearest point inside it.` };
  return { value };
}

/** A whole number in [min, max], or the fallback (with a note) when the URL's value is not one. */
export function parseWhole(raw: string | undefined, min: number, max: number, fallback: number, what: string): Parsed<number> {
  if (raw === undefined) return { value: fallback };
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) return { value: fallback, note: `The link asks for ${what} "${raw}", but it must be a whole number from ${min} to ${max}; showing ${fallback}.` };
  return { value: n };
}

/** A number clamped into [min, max] (with a note when it had to move), or the fallback (with a note) when the URL's value is not a number. */
export function parseClamped(raw: string | undefined, min: number, max: number, fallback: number, what: string): Parsed<number> {
  if (raw === undefined) return { value: fallback };
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) return { value: fallback, note: `The link's ${what} "${raw}" is not a number; showing ${fallback}.` };
  const value = Math.min(max, Math.max(min, n));
  if (value !== n) return { value, note: `The link asks for ${what} = ${raw}, outside ${min} to ${max}; showing ${value}.` };
  return { value };
}

/** One of a few named options, or the fallback (with a note listing them) for any other value. */
export function parseChoice<T extends string>(raw: string | undefined, choices: readonly T[], fallback: T, what: string): Parsed<T> {
  if (raw === undefined) return { value: fallback };
  const value = choices.find((c) => c === raw);
  if (value === undefined) return { value: fallback, note: `The link asks for ${what} "${raw}", which is not one of ${choices.join(', ')}; showing ${fallback}.` };
  return { value };
}

/**
 * A number on the grid min, min + step, …, max: a value off the grid or outside [min, max] is
 * moved to the nearest grid point inside, and one that is not a number gives the fallback; both
 * with a note.
 */
export function parseStepped(raw: string | undefined, min: number, max: number, step: number, fallback: number, what: string): Parsed<number> {
  if (raw === undefined) return { value: fallback };
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) return { value: fallback, note: `The link asks for ${what} "${raw}", which is not a number; showing ${fallback}.` };
  const clamped = Math.min(max, Math.max(min, n));
  // Rounded to 10 decimals, so 0.1 · 3 reads 0.3.
  const value = Number((min + Math.round((clamped - min) / step) * step).toFixed(10));
  if (clamped !== n) return { value, note: `The link asks for ${what} ${raw}, outside ${min} to ${max}; showing ${value}.` };
  if (value !== n) return { value, note: `The link asks for ${what} ${raw}, between the steps of ${step}; showing ${value}.` };
  return { value };
}

/**
 * One of `options` (positive numbers, ascending): a value outside them is clamped to the
 * nearest end, one between them goes to the nearest on a log scale; both with a note.
 */
export function parseNearest(raw: string | undefined, options: readonly number[], fallback: number, what: string): Parsed<number> {
  if (raw === undefined) return { value: fallback };
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) return { value: fallback, note: `The link's ${what} "${raw}" is not a number; using ${fallback}.` };
  if (options.includes(n)) return { value: n };
  const lo = options[0]!;
  const hi = options[options.length - 1]!;
  if (n < lo || n > hi) {
    const value = n < lo ? lo : hi;
    return { value, note: `The link's ${what} ${raw} is outside the panel's range, ${lo} to ${hi}; clamped to ${value}.` };
  }
  const value = options.reduce((best, o) => (Math.abs(Math.log(o / n)) < Math.abs(Math.log(best / n)) ? o : best));
  return { value, note: `The link's ${what} ${raw} is not one of the panel's values; using the nearest, ${value}.` };
}
