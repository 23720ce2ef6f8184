/**
 * The k test codes nearest to one 2-D code, and how their classes fall: where a code landed
 * among the test images' codes, in words a reader can check against the scatter. One code
 * against 10,000 is a single pass that keeps the k best in order (class-shares.ts has an index
 * for labelling many codes at once).
 */
import { classCounts, type LabelledCodes } from './class-shares.ts';

export interface Neighbour {
  /** The test code's index. */
  index: number;
  /** Its Euclidean distance from the code. */
  distance: number;
  label: number;
}

/** The k test codes nearest to (x, y), nearest first; of equally near ones, the smaller index first. */
export function nearestNeighbours(codes: LabelledCodes, x: number, y: number, k: number): Neighbour[] {
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`Expected a whole number of neighbours, got ${k}`);
  // Squared distances while searching, kept sorted; a code no nearer than the k-th is skipped.
  const best: { d: number; index: number }[] = [];
  for (let i = 0; i < codes.count; i++) {
    const d = (codes.mu[2 * i]! - x) ** 2 + (codes.mu[2 * i + 1]! - y) ** 2;
    if (best.length === k && d >= best[k - 1]!.d) continue;
    let j = Math.min(best.length, k - 1);
    best[j] = { d, index: i };
    for (; j > 0 && best[j - 1]!.d > d; j--) [best[j - 1], best[j]] = [best[j]!, best[j - 1]!];
  }
  return best.map(({ d, index }) => ({ index, distance: Math.sqrt(d), label: codes.labels[index]! }));
}

/** The classes among `neighbours`, most frequent first (ties: the smaller class first), with their counts. */
export function neighbourClasses(neighbours: readonly Neighbour[], classes = 10): { label: number; n: number }[] {
  return classCounts(
    neighbours.map((nb) => nb.label),
    classes,
  )
    .map((n, label) => ({ label, n }))
    .sort((a, b) => b.n - a.n);
}
