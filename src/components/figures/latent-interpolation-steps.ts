/**
 * The arithmetic of `<latent-interpolation>` that needs no page: steps and t, the step under a
 * pointer on a strip, the marks on the strips, the code at a step of either path, which end a
 * drag in the plane takes, the test images of each class to step through, and the pair and t of
 * a shared link. Plain functions, so Node can test them.
 */
import { pathCodes, type PathKind } from '../../vae/interpolate.ts';
import { parseStepped, type Parsed } from '../lib/page/url-state.ts';

export type End = 'a' | 'b';
export const ENDS: readonly End[] = ['a', 'b'];
export const END_NAME: Record<End, string> = { a: 'A', b: 'B' };

/** t of step k of `steps`, t = 0, 1/(steps − 1), …, 1. */
export function tOfStep(k: number, steps: number): number {
  return k / (steps - 1);
}

/** The step nearest t. */
export function stepOfT(t: number, steps: number): number {
  return Math.round(t * (steps - 1));
}

/** t as the URL, the slider's spoken value and `data-t` give it: at most four decimals, no trailing zeros. */
export function tText(t: number): string {
  return String(Number(t.toFixed(4)));
}

/** The step of the digit under a pointer a `fraction` of the way across a strip of `steps` digits. */
export function stepAtFraction(fraction: number, steps: number): number {
  return Math.min(steps - 1, Math.max(0, Math.floor(fraction * steps)));
}

/** Where the mark over digit k of a strip of `steps` digits sits: its left edge and width, in % of the strip. */
export function markPlace(k: number, steps: number): { left: number; width: number } {
  return { left: (100 * k) / steps, width: 100 / steps };
}

/** The code at step k of `steps` along one path from a to b. */
export function codeAt(kind: PathKind, a: ArrayLike<number>, b: ArrayLike<number>, steps: number, k: number): Float32Array {
  const d = a.length;
  return pathCodes(kind, a, b, steps).slice(d * k, d * (k + 1));
}

/** The end whose code lies nearer (x, y); A on a tie. */
export function nearerEnd(za: ArrayLike<number>, zb: ArrayLike<number>, x: number, y: number): End {
  const distance = (z: ArrayLike<number>) => Math.hypot(z[0]! - x, z[1]! - y);
  return distance(za) <= distance(zb) ? 'a' : 'b';
}

/** The indices of the test images of each class 0 … classes − 1, ascending. */
export function classLists(labels: ArrayLike<number>, classes = 10): number[][] {
  const lists: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) lists[labels[i]!]?.push(i);
  return lists;
}

/** The test image `by` places after `current` in its class's list, wrapping round at either end. */
export function stepInClass(list: readonly number[], current: number, by: number): number {
  const at = list.indexOf(current);
  return list[(((at + by) % list.length) + list.length) % list.length]!;
}

/** The pair and the step a shared link asks for, with a note for each value that was moved. */
export interface LinkState {
  pick: Record<End, number>;
  step: number;
  notes: string[];
}

/**
 * Reads `a`, `b` and `t` through `read` (the URL's raw values): images out of 0 … last and t out
 * of [0, 1] or off the strip's steps are moved to the nearest allowed value, unreadable ones give
 * the defaults; each change comes with a note.
 */
export function linkState(read: (name: string) => string | undefined, last: number, steps: number, defaults: { a: number; b: number; t: number }): LinkState {
  const notes: string[] = [];
  const take = (parsed: Parsed<number>) => {
    if (parsed.note) notes.push(parsed.note);
    return parsed.value;
  };
  const pick = {} as Record<End, number>;
  for (const end of ENDS) pick[end] = take(parseStepped(read(end), 0, last, 1, defaults[end], `test image ${END_NAME[end]}`));
  const t = take(parseStepped(read('t'), 0, 1, 1 / (steps - 1), defaults.t, 't'));
  return { pick, step: stepOfT(t, steps), notes };
}
