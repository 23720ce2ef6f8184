/**
 * Inference helpers: plain numbers in, plain numbers out. Tensors live only inside tidy().
 */
import { tf } from './backend.ts';
import type { Vae } from './model.ts';
import { checkOneImage, imagesTensor, isConditional, likelihoodLogits, posterior, sampleLatent, type Posterior } from './networks.ts';
import { CLASSES, valuesPerImage } from './spec.ts';

export interface Encoding {
  /** Row-major [n, latentDim]. */
  mu: Float32Array;
  /** Row-major [n, latentDim]; null for a plain autoencoder, whose code has no spread. */
  logVar: Float32Array | null;
}

function latentTensor(vae: Vae, z: ArrayLike<number>): tf.Tensor2D {
  const d = vae.spec.latentDim;
  if (z.length % d !== 0) throw new Error(`Expected a multiple of ${d} latent values, got ${z.length}`);
  return tf.tensor2d(Array.from(z), [z.length / d, d]);
}

/**
 * The labels of `rows` rows for a conditional model: one per row, or one for all of them.
 * Undefined for other models (which refuse labels).
 */
function labelTensor(vae: Vae, rows: number, labels: ArrayLike<number> | number | undefined): tf.Tensor1D | undefined {
  if (labels === undefined) return undefined;
  const values = typeof labels === 'number' ? new Int32Array(rows).fill(labels) : Int32Array.from(labels);
  if (values.length !== rows) throw new Error(`Expected ${rows} labels, got ${values.length}`);
  if (values.some((y) => !(y >= 0 && y < CLASSES))) throw new Error(`Labels must be whole numbers from 0 to ${CLASSES - 1}`);
  if (!isConditional(vae)) throw new Error(`${vae.spec.id} is not a conditional model: its networks take no label`);
  return tf.tensor1d(values, 'int32');
}

/** Reads a tensor's values and frees it. */
function take(t: tf.Tensor): Float32Array {
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}

/** q(z|x) (or q(z|x, y)) for each image (grey levels in [0, 1], 784 per image). */
export function encode(vae: Vae, images: Float32Array, labels?: ArrayLike<number> | number): Encoding {
  const n = images.length / valuesPerImage(vae.spec);
  const [mu, logVar] = tf.tidy(() => posterior(vae, imagesTensor(vae, images), labelTensor(vae, n, labels)).filter((t) => t !== null));
  return { mu: take(mu!), logVar: logVar ? take(logVar) : null };
}

function logitsTensor(vae: Vae, z: ArrayLike<number>, labels: ArrayLike<number> | number | undefined): tf.Tensor4D {
  const zt = latentTensor(vae, z);
  return likelihoodLogits(vae, zt, labelTensor(vae, zt.shape[0], labels));
}

/** Decoder logits for latent codes (row-major [n, latentDim]); a conditional model needs labels. */
export function decodeLogits(vae: Vae, z: ArrayLike<number>, labels?: ArrayLike<number> | number): Float32Array {
  return take(tf.tidy(() => logitsTensor(vae, z, labels)));
}

/** Pixel probabilities p(x|z) = sigmoid(logits), 784 per code. */
export function decode(vae: Vae, z: ArrayLike<number>, labels?: ArrayLike<number> | number): Float32Array {
  return take(tf.tidy(() => tf.sigmoid(logitsTensor(vae, z, labels))));
}

/** Decodes asynchronously, so a page's main thread is not blocked on a GPU read-back. */
export async function decodeAsync(vae: Vae, z: ArrayLike<number>, labels?: ArrayLike<number> | number): Promise<Float32Array> {
  const probs = tf.tidy(() => tf.sigmoid(logitsTensor(vae, z, labels)));
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}

/** n codes from the prior N(0, I) and their decodes. */
export function sample(vae: Vae, n: number, seed: number, labels?: ArrayLike<number> | number): { z: Float32Array; images: Float32Array } {
  const z = take(tf.randomNormal([n, vae.spec.latentDim], 0, 1, 'float32', seed));
  return { z, images: decode(vae, z, labels) };
}

/**
 * Reconstructions: decode(μ(x)) by default, or decode of one z ~ q(z|x) when a seed is given.
 */
export function reconstruct(vae: Vae, images: Float32Array, seed?: number, labels?: ArrayLike<number> | number): Float32Array {
  return take(
    tf.tidy(() => {
      const y = labelTensor(vae, images.length / valuesPerImage(vae.spec), labels);
      const q = posterior(vae, imagesTensor(vae, images), y);
      const z = seed === undefined ? q[0] : sampleLatent(q, tf.randomNormal(q[0].shape, 0, 1, 'float32', seed));
      return tf.sigmoid(likelihoodLogits(vae, z, y));
    }),
  );
}

export interface PosteriorSamples {
  /** μ_φ(x), one value per latent dimension. */
  mu: Float32Array;
  /** σ_φ(x) = exp(½ log σ²_φ(x)); zeros for a plain autoencoder, whose code has no spread. */
  sigma: Float32Array;
  /** Row-major [count, latentDim]: z_s = μ + σ ⊙ ε_s with ε_s ~ N(0, I) drawn from `seed`. */
  z: Float32Array;
  /** Row-major [count, 784]: the pixel probabilities π = σ(ℓ_θ(z_s)) of each sample. */
  images: Float32Array;
}

/**
 * q(z|x) for one image (784 grey levels in [0, 1]), and `count` codes drawn from it with their
 * decodes: what the posterior of one digit looks like and what its samples decode to.
 */
export function posteriorSamples(vae: Vae, image: Float32Array, count: number, seed: number, label?: number): PosteriorSamples {
  checkOneImage(vae, image);
  if (!(Number.isInteger(count) && count >= 1)) throw new Error(`Expected a whole number of samples, got ${count}`);
  const out = tf.tidy(() => {
    const y = labelTensor(vae, 1, label);
    const q = posterior(vae, imagesTensor(vae, image), y);
    const d = vae.spec.latentDim;
    const eps = tf.randomNormal([count, d], 0, 1, 'float32', seed) as tf.Tensor2D;
    const tiled: Posterior = [tf.tile(q[0], [count, 1]), q[1] === null ? null : tf.tile(q[1], [count, 1])];
    const z = sampleLatent(tiled, eps);
    const sigma = q[1] === null ? tf.zerosLike(q[0]) : tf.exp(q[1].mul(0.5));
    const labels = y === undefined ? undefined : tf.tile(y, [count]);
    return { mu: q[0], sigma, z, images: tf.sigmoid(likelihoodLogits(vae, z, labels)) };
  });
  return { mu: take(out.mu), sigma: take(out.sigma), z: take(out.z), images: take(out.images) };
}

/** The points of a side×side grid over [lo, hi]² in the latent plane, row by row from the top. */
export function latentGrid(side: number, lo: number, hi: number): Float32Array {
  if (side === 1) return Float32Array.of((lo + hi) / 2, (lo + hi) / 2);
  const z = new Float32Array(side * side * 2);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const k = (r * side + c) * 2;
      z[k] = lo + ((hi - lo) * c) / (side - 1);
      z[k + 1] = hi - ((hi - lo) * r) / (side - 1);
    }
  }
  return z;
}
