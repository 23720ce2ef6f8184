/**
 * Inference helpers: plain numbers in, plain numbers out. Tensors live only inside tidy().
 */
import { tf } from './backend.ts';
import type { Vae } from './model.ts';
import { reparameterize } from './reparameterize.ts';
import { IMAGE_SIZE, PIXELS } from './spec.ts';

export interface Encoding {
  /** Row-major [n, latentDim]. */
  mu: Float32Array;
  logVar: Float32Array;
}

function imageTensor(images: Float32Array): tf.Tensor4D {
  if (images.length % PIXELS !== 0) throw new Error(`Expected a multiple of ${PIXELS} pixels, got ${images.length}`);
  return tf.tensor4d(images, [images.length / PIXELS, IMAGE_SIZE, IMAGE_SIZE, 1]);
}

function latentTensor(vae: Vae, z: ArrayLike<number>): tf.Tensor2D {
  const d = vae.spec.latentDim;
  if (z.length % d !== 0) throw new Error(`Expected a multiple of ${d} latent values, got ${z.length}`);
  return tf.tensor2d(Array.from(z), [z.length / d, d]);
}

/** q(z|x) for each image (grey levels in [0, 1], 784 per image). */
export function encode(vae: Vae, images: Float32Array): Encoding {
  const [mu, logVar] = tf.tidy(() => vae.encoder.predict(imageTensor(images)) as tf.Tensor[]) as [tf.Tensor, tf.Tensor];
  const out = { mu: mu.dataSync() as Float32Array, logVar: logVar.dataSync() as Float32Array };
  mu.dispose();
  logVar.dispose();
  return out;
}

/** Decoder logits for latent codes (row-major [n, latentDim]). */
export function decodeLogits(vae: Vae, z: ArrayLike<number>): Float32Array {
  const logits = tf.tidy(() => vae.decoder.predict(latentTensor(vae, z)) as tf.Tensor);
  const out = logits.dataSync() as Float32Array;
  logits.dispose();
  return out;
}

/** Pixel probabilities p(x|z) = sigmoid(logits), 784 per code. */
export function decode(vae: Vae, z: ArrayLike<number>): Float32Array {
  const probs = tf.tidy(() => tf.sigmoid(vae.decoder.predict(latentTensor(vae, z)) as tf.Tensor));
  const out = probs.dataSync() as Float32Array;
  probs.dispose();
  return out;
}

/** Decodes asynchronously, so a page's main thread is not blocked on a GPU read-back. */
export async function decodeAsync(vae: Vae, z: ArrayLike<number>): Promise<Float32Array> {
  const probs = tf.tidy(() => tf.sigmoid(vae.decoder.predict(latentTensor(vae, z)) as tf.Tensor));
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}

/** n codes from the prior N(0, I) and their decodes. */
export function sample(vae: Vae, n: number, seed: number): { z: Float32Array; images: Float32Array } {
  const zt = tf.randomNormal([n, vae.spec.latentDim], 0, 1, 'float32', seed);
  const z = zt.dataSync() as Float32Array;
  zt.dispose();
  return { z, images: decode(vae, z) };
}

/**
 * Reconstructions: decode(μ(x)) by default, or decode of one z ~ q(z|x) when a seed is given.
 */
export function reconstruct(vae: Vae, images: Float32Array, seed?: number): Float32Array {
  const probs = tf.tidy(() => {
    const [mu, logVar] = vae.encoder.predict(imageTensor(images)) as [tf.Tensor2D, tf.Tensor2D];
    const z = seed === undefined ? mu : reparameterize(mu, logVar, tf.randomNormal(mu.shape, 0, 1, 'float32', seed));
    return tf.sigmoid(vae.decoder.predict(z) as tf.Tensor);
  });
  const out = probs.dataSync() as Float32Array;
  probs.dispose();
  return out;
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
