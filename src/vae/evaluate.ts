/**
 * The seed's loss on a held-out set: for each image one z ~ q(z|x) with a fixed seed (not the
 * decode of μ), reconstruction + KL averaged over images. `evaluateModel` adds the tighter
 * importance-weighted bound, the active units and the entropy floor.
 */
import { activeUnits, type ActiveUnits } from './active-units.ts';
import { tf } from './backend.ts';
import { toFloat, type ImageSet } from './data.ts';
import { entropyFloorPerImage } from './entropy-floor.ts';
import { iwaeLoss } from './iwae.ts';
import { klPerUnit, reconstructionLoss } from './loss.ts';
import type { Vae } from './model.ts';
import { imagesTensor, isConditional, labelsOf, likelihoodLogits, posterior, sampleLatent } from './networks.ts';

/** How many of the first test images `npm run evaluate` re-measures for the tests to repeat. */
export const CHECK_SUBSET_IMAGES = 500;

export interface EvalResult {
  images: number;
  loss: number;
  reconstruction: number;
  kl: number;
}

export function evaluate(vae: Vae, data: ImageSet, options: { batchSize?: number; seed?: number } = {}): EvalResult {
  return meanLoss(data.count, lossSums(vae, data, 0, data.count, options), vae.spec.beta);
}

/** The per-image loss of `images` images from their summed terms: reconstruction + β·KL. */
export function meanLoss(images: number, sums: { reconstruction: number; kl: number }, beta: number): EvalResult {
  return { images, loss: (sums.reconstruction + beta * sums.kl) / images, reconstruction: sums.reconstruction / images, kl: sums.kl / images };
}

/** Summed loss terms of some images, with their posterior means. */
export interface LossSums {
  reconstruction: number;
  kl: number;
  /** μ of each image, row-major [end − start, latentDim]. */
  mu: Float32Array;
  /** Each latent unit's KL summed over the images (Σ of the KL's terms ½ (μ_u² + σ_u² − log σ_u² − 1)). */
  unitKl: Float64Array;
}

/**
 * `evaluate`'s sums over images [start, end) of `data` alone, with the very ε it draws for
 * them: ε comes per batch of `batchSize` images counted from image 0, seeded by the seed plus
 * the batch's first image. So the sums of ranges computed apart (by several workers) add up
 * to evaluate's, to float rounding.
 */
export function lossSums(vae: Vae, data: ImageSet, start: number, end: number, options: { batchSize?: number; seed?: number } = {}): LossSums {
  const batchSize = options.batchSize ?? 500;
  const seed = options.seed ?? 12345;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= data.count)) {
    throw new Error(`lossSums: the range [${start}, ${end}) is not within the ${data.count} images`);
  }
  const latentDim = vae.spec.latentDim;
  const mu = new Float32Array((end - start) * latentDim);
  const unitKl = new Float64Array(latentDim);
  let rec = 0;
  let kl = 0;
  for (let batch = start - (start % batchSize); batch < end; batch += batchSize) {
    const from = Math.max(start, batch);
    const to = Math.min(end, batch + batchSize, data.count);
    const indices = Array.from({ length: to - from }, (_, k) => from + k);
    const pixels = toFloat(data, indices);
    const [sums, means, units] = tf.tidy(() => {
      const n = indices.length;
      const x = imagesTensor(vae, pixels);
      const labels = isConditional(vae) ? labelsOf(data, indices) : undefined;
      const q = posterior(vae, x, labels);
      // The batch's draws, as evaluate makes them for the whole batch, then this range's rows.
      const drawn = Math.min(batchSize, data.count - batch);
      const eps = tf.randomNormal([drawn, latentDim], 0, 1, 'float32', seed + batch).slice([from - batch, 0], [n, latentDim]) as tf.Tensor2D;
      const logits = likelihoodLogits(vae, sampleLatent(q, eps), labels);
      const perUnit = klPerUnit(q[0], q[1]).sum(0);
      return [tf.stack([reconstructionLoss(x, logits).sum(), perUnit.sum()]), tf.clone(q[0]), perUnit];
    });
    const [r, k] = sums.dataSync();
    mu.set(means.dataSync(), (from - start) * latentDim);
    units.dataSync().forEach((v, u) => (unitKl[u]! += v));
    tf.dispose([sums, means, units]);
    rec += r!;
    kl += k!;
  }
  return { reconstruction: rec, kl, mu, unitKl };
}

/** What `npm run evaluate` measures; metrics.json's "evaluation" adds backend, wallSeconds and createdAt. */
export interface ModelEvaluation {
  images: number;
  seed: number;
  /** One z ~ q(z|x) per image: reconstruction + β·KL, as `evaluate`. */
  oneSample: { loss: number; reconstruction: number; kl: number };
  /**
   * −L_k, nats per image: an upper bound on −log p(x), tighter than the one-sample loss (β = 1).
   * Null for a plain autoencoder, which defines no likelihood.
   */
  iwae: { k: number; loss: number } | null;
  activeUnits: ActiveUnits;
  /** Σ_i H(x_i) per image: no model's −log p(x) goes below it on grey-level targets. */
  floor: { entropyPerImage: number };
  /** iwae.loss − floor.entropyPerImage: the nats per image a better model could still gain at most. */
  gapToFloor: number | null;
}

export function evaluateModel(
  vae: Vae,
  data: ImageSet,
  options: { k?: number; seed?: number; samplesPerCall?: number; means?: Float32Array; onProgress?: (done: number, total: number) => void } = {},
): ModelEvaluation {
  const seed = options.seed ?? 12345;
  const { loss, reconstruction, kl } = evaluate(vae, data, { seed });
  const iwae = vae.spec.kind === 'ae' ? null : iwaeLoss(vae, data, { ...options, seed });
  const entropyPerImage = entropyFloorPerImage(data);
  return {
    images: data.count,
    seed,
    oneSample: { loss, reconstruction, kl },
    iwae: iwae && { k: iwae.k, loss: iwae.loss },
    activeUnits: activeUnits(vae, data, options.means ? { means: options.means } : {}),
    floor: { entropyPerImage },
    gapToFloor: iwae && iwae.loss - entropyPerImage,
  };
}
