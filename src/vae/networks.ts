/**
 * The two networks as the evaluation sees them: q(z|x) as (μ, log σ²) and the logits of p(x|z).
 * Every evaluation call to the encoder and decoder goes through here, so that a conditional model
 * can later take each row's label y, giving q(z|x, y) and p(x|z, y): the same bounds then measure
 * log p(x|y). The engine's models take no label yet, so a label is refused rather than ignored.
 */
import { tf } from './backend.ts';
import type { Vae } from './model.ts';

function refuseLabels(vae: Vae, labels: tf.Tensor1D | undefined): void {
  if (labels !== undefined) throw new Error(`${vae.spec.id} is not a conditional model: its networks take no label`);
}

/** (μ, log σ²) of q(z|x) — of q(z|x, y) once a conditional model exists. */
export function posterior(vae: Vae, x: tf.Tensor4D, labels?: tf.Tensor1D): [tf.Tensor2D, tf.Tensor2D] {
  refuseLabels(vae, labels);
  return vae.encoder.predict(x) as [tf.Tensor2D, tf.Tensor2D];
}

/** Logits ℓ of p(x|z) = Bernoulli(σ(ℓ)) per pixel — of p(x|z, y) once a conditional model exists. */
export function likelihoodLogits(vae: Vae, z: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor {
  refuseLabels(vae, labels);
  return vae.decoder.predict(z) as tf.Tensor;
}
