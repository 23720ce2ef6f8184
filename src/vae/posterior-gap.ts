/**
 * How far the encoder's q(z|x) = N(μ, diag σ²) is from the true posterior p_θ(z|x) of a 2-D
 * VAE, measured on test images: the true posterior by brute force on grids (truePosterior, as
 * the posterior figure computes it), then per image
 *   KL(q ‖ p(z|x)) on the grid (klOnGrid),
 *   the offset of the true posterior's mean m from μ in q's standard deviations,
 *     ‖((m₁ − μ₁)/σ₁, (m₂ − μ₂)/σ₂)‖,
 *   the correlation of its two coordinates, C₁₂ / √(C₁₁ C₂₂),
 *   q's width against the true posterior's, σ_i / √C_ii per axis.
 * Chapter 2 quotes the summary of such a sample and a few named images; `npm run evaluate` and
 * scripts/posterior-gap.ts store it in metrics.json under evaluation.posteriorGap.
 */
import { toFloat, type ImageSet } from './data.ts';
import { encode } from './infer.ts';
import type { Vae } from './model.ts';
import { createRng } from './random.ts';
import { median } from './stats.ts';
import { klOnGrid, logJoint, truePosterior, type GridPosterior } from './true-posterior.ts';

/** One test image's gap, as stored for each image of the random sample. */
interface PosteriorGapDraw {
  image: number;
  label: number;
  /** KL(q ‖ p_θ(z|x)) in nats. */
  kl: number;
  /** The true posterior's mean, away from μ in q's standard deviations. */
  offset: number;
  /** The correlation of z₁ and z₂ under the true posterior. */
  correlation: number;
}

/** A named image's gap, with the widths behind it. */
export interface PosteriorGapExample extends PosteriorGapDraw {
  /** q's σ on each axis. */
  sigma: [number, number];
  /** The true posterior's standard deviation on each axis, √C_ii. */
  trueSd: [number, number];
  /** σ_i / √C_ii on each axis: above 1 where q is wider than the true posterior. */
  widthRatios: [number, number];
  /** Their geometric mean, √(σ₁σ₂ / √(C₁₁C₂₂)): how many times too wide q is, both axes together. */
  widthRatio: number;
  /**
   * The share of the true posterior's highest-density region whose edge runs through μ: the mass
   * of the grid cells denser than the cell that holds μ. Above 1 − e⁻² ≈ 0.865, μ lies outside the
   * region that holds 86.5 % of the true posterior (the figure's outer magenta contour).
   */
  muHpdShare: number;
  /** The true posterior's share in the grid's outermost cells: near 0 when the grid holds it. */
  edgeMass: number;
}

/** What metrics.json holds under evaluation.posteriorGap. */
export interface PosteriorGap {
  /** Test images drawn at random (with replacement, uniformly) and the seed that draws them. */
  images: number;
  seed: number;
  /** The median KL(q ‖ p(z|x)) of the sample, in nats. */
  medianKl: number;
  /** Shares of the sample, in per cent: KL under 3 nats, KL over 10 nats, the mean more than 2σ from μ, |correlation| over 0.5. */
  percentKlBelow3: number;
  percentKlAbove10: number;
  percentOffsetAbove2: number;
  percentAbsCorrAbove05: number;
  /** The largest share of a true posterior in its grid's outermost cells: how well the grids held them. */
  maxEdgeMass: number;
  /** q's σ of one named image over another's, per axis, e.g. "widthRatio3841over8811". */
  [widthRatio: `widthRatio${number}over${number}`]: WidthRatio;
  /** The named images (chapter 2's), by test index. */
  examples: Record<string, PosteriorGapExample>;
  /** Each image of the sample, in the order drawn. */
  draws: PosteriorGapDraw[];
}

/** How many times wider one image's q is than another's: σ_a,i / σ_b,i on each axis, and the smaller and larger. */
interface WidthRatio {
  axes: [number, number];
  min: number;
  max: number;
}

/** The sample, the named images and the pair whose ellipses chapter 2 compares. */
export interface PosteriorGapOptions {
  images?: number;
  seed?: number;
  examples?: number[];
  /** [a, b]: q's σ of image a over that of image b; both must be among the examples. null: none. */
  ratio?: [number, number] | null;
}

/** Chapter 2's measurement: 50 images with seed 11, test images 0, 3841 and 8811, 3841's ellipse over 8811's. */
export const POSTERIOR_GAP_DEFAULTS = { images: 50, seed: 11, examples: [0, 3841, 8811], ratio: [3841, 8811] as [number, number] };

/** The test images of the sample: `images` uniform draws from 0 … count−1 with `seed`. */
export function drawTestImages(count: number, images: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: images }, () => Math.floor(rng() * count));
}

/** The share of the true posterior in cells denser than the cell that holds the point z. */
export function hpdShareAt(grid: GridPosterior, z: ArrayLike<number>): number {
  const { box, side, logMass } = grid;
  const col = Math.min(side - 1, Math.max(0, Math.floor(((z[0]! - box.x0) / (box.x1 - box.x0)) * side)));
  // Rows run from the top (z₂ = y1) down, as in cellCentres.
  const row = Math.min(side - 1, Math.max(0, Math.floor(((box.y1 - z[1]!) / (box.y1 - box.y0)) * side)));
  const at = logMass[row * side + col]!;
  let share = 0;
  for (const m of logMass) if (m > at) share += Math.exp(m);
  return share;
}

/** The gap of test image `index`: q from the encoder, the true posterior on grids. */
export async function posteriorGapOf(vae: Vae, test: ImageSet, index: number): Promise<PosteriorGapExample> {
  if (vae.spec.latentDim !== 2 || vae.spec.kind !== 'vae') throw new Error(`${vae.spec.id} is not a 2-D VAE: its posterior cannot be put on a plane grid`);
  if (!(Number.isInteger(index) && index >= 0 && index < test.count)) throw new Error(`There is no test image ${index}: the set has ${test.count}`);
  const x = toFloat(test, [index]);
  const { mu, logVar } = encode(vae, x);
  const sigma: [number, number] = [Math.exp(0.5 * logVar![0]!), Math.exp(0.5 * logVar![1]!)];
  const { grid } = (await truePosterior((z) => logJoint(vae, x, z), mu, sigma))!;
  const trueSd: [number, number] = [Math.sqrt(grid.cov[0]), Math.sqrt(grid.cov[2])];
  const widthRatios: [number, number] = [sigma[0] / trueSd[0], sigma[1] / trueSd[1]];
  return {
    image: index,
    label: test.labels[index]!,
    kl: klOnGrid(grid, mu, sigma),
    offset: Math.hypot((grid.mean[0] - mu[0]!) / sigma[0], (grid.mean[1] - mu[1]!) / sigma[1]),
    correlation: grid.cov[1] / (trueSd[0] * trueSd[1]),
    sigma,
    trueSd,
    widthRatios,
    widthRatio: Math.sqrt(widthRatios[0] * widthRatios[1]),
    muHpdShare: hpdShareAt(grid, mu),
    edgeMass: grid.edgeMass,
  };
}

/** The sample's summary: the median KL and the shares chapter 2 quotes, in per cent. */
function summarisePosteriorGap(draws: PosteriorGapDraw[]) {
  const percent = (test: (d: PosteriorGapDraw) => boolean) => (100 * draws.filter(test).length) / draws.length;
  return {
    medianKl: median(draws.map((d) => d.kl)),
    percentKlBelow3: percent((d) => d.kl < 3),
    percentKlAbove10: percent((d) => d.kl > 10),
    percentOffsetAbove2: percent((d) => d.offset > 2),
    percentAbsCorrAbove05: percent((d) => Math.abs(d.correlation) > 0.5),
  };
}

/** The whole measurement; `onImage` sees each image's gap as it is computed. */
export async function measurePosteriorGap(
  vae: Vae,
  test: ImageSet,
  options: PosteriorGapOptions = {},
  onImage?: (gap: PosteriorGapExample, kind: 'draw' | 'example') => void,
): Promise<PosteriorGap> {
  const { images, seed, examples: named, ratio } = { ...POSTERIOR_GAP_DEFAULTS, ...options };
  if (!(Number.isInteger(images) && images >= 1)) throw new Error(`The sample needs a positive whole number of images, not ${images}`);
  if (ratio && !ratio.every((i) => named.includes(i))) throw new Error(`The width ratio's images ${ratio.join(' and ')} must be among the examples (${named.join(', ')})`);
  const draws: PosteriorGapDraw[] = [];
  let maxEdgeMass = 0;
  for (const index of drawTestImages(test.count, images, seed)) {
    const gap = await posteriorGapOf(vae, test, index);
    onImage?.(gap, 'draw');
    const { image, label, kl, offset, correlation } = gap;
    draws.push({ image, label, kl, offset, correlation });
    maxEdgeMass = Math.max(maxEdgeMass, gap.edgeMass);
  }
  const examples: Record<string, PosteriorGapExample> = {};
  for (const index of named) {
    examples[String(index)] = await posteriorGapOf(vae, test, index);
    onImage?.(examples[String(index)]!, 'example');
  }
  const widths: Record<string, WidthRatio> = {};
  if (ratio) {
    const [a, b] = [examples[String(ratio[0])]!, examples[String(ratio[1])]!];
    const axes: [number, number] = [a.sigma[0] / b.sigma[0], a.sigma[1] / b.sigma[1]];
    widths[`widthRatio${ratio[0]}over${ratio[1]}`] = { axes, min: Math.min(...axes), max: Math.max(...axes) };
  }
  return {
    images,
    seed,
    ...summarisePosteriorGap(draws),
    maxEdgeMass,
    ...widths,
    examples,
    draws,
  };
}
