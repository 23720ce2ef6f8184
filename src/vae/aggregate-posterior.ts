/**
 * The aggregate posterior of a 2-D VAE and how it differs from the prior. With N test images,
 *   q(z) = (1/N) Σᵢ q(z|xᵢ),   q(z|xᵢ) = N(μᵢ, diag σᵢ²),
 * a mixture of N Gaussians (Hoffman & Johnson 2016; Makhzani et al. 2016 call it the aggregated
 * posterior). Plain arithmetic, no TF.js, so the build, the page and the tests share it.
 *
 * - `cellMasses` integrates q(z) and p(z) = N(0, I) over each cell of a square grid exactly: a
 *   diagonal Gaussian's mass in a cell is the product of two differences of Φ, so no grid is
 *   too coarse for posteriors a few hundredths wide, and a cell holds its true share.
 * - `holes` marks the cells where the prior puts mass and q(z) puts much less: a code drawn from
 *   the prior lands there with probability `priorMassInHoles`, and the decoder was never
 *   trained on such codes.
 * - `rateDecomposition` splits the rate R = E_x KL(q(z|x) ‖ p(z)) into the mutual information
 *   I(x; z) of the encoder's joint q(x, z) = p_data(x) q(z|x) and the marginal KL(q(z) ‖ p(z)):
 *   R = I(x; z) + KL(q(z) ‖ p(z)). R is closed form; I is a Monte Carlo estimate, so KL(q ‖ p)
 *   is too. With p_data uniform over N images, I(x; z) ≤ H(x) = ln N.
 */
import { priorCodes } from './code-draws.ts';
import { normalCdf } from './normal.ts';
import { createRng, gaussian } from './random.ts';

/** Row-major [count, 2] posterior means and log-variances, as decodeLatents returns them. */
export interface Posteriors2d {
  count: number;
  mu: ArrayLike<number>;
  logVar: ArrayLike<number>;
}

/** A square grid of n × n cells over [lo, hi]², row 0 at the bottom (z₂ = lo). */
export interface CellGrid {
  lo: number;
  hi: number;
  n: number;
}

export interface CellMasses {
  grid: CellGrid;
  /** q(z)'s mass in each cell, row-major [n, n], row r covering z₂ ∈ [lo + r·w, lo + (r+1)·w]. */
  q: Float64Array;
  /** p(z)'s mass in each cell, likewise. */
  p: Float64Array;
}

/** The grid chapter 6's figure and its claims use: [−4, 4]², 96 cells a side (cells 1/12 wide). */
export const DEFAULT_GRID: CellGrid = { lo: -4, hi: 4, n: 96 };

/** Below this a Gaussian's mass in a column or row is not added. */
const NEGLIGIBLE = 1e-12;

/** The masses of N(m, s²) in the n intervals between edges lo, lo + w, …, hi, and the first and last index with any. */
function intervalMasses(m: number, s: number, grid: CellGrid, out: Float64Array): [number, number] {
  const w = (grid.hi - grid.lo) / grid.n;
  // Only the cells within 9 σ can hold more than 10⁻¹⁸.
  const first = Math.max(0, Math.floor((m - 9 * s - grid.lo) / w));
  const last = Math.min(grid.n - 1, Math.floor((m + 9 * s - grid.lo) / w));
  let below = normalCdf((grid.lo + first * w - m) / s);
  let [a, b] = [grid.n, -1];
  for (let k = first; k <= last; k++) {
    const above = normalCdf((grid.lo + (k + 1) * w - m) / s);
    out[k] = above - below;
    below = above;
    if (out[k]! > NEGLIGIBLE) {
      a = Math.min(a, k);
      b = k;
    }
  }
  return [a, b];
}

function checkGrid(grid: CellGrid): void {
  if (!(Number.isFinite(grid.lo) && Number.isFinite(grid.hi) && grid.hi > grid.lo)) throw new Error(`A grid needs lo < hi, got [${grid.lo}, ${grid.hi}]`);
  if (!(Number.isInteger(grid.n) && grid.n >= 1)) throw new Error(`A grid needs a whole number of cells, got ${grid.n}`);
}

/** Exact masses of q(z) and p(z) in every cell of `grid`. */
export function cellMasses(posteriors: Posteriors2d, grid: CellGrid): CellMasses {
  const sums = massSums(posteriors, grid);
  sums.add(0, posteriors.count);
  return sums.finish();
}

/**
 * `cellMasses` in slices of `slice` posteriors, awaiting `pause()` between slices: the same sums
 * in the same order, so the same masses to the last bit, while a page's main thread stays free
 * for the reader (10,000 posteriors take a quarter of a second in one piece).
 */
export async function cellMassesInSlices(posteriors: Posteriors2d, grid: CellGrid, pause: () => Promise<void>, slice = 1000): Promise<CellMasses> {
  if (!(Number.isInteger(slice) && slice >= 1)) throw new Error(`A slice needs a whole number of posteriors, got ${slice}`);
  const sums = massSums(posteriors, grid);
  for (let i = 0; i < posteriors.count; i += slice) {
    if (i > 0) await pause();
    sums.add(i, Math.min(posteriors.count, i + slice));
  }
  return sums.finish();
}

/** Running sums of q(z)'s cell masses: `add` posteriors [from, to), then `finish` adds the prior's. */
function massSums(posteriors: Posteriors2d, grid: CellGrid): { add(from: number, to: number): void; finish(): CellMasses } {
  checkGrid(grid);
  const { count, mu, logVar } = posteriors;
  if (!(count >= 1) || mu.length !== 2 * count || logVar.length !== 2 * count) throw new Error(`Expected ${2 * count} means and log-variances for ${count} 2-D posteriors`);
  const n = grid.n;
  const q = new Float64Array(n * n);
  const p = new Float64Array(n * n);
  const mx = new Float64Array(n);
  const my = new Float64Array(n);
  const gaussian2d = (target: Float64Array, m1: number, s1: number, m2: number, s2: number, weight: number) => {
    const [x0, x1] = intervalMasses(m1, s1, grid, mx);
    const [y0, y1] = intervalMasses(m2, s2, grid, my);
    for (let r = y0; r <= y1; r++) {
      const wy = weight * my[r]!;
      for (let c = x0; c <= x1; c++) target[r * n + c]! += wy * mx[c]!;
    }
  };
  return {
    add(from, to) {
      for (let i = from; i < to; i++) {
        const [m1, m2, v1, v2] = [mu[2 * i]!, mu[2 * i + 1]!, logVar[2 * i]!, logVar[2 * i + 1]!];
        if (![m1, m2, v1, v2].every(Number.isFinite)) throw new Error(`Posterior ${i} is not finite`);
        gaussian2d(q, m1, Math.exp(0.5 * v1), m2, Math.exp(0.5 * v2), 1 / count);
      }
    },
    finish() {
      gaussian2d(p, 0, 1, 0, 1, 1);
      return { grid, q, p };
    },
  };
}

export interface Holes {
  /** 1 where the cell is a hole, row-major as the masses. */
  mask: Uint8Array;
  /** The prior's mass in the holes: the chance that a code drawn from p(z) lands in one. */
  priorMassInHoles: number;
  /** q(z)'s mass in the same cells. */
  aggregateMassInHoles: number;
}

/** A hole: q(z) below this fraction of p(z)… */
export const HOLE_RATIO = 0.1;
/** …where p(z) is at least this fraction of its peak. */
export const HOLE_MIN_PRIOR = 0.01;

/**
 * The cells where q(z) < ratio · p(z) (their masses compared: the cells are equal in area), among
 * those where the prior's density is at least `minPrior` of its peak (so the far tails, where both
 * are negligible, are no hole).
 */
export function holes(masses: CellMasses, ratio = HOLE_RATIO, minPrior = HOLE_MIN_PRIOR): Holes {
  const { q, p } = masses;
  const peak = Math.max(...p);
  const mask = new Uint8Array(p.length);
  let priorMassInHoles = 0;
  let aggregateMassInHoles = 0;
  for (let k = 0; k < p.length; k++) {
    if (p[k]! >= minPrior * peak && q[k]! < ratio * p[k]!) {
      mask[k] = 1;
      priorMassInHoles += p[k]!;
      aggregateMassInHoles += q[k]!;
    }
  }
  return { mask, priorMassInHoles, aggregateMassInHoles };
}

/** The cell of `grid` that holds (z₁, z₂), row-major, or −1 outside the grid. */
export function cellOf(grid: CellGrid, z1: number, z2: number): number {
  const w = (grid.hi - grid.lo) / grid.n;
  const c = Math.floor((z1 - grid.lo) / w);
  const r = Math.floor((z2 - grid.lo) / w);
  return c >= 0 && c < grid.n && r >= 0 && r < grid.n ? r * grid.n + c : -1;
}

/**
 * `n` codes drawn from q(z): for each, a test image i uniformly at random, then z ~ q(z|xᵢ)
 * by z = μᵢ + σᵢ ⊙ ε. Returns the codes (row-major [n, 2]) and the images they came from.
 */
export function aggregateCodes(posteriors: Posteriors2d, n: number, seed: number): { z: Float32Array; images: Uint32Array } {
  const rng = createRng(seed);
  const z = new Float32Array(2 * n);
  const images = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const i = Math.min(posteriors.count - 1, Math.floor(rng() * posteriors.count));
    images[k] = i;
    for (let d = 0; d < 2; d++) z[2 * k + d] = posteriors.mu[2 * i + d]! + Math.exp(0.5 * posteriors.logVar[2 * i + d]!) * gaussian(rng);
  }
  return { z, images };
}

/** Where drawn codes come from: the prior, as a VAE generates, or q(z). */
export type DrawSource = 'prior' | 'aggregate';

/** `n` codes of one seed: from the prior (priorCodes), or from q(z) by way of a random test image (aggregateCodes). */
export function drawCodes(from: DrawSource, posteriors: Posteriors2d, n: number, seed: number): Float32Array {
  return from === 'prior' ? priorCodes(n, seed) : aggregateCodes(posteriors, n, seed).z;
}

/** Which of the codes (row-major [n, 2]) fall in a hole of `grid` (a cell marked in `mask`), and their share. */
export function shareInHoles(codes: ArrayLike<number>, grid: CellGrid, mask: Uint8Array): { inHoles: boolean[]; share: number } {
  const n = codes.length / 2;
  const inHoles = Array.from({ length: n }, (_, k) => {
    const cell = cellOf(grid, codes[2 * k]!, codes[2 * k + 1]!);
    return cell >= 0 && mask[cell] === 1;
  });
  return { inHoles, share: n > 0 ? inHoles.filter(Boolean).length / n : 0 };
}

const LOG_2PI = Math.log(2 * Math.PI);

/** log N(z; μᵢ, diag σᵢ²) in two dimensions. */
function logNormal2(posteriors: Posteriors2d, i: number, z1: number, z2: number): number {
  const [m1, m2, v1, v2] = [posteriors.mu[2 * i]!, posteriors.mu[2 * i + 1]!, posteriors.logVar[2 * i]!, posteriors.logVar[2 * i + 1]!];
  return -LOG_2PI - 0.5 * (v1 + v2) - 0.5 * ((z1 - m1) ** 2 / Math.exp(v1) + (z2 - m2) ** 2 / Math.exp(v2));
}

/** log q(z) = log (1/N) Σᵢ N(z; μᵢ, σᵢ²), by log-sum-exp over the N components. */
export function logAggregateDensity(posteriors: Posteriors2d, z1: number, z2: number): number {
  const terms = new Float64Array(posteriors.count);
  let max = -Infinity;
  for (let i = 0; i < posteriors.count; i++) {
    terms[i] = logNormal2(posteriors, i, z1, z2);
    max = Math.max(max, terms[i]!);
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum) - Math.log(posteriors.count);
}

export interface RateDecomposition {
  /** R = (1/N) Σᵢ KL(q(z|xᵢ) ‖ p(z)), closed form, nats. */
  rate: number;
  /** I(x; z) under q(x, z) = p_data(x) q(z|x), Monte Carlo, nats. */
  mutualInformation: number;
  /** KL(q(z) ‖ p(z)) = R − I(x; z), nats. */
  marginalKl: number;
  /** The standard error of the Monte Carlo estimate of I (and so of the marginal KL). */
  standardError: number;
  /** ln N: the most I(x; z) can be with N images. */
  maxInformation: number;
  samples: number;
}

/**
 * R, I(x; z) and KL(q(z) ‖ p(z)) for these posteriors. I(x; z) = E_{q(x,z)}[log q(z|x) − log q(z)],
 * estimated with `samples` draws (i uniform, z ~ q(z|xᵢ)); each needs log q(z), a sum over all
 * N components, so the cost is samples × N.
 */
export function rateDecomposition(posteriors: Posteriors2d, samples = 2000, seed = 7): RateDecomposition {
  const { count, mu, logVar } = posteriors;
  let rate = 0;
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < 2; d++) {
      const [m, v] = [mu[2 * i + d]!, logVar[2 * i + d]!];
      rate += 0.5 * (Math.exp(v) + m * m - 1 - v);
    }
  }
  rate /= count;
  const { z, images } = aggregateCodes(posteriors, samples, seed);
  let sum = 0;
  let sumSq = 0;
  for (let k = 0; k < samples; k++) {
    const [z1, z2] = [z[2 * k]!, z[2 * k + 1]!];
    const term = logNormal2(posteriors, images[k]!, z1, z2) - logAggregateDensity(posteriors, z1, z2);
    sum += term;
    sumSq += term * term;
  }
  const mutualInformation = sum / samples;
  const variance = Math.max(0, sumSq / samples - mutualInformation ** 2);
  return {
    rate,
    mutualInformation,
    marginalKl: rate - mutualInformation,
    standardError: Math.sqrt(variance / samples),
    maxInformation: Math.log(count),
    samples,
  };
}
