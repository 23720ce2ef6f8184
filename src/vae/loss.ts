/**
 * The negative ELBO of the seed notebook, per image, from decoder logits:
 *   L(x) = Σ_pixels BCE(x, sigmoid(ℓ)) + β · KL(q(z|x) ‖ N(0, I)).
 */
import { tf } from './backend.ts';

/**
 * −log p(x|z) for Bernoulli pixels with logits ℓ, summed over each image's pixels:
 *   −[x log σ(ℓ) + (1−x) log(1−σ(ℓ))] = max(ℓ, 0) − ℓ·x + log(1 + e^{−|ℓ|}),
 * the overflow-free form. Grey levels x ∈ [0, 1] are allowed (the notebook's summed BCE).
 */
export function reconstructionLoss(x: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const perPixel = logits.relu().sub(logits.mul(x)).add(logits.abs().neg().exp().log1p());
    return perPixel.reshape([x.shape[0]!, -1]).sum(1) as tf.Tensor1D;
  });
}

/**
 * KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ_u (μ² + σ² − log σ² − 1), per row. A plain autoencoder (log σ²
 * null) has no KL term in its loss: zeros.
 */
export function klDivergence(mu: tf.Tensor2D, logVar: tf.Tensor2D | null): tf.Tensor1D {
  if (logVar === null) return tf.zeros([mu.shape[0]]);
  return tf.tidy(() => mu.square().add(logVar.exp()).sub(logVar).sub(1).sum(1).mul(0.5) as tf.Tensor1D);
}

export interface LossTensors {
  /** Batch mean of β·KL + reconstruction: the quantity the optimiser minimises. */
  loss: tf.Scalar;
  reconstruction: tf.Scalar;
  kl: tf.Scalar;
}

/** Batch-averaged loss terms. */
export function elbo(x: tf.Tensor, logits: tf.Tensor, mu: tf.Tensor2D, logVar: tf.Tensor2D | null, beta: number): LossTensors {
  return tf.tidy(() => {
    const reconstruction = reconstructionLoss(x, logits).mean() as tf.Scalar;
    const kl = klDivergence(mu, logVar).mean() as tf.Scalar;
    const loss = reconstruction.add(kl.mul(beta)) as tf.Scalar;
    return { loss, reconstruction, kl };
  });
}
