/**
 * The two networks as the rest of the engine sees them: q(z|x) as (μ, log σ²) and the logits of
 * p(x|z). Every call to an encoder or decoder goes through here. A conditional model takes each
 * row's label y, giving q(z|x, y) and p(x|z, y), and the same bounds then measure log p(x|y). A
 * plain autoencoder's code has no spread: its log σ² is null, and z is μ itself.
 */
import { tf } from './backend.ts';
import type { ImageSet } from './data.ts';
import type { Vae } from './model.ts';
import { reparameterize } from './reparameterize.ts';
import { CLASSES, imageShape, imageValues, valuesPerImage } from './spec.ts';

/** What one image of `vae` holds: "784 pixels" for 28 × 28 grey, "3072 values (32 × 32 × 3)" for colour. */
export function imageSize(vae: Vae): string {
  const shape = imageShape(vae.spec);
  const n = imageValues(shape);
  return shape.channels === 1 ? `${n} pixels` : `${n} values (${shape.height} × ${shape.width} × ${shape.channels})`;
}

/** Throws unless `image` holds exactly one image of `vae`'s shape. */
export function checkOneImage(vae: Vae, image: Float32Array): void {
  if (image.length !== valuesPerImage(vae.spec)) throw new Error(`Expected one image of ${imageSize(vae)}, got ${image.length} values`);
}

/** Images of `vae`'s shape (values in [0, 1], height × width × channels each, channels last) as an [n, H, W, C] tensor. */
export function imagesTensor(vae: Vae, values: Float32Array): tf.Tensor4D {
  const shape = imageShape(vae.spec);
  const per = imageValues(shape);
  if (values.length % per !== 0) throw new Error(`Expected a multiple of ${imageSize(vae)}, got ${values.length}`);
  return tf.tensor4d(values, [values.length / per, shape.height, shape.width, shape.channels]);
}

/** (μ, log σ²) of q(z|x[, y]); log σ² is null for a plain autoencoder. */
export type Posterior = [tf.Tensor2D, tf.Tensor2D | null];

export function isConditional(vae: Vae): boolean {
  return vae.spec.kind === 'cvae';
}

/** The network's inputs: x alone, or x with the labels one-hot for a conditional model. */
function withLabels(vae: Vae, input: tf.Tensor, labels: tf.Tensor1D | undefined): tf.Tensor | tf.Tensor[] {
  if (isConditional(vae)) {
    if (labels === undefined) throw new Error(`${vae.spec.id} is a conditional model: it needs each image's label`);
    return [input, tf.oneHot(labels.toInt(), CLASSES).toFloat()];
  }
  if (labels !== undefined) throw new Error(`${vae.spec.id} is not a conditional model: its networks take no label`);
  return input;
}

/** (μ, log σ²) of q(z|x) or q(z|x, y). `training` runs the layers in training mode (for gradients). */
export function posterior(vae: Vae, x: tf.Tensor4D, labels?: tf.Tensor1D, training = false): Posterior {
  const out = tf.tidy(() => vae.encoder.apply(withLabels(vae, x, labels), { training }) as tf.Tensor2D | tf.Tensor2D[]);
  return Array.isArray(out) ? [out[0]!, out[1] ?? null] : [out, null];
}

/** Logits ℓ of p(x|z) = Bernoulli(σ(ℓ)) per pixel, or of p(x|z, y). */
export function likelihoodLogits(vae: Vae, z: tf.Tensor2D, labels?: tf.Tensor1D, training = false): tf.Tensor4D {
  return tf.tidy(() => vae.decoder.apply(withLabels(vae, z, labels), { training }) as tf.Tensor4D);
}

/** One z ~ q(z|x) per row from the standard-normal draws ε; an autoencoder's z is μ. */
export function sampleLatent([mu, logVar]: Posterior, eps: tf.Tensor2D): tf.Tensor2D {
  return logVar === null ? tf.clone(mu) : reparameterize(mu, logVar, eps);
}

/** The labels of the given images of a set, for a conditional model. Call inside tidy(). */
export function labelsOf(set: ImageSet, indices: ArrayLike<number>): tf.Tensor1D {
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = set.labels[indices[k]!]!;
  return tf.tensor1d(out, 'int32');
}
