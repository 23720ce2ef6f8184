/**
 * Active latent units (Burda, Grosse & Salakhutdinov 2015):
 *   A_u = Cov_x(E_{q(z|x)}[z_u]) = the variance over the images of μ_u(x),
 * and unit u is active when A_u > 0.01. An inactive unit's posterior mean ignores the image: the
 * KL term has pulled it onto the prior and the decoder cannot use it.
 */
import type { ImageSet } from './data.ts';
import { encodeSet } from './encode-set.ts';
import type { Vae } from './model.ts';

export const ACTIVE_THRESHOLD = 0.01;

export interface ActiveUnits {
  count: number;
  threshold: number;
  /** A_u for each latent unit u. */
  variances: number[];
}

/**
 * Variance of each column of a row-major [rows, cols] table, in float64 and in two passes (mean,
 * then mean squared deviation) to avoid the cancellation of E[v²] − E[v]². Divides by rows: the
 * variance of the images at hand, as A_u is defined, not an estimate for unseen ones.
 */
export function columnVariances(values: ArrayLike<number>, rows: number, cols: number): number[] {
  return Array.from({ length: cols }, (_, c) => {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += values[r * cols + c]!;
    mean /= rows;
    let ss = 0;
    for (let r = 0; r < rows; r++) ss += (values[r * cols + c]! - mean) ** 2;
    return ss / rows;
  });
}

/** μ(x) of every image of `data`, row-major [count, latentDim], `batchSize` images per encoder call. */
function posteriorMeans(vae: Vae, data: ImageSet, batchSize = 500): Float32Array {
  return encodeSet(vae, data, batchSize).mu;
}

/** `means`: μ(x) of `data` from `posteriorMeans`, when the caller has them already. */
export function activeUnits(vae: Vae, data: ImageSet, options: { batchSize?: number; threshold?: number; means?: Float32Array } = {}): ActiveUnits {
  const threshold = options.threshold ?? ACTIVE_THRESHOLD;
  const variances = columnVariances(options.means ?? posteriorMeans(vae, data, options.batchSize), data.count, vae.spec.latentDim);
  return { count: variances.filter((a) => a > threshold).length, threshold, variances };
}
