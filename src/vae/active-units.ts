/**
 * Active latent units (Burda, Grosse & Salakhutdinov 2015):
 *   A_u = Cov_x(E_{q(z|x)}[z_u]) = the variance over the images of μ_u(x),
 * and unit u is active when A_u > 0.01. An inactive unit's posterior mean ignores the image: the
 * KL term has pulled it onto the prior and the decoder cannot use it.
 */
import type { ImageSet } from './data.ts';
import { encodeSet } from './encode-set.ts';
import type { Vae } from './model.ts';
import { ACTIVE_THRESHOLD, columnVariances } from './code-stats.ts';

export interface ActiveUnits {
  count: number;
  threshold: number;
  /** A_u for each latent unit u. */
  variances: number[];
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
