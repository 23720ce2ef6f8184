/**
 * Which class a 2-D latent code belongs to, and how often each class turns up among many codes:
 * each code takes the label of the nearest test code (the test images' posterior means, from a
 * model's test-latents.bin). Plain arithmetic, no TF.js, so the figures and the build can use it.
 *
 * The nearest test code's class stands in for "which digit the decoder draws there". It is a
 * proxy, not a classifier of the decoded image: it is good where the classes form regions of
 * their own, as in a 2-D VAE's plane, but a code between two regions gets the nearer one's class
 * even where the decoder draws a blend of both, and a code far from every test code (outside the
 * cloud) gets the class of the cloud's nearest edge, whatever the decoder extrapolates there.
 *
 * Finding the nearest of N test codes for each of M codes by brute force takes M·N distances
 * (10⁸ for 10,000 of each). A uniform grid of buckets over the test codes' bounding box, about
 * two codes per bucket, cuts that to a few dozen per code: search the bucket of the code, then
 * rings of buckets around it, until the nearest code found is closer than any bucket not yet
 * searched can be.
 */

import { boxCodes, codeBox, priorCodes } from './code-draws.ts';

/** Codes with their class labels: row-major [count, 2] values, as decodeLatents returns them. */
export interface LabelledCodes {
  count: number;
  mu: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** How many codes per bucket on average; 1 to 4 are all about as fast. */
const PER_BUCKET = 2;

/** The nearest-neighbour index of a set of 2-D reference codes. */
export interface NearestCodes {
  count: number;
  /** The index of the reference code nearest to (x, y); ties go to the smallest index. */
  nearest(x: number, y: number): number;
}

/**
 * Builds the bucket grid over `count` 2-D codes (row-major [count, 2]). Every code must be
 * finite, and there must be at least one.
 */
export function nearestCodes(mu: ArrayLike<number>, count: number): NearestCodes {
  if (!(Number.isInteger(count) && count >= 1)) throw new Error(`Expected at least one reference code, got ${count}`);
  if (mu.length !== 2 * count) throw new Error(`Expected ${2 * count} values for ${count} 2-D codes, got ${mu.length}`);
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    const x = mu[2 * i]!;
    const y = mu[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`Reference code ${i} is not finite: (${x}, ${y})`);
    xs[i] = x;
    ys[i] = y;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  // Square buckets of side w, n × m of them, covering the box (a box of zero width gets one column).
  const side = Math.max(x1 - x0, y1 - y0);
  const w = side > 0 ? Math.sqrt(((x1 - x0 || side) * (y1 - y0 || side)) / Math.max(1, count / PER_BUCKET)) : 1;
  const n = Math.min(1024, Math.max(1, Math.ceil((x1 - x0) / w)));
  const m = Math.min(1024, Math.max(1, Math.ceil((y1 - y0) / w)));
  const wx = (x1 - x0) / n || 1;
  const wy = (y1 - y0) / m || 1;
  const column = (x: number) => Math.min(n - 1, Math.max(0, Math.floor((x - x0) / wx)));
  const row = (y: number) => Math.min(m - 1, Math.max(0, Math.floor((y - y0) / wy)));
  // Counting sort by bucket; within a bucket the codes keep their order, smallest index first.
  const start = new Int32Array(n * m + 1);
  const bucketOf = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    bucketOf[i] = row(ys[i]!) * n + column(xs[i]!);
    start[bucketOf[i]! + 1]!++;
  }
  for (let b = 0; b < n * m; b++) start[b + 1]! += start[b]!;
  const items = new Int32Array(count);
  const fill = start.slice(0, n * m);
  for (let i = 0; i < count; i++) items[fill[bucketOf[i]!]!++] = i;
  // A point can sit a rounding error outside its bucket's edges; shrink the bounds by this much.
  const slack = 1e-9 * Math.max(wx, wy, Math.abs(x0), Math.abs(x1), Math.abs(y0), Math.abs(y1));

  // The search's state, kept outside the loops so no closure is made per query.
  let qx = 0;
  let qy = 0;
  let best = -1;
  let bestD = Infinity;
  const visit = (c: number, r: number): void => {
    const b = r * n + c;
    for (let k = start[b]!, end = start[b + 1]!; k < end; k++) {
      const i = items[k]!;
      const dx = qx - xs[i]!;
      const dy = qy - ys[i]!;
      const d = dx * dx + dy * dy;
      if (d < bestD || (d === bestD && i < best)) {
        bestD = d;
        best = i;
      }
    }
  };

  const nearest = (x: number, y: number): number => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`Cannot label a code that is not finite: (${x}, ${y})`);
    const cx = column(x);
    const cy = row(y);
    qx = x;
    qy = y;
    best = -1;
    bestD = Infinity;
    for (let ring = 0; ; ring++) {
      const c0 = cx - ring;
      const c1 = cx + ring;
      const r0 = cy - ring;
      const r1 = cy + ring;
      for (let c = Math.max(0, c0); c <= Math.min(n - 1, c1); c++) {
        if (r0 >= 0) visit(c, r0);
        if (r1 < m && r1 !== r0) visit(c, r1);
      }
      for (let r = Math.max(0, r0 + 1); r <= Math.min(m - 1, r1 - 1); r++) {
        if (c0 >= 0) visit(c0, r);
        if (c1 < n && c1 !== c0) visit(c1, r);
      }
      // Any bucket outside the searched square lies beyond one of its edges that has buckets past
      // it; the nearest such edge bounds the distance to every code not yet seen.
      let bound = Infinity;
      if (c0 > 0) bound = Math.min(bound, x - (x0 + c0 * wx));
      if (c1 < n - 1) bound = Math.min(bound, x0 + (c1 + 1) * wx - x);
      if (r0 > 0) bound = Math.min(bound, y - (y0 + r0 * wy));
      if (r1 < m - 1) bound = Math.min(bound, y0 + (r1 + 1) * wy - y);
      if (bound === Infinity) return best;
      bound -= slack;
      if (best >= 0 && bound > 0 && bound * bound > bestD) return best;
    }
  };
  return { count, nearest };
}

/** Labels codes by the class of their nearest test code, reusing one index for many calls. */
export interface ClassLabeller {
  /** The class of the nearest test code for each code (row-major [n, 2]); empty for no codes. */
  classesOf(codes: ArrayLike<number>): Uint8Array;
}

export function classLabeller(test: LabelledCodes): ClassLabeller {
  if (test.labels.length !== test.count) throw new Error(`Expected ${test.count} labels, got ${test.labels.length}`);
  const index = nearestCodes(test.mu, test.count);
  return {
    classesOf(codes) {
      if (codes.length % 2 !== 0) throw new Error(`Expected 2-D codes, an even number of values, got ${codes.length}`);
      const out = new Uint8Array(codes.length / 2);
      for (let q = 0; q < out.length; q++) out[q] = test.labels[index.nearest(codes[2 * q]!, codes[2 * q + 1]!)]!;
      return out;
    },
  };
}

/** How many of `labels` fall in each of `classes` classes (labels outside 0 … classes−1 are refused). */
export function classCounts(labels: ArrayLike<number>, classes = 10): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) throw new Error(`Label ${c} is not one of the ${classes} classes`);
    counts[c]!++;
  }
  return counts;
}

/** counts / total; all zeros when there is nothing to count. */
export function sharesOf(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** Where random codes come from: the prior N(0, I), or uniform over the test codes' bounding box. */
export type CodeSource = 'prior' | 'box';

/** The large sample whose class shares the figures and the prose quote: this many codes, this seed. */
export const SHARE_DRAWS = 10_000;
/** Far from the sample grids' seeds (1, 2, …), so the large sample is not a grid's draw again. */
export const SHARE_SEED = 10_001;

/** n codes from `from`, with the seeded generator; a box is the one `test`'s codes fill. */
export function drawCodes(from: CodeSource, test: LabelledCodes, n: number, seed: number): Float32Array {
  return from === 'prior' ? priorCodes(n, seed) : boxCodes(codeBox(test.mu, test.count), n, seed);
}

export interface DrawnShares {
  /** How many of the drawn codes each class labels. */
  counts: number[];
  /** counts / draws. */
  shares: number[];
}

/** The classes of `draws` codes from `from` (seeded), by the nearest of `test`'s codes. */
export function drawnClassShares(test: LabelledCodes, from: CodeSource, draws = SHARE_DRAWS, seed = SHARE_SEED, classes = 10): DrawnShares {
  const counts = classCounts(classLabeller(test).classesOf(drawCodes(from, test, draws, seed)), classes);
  return { counts, shares: sharesOf(counts) };
}
