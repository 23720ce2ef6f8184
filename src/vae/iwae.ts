/**
 * The importance-weighted bound (Burda, Grosse & Salakhutdinov 2015) on held-out images:
 *   log p(x) ≥ L_k = E[log (1/k) Σ_j w_j],   w_j = p(x|z_j) p(z_j) / q(z_j|x),   z_j ~ q(z|x).
 * L_1 is the ELBO, L_k never decreases in expectation as k grows, and L_k → log p(x). Results are
 * −L_k in nats per image, comparable to the loss: lower is better.
 */
import { tf } from './backend.ts';
import { toFloat, type ImageSet } from './data.ts';
import { reconstructionLoss } from './loss.ts';
import type { Vae } from './model.ts';
import { imageSize, imagesTensor, isConditional, likelihoodLogits, posterior } from './networks.ts';
import { reparameterize } from './reparameterize.ts';
import { valuesPerImage } from './spec.ts';

const LOG_2PI = Math.log(2 * Math.PI);
/** The most negative float32; a row whose maximum is −∞ shifts by this instead of by −∞ (−∞ − −∞ is NaN). */
const MOST_NEGATIVE_FLOAT32 = -3.4e38;

/** log N(z; 0, I) = −½ Σ_u (z_u² + log 2π), per row. */
export function logStandardNormal(z: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => z.square().add(LOG_2PI).sum(1).mul(-0.5) as tf.Tensor1D);
}

/** log N(z; μ, diag σ²) = −½ Σ_u (log 2π + log σ²_u + (z_u − μ_u)² / σ²_u), per row. */
export function logDiagonalGaussian(z: tf.Tensor2D, mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => z.sub(mu).square().mul(logVar.neg().exp()).add(logVar).add(LOG_2PI).sum(1).mul(-0.5) as tf.Tensor1D);
}

/**
 * log (1/k) Σ_j e^{a_j} per row, as m + log Σ_j e^{a_j − m} − log k with m = max_j a_j: the largest
 * term is e^0 = 1, so nothing overflows and the sum never underflows to 0 (log-weights of real
 * images are −10² to −10³ nats, and e^{−104} is already 0 in float32).
 */
export function logMeanExp(a: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const m = a.max(1, true).maximum(MOST_NEGATIVE_FLOAT32);
    return a.sub(m).exp().sum(1).log().add(m.squeeze([1])).sub(Math.log(a.shape[1])) as tf.Tensor1D;
  });
}

/**
 * log w_ij = log p(x_i|z_ij) + log p(z_ij) − log q(z_ij|x_i), z_ij = μ_i + σ_i ⊙ ε_ij, as [n, k]:
 * x is [n, 28, 28, 1], eps is [n, k, d] of standard-normal draws. log p(x|z) = −reconstructionLoss,
 * the Bernoulli log-likelihood from logits (grey levels allowed). Returns a tensor; call in tidy().
 */
export function logImportanceWeights(vae: Vae, x: tf.Tensor4D, eps: tf.Tensor3D, labels?: tf.Tensor1D): tf.Tensor2D {
  const [n, k, d] = eps.shape;
  const [mu, logVar] = posterior(vae, x, labels);
  if (logVar === null) throw new Error(`${vae.spec.id} is a plain autoencoder: it defines no likelihood to bound`);
  // Each image's (μ, log σ²) and pixels repeated for its k draws, row i·k + j.
  const muK = mu.expandDims(1).tile([1, k, 1]).reshape([n * k, d]) as tf.Tensor2D;
  const logVarK = logVar.expandDims(1).tile([1, k, 1]).reshape([n * k, d]) as tf.Tensor2D;
  const xK = x.expandDims(1).tile([1, k, 1, 1, 1]).reshape([n * k, ...x.shape.slice(1)]);
  const labelsK = labels?.expandDims(1).tile([1, k]).reshape([n * k]) as tf.Tensor1D | undefined;
  const z = reparameterize(muK, logVarK, eps.reshape([n * k, d]));
  const logPxGivenZ = reconstructionLoss(xK, likelihoodLogits(vae, z, labelsK)).neg();
  return logPxGivenZ.add(logStandardNormal(z)).sub(logDiagonalGaussian(z, muK, logVarK)).reshape([n, k]) as tf.Tensor2D;
}

/** Seed of image `index`'s own stream of draws, so its draws depend on neither the batching nor the other images. */
function imageSeed(seed: number, index: number): number {
  return seed * 2 ** 20 + index;
}

/**
 * ε for images firstIndex … firstIndex+n−1 as [n, k, d]: image i's k·d values come from its own
 * stream, so the first k′ of its k draws are exactly those of a run with k′.
 */
function drawEps(n: number, k: number, d: number, seed: number, firstIndex = 0): tf.Tensor3D {
  return tf.tidy(() => tf.stack(Array.from({ length: n }, (_, i) => tf.randomNormal([k, d], 0, 1, 'float32', imageSeed(seed, firstIndex + i)))) as tf.Tensor3D);
}

export interface ImportanceBounds {
  k: number;
  /** log w_ij, row-major [n, k]. */
  logWeights: Float32Array;
  /** −L_k per image: −log (1/k) Σ_j w_j. */
  iwae: Float64Array;
  /**
   * −(1/k) Σ_j log w_j per image: the one-sample bound −L_1 averaged over the same k draws. By
   * Jensen (log of a mean ≥ mean of logs) iwae ≤ elbo for every image and every draw, not only
   * in expectation; with k = 1 they are equal.
   */
  elbo: Float64Array;
}

/**
 * Per-image bounds for `images` (grey levels in [0, 1], 784 per image), with the draws of
 * `drawEps(n, k, d, seed, firstIndex)` or the given `eps` (row-major [n, k, d]).
 */
export function importanceBounds(
  vae: Vae,
  images: Float32Array,
  options: { k: number; seed?: number; firstIndex?: number; eps?: Float32Array; labels?: ArrayLike<number> },
): ImportanceBounds {
  const { k } = options;
  const n = images.length / valuesPerImage(vae.spec);
  const d = vae.spec.latentDim;
  if (!Number.isInteger(n)) throw new Error(`Expected a multiple of ${imageSize(vae)}, got ${images.length}`);
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`k must be a positive integer, got ${k}`);
  if (options.eps && options.eps.length !== n * k * d) throw new Error(`eps has ${options.eps.length} values; expected n·k·d = ${n * k * d}`);
  const [logW, bound] = tf.tidy(() => {
    const x = imagesTensor(vae, images);
    const eps = options.eps ? tf.tensor3d(options.eps, [n, k, d]) : drawEps(n, k, d, options.seed ?? 0, options.firstIndex ?? 0);
    const labels = options.labels ? tf.tensor1d(Int32Array.from(options.labels), 'int32') : undefined;
    const w = logImportanceWeights(vae, x, eps, labels);
    return [w, logMeanExp(w)];
  });
  const logWeights = logW.dataSync() as Float32Array;
  const lk = bound.dataSync();
  tf.dispose([logW, bound]);
  const iwae = Float64Array.from(lk, (v) => -v);
  const elbo = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += logWeights[i * k + j]!;
    elbo[i] = -sum / k;
  }
  return { k, logWeights, iwae, elbo };
}

export interface IwaeResult {
  images: number;
  k: number;
  /** −L_k averaged over the images, nats per image. */
  loss: number;
  /** −L_1 averaged over the same images and all k draws: the one-sample bound the IWAE improves on. */
  elbo: number;
}

/**
 * −L_k over a whole set, `samplesPerCall` decoder rows at a time (⌊samplesPerCall / k⌋ images,
 * at least one) so memory stays bounded. Image i's draws come from stream (seed, i).
 */
export function iwaeLoss(
  vae: Vae,
  data: ImageSet,
  options: { k?: number; seed?: number; samplesPerCall?: number; onProgress?: (done: number, total: number) => void } = {},
): IwaeResult {
  const k = options.k ?? 64;
  const seed = options.seed ?? 12345;
  const perBatch = Math.max(1, Math.floor((options.samplesPerCall ?? 3200) / k));
  let iwae = 0;
  let elbo = 0;
  for (let start = 0; start < data.count; start += perBatch) {
    const n = Math.min(perBatch, data.count - start);
    const pixels = toFloat(data, Array.from({ length: n }, (_, i) => start + i));
    const labels = isConditional(vae) ? data.labels.subarray(start, start + n) : undefined;
    const bounds = importanceBounds(vae, pixels, { k, seed, firstIndex: start, ...(labels ? { labels } : {}) });
    for (let i = 0; i < n; i++) {
      iwae += bounds.iwae[i]!;
      elbo += bounds.elbo[i]!;
    }
    options.onProgress?.(start + n, data.count);
  }
  return { images: data.count, k, loss: iwae / data.count, elbo: elbo / data.count };
}
