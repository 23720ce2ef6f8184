/**
 * The drawing pad's words, without the page: a model's code as the panel shows it, where that
 * code landed among the test codes, and what is on the pad, for its label.
 */
import { neighbourClasses, type Neighbour } from '../../vae/code-neighbours.ts';

/** How many of the nearest test codes say where a code landed. */
export const NEIGHBOURS = 25;

/** What the near line adds when the code falls outside the plotted square. */
export const OUTSIDE = ' The code lies outside the plotted square; the ring waits at its edge.';

/** A number to two decimals, with a true minus sign. */
export function num(v: number): string {
  return v.toFixed(2).replace('-', '−');
}

/** A 2-D value as "(a, b)". */
export function pair(v: ArrayLike<number>): string {
  return `(${num(v[0]!)}, ${num(v[1]!)})`;
}

/** The parts of a model's code line: "z = (…)" for a plain autoencoder, "μ = (…)" and "σ = (…)" for a VAE. */
export function codeParts(kind: string, mu: ArrayLike<number>, sigma: ArrayLike<number> | null): string[] {
  return [`${kind === 'ae' ? 'z' : 'μ'} = ${pair(mu)}`, ...(sigma ? [`σ = ${pair(sigma)}`] : [])];
}

/**
 * Which classes the nearest test codes belong to: "Nearest test codes: 7s (21 of 25).", or the
 * two leading classes when neither holds a majority, after a warning when even the nearest is
 * far: more than a tenth of `half`, the plotted square's half-width, next to which the test
 * codes' spacing is small.
 */
export function nearSentence(neighbours: readonly Neighbour[], classes: readonly string[], half: number): string {
  const k = neighbours.length;
  const [first, second] = neighbourClasses(neighbours) as [{ label: number; n: number }, { label: number; n: number }];
  const name = (label: number) => `${classes[label] ?? label}s`;
  const among =
    2 * first.n > k
      ? `Nearest test codes: ${name(first.label)} (${first.n} of ${k}).`
      : `Nearest test codes: ${name(first.label)} and ${name(second.label)} (${first.n} and ${second.n} of ${k}).`;
  const nearest = neighbours[0]!.distance;
  return nearest > 0.1 * half ? `Far from every test code (the nearest is ${num(nearest)} away). ${among}` : among;
}
