/**
 * The negative ELBO of the seed notebook, per image, from decoder logits:
 *   L(x) = Σ_pixels BCE(x, sigmoid(ℓ)) + β · KL(q(z|x) ‖ N(0, I)),
 * and the free-bits form of its KL term.
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
 * KL(N(μ, σ²) ‖ N(0, I)) of each latent unit, ½ (μ_u² + σ_u² − log σ_u² − 1), as an [n, d] table.
 * A plain autoencoder (log σ² null) has no KL term in its loss: zeros.
 */
export function klPerUnit(mu: tf.Tensor2D, logVar: tf.Tensor2D | null): tf.Tensor2D {
  if (logVar === null) return tf.zerosLike(mu);
  return tf.tidy(() => mu.square().add(logVar.exp()).sub(logVar).sub(1).mul(0.5) as tf.Tensor2D);
}

/** KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ_u (μ² + σ² − log σ² − 1), per row. */
export function klDivergence(mu: tf.Tensor2D, logVar: tf.Tensor2D | null): tf.Tensor1D {
  if (logVar === null) return tf.zeros([mu.shape[0]]);
  return tf.tidy(() => klPerUnit(mu, logVar).sum(1) as tf.Tensor1D);
}

/**
 * Free bits (Kingma et al. 2016, "Improved variational inference with inverse autoregressive
 * flow"): the KL term becomes Σ_u max(λ, KL_u), KL_u the batch mean of unit u's KL, so a unit
 * below λ nats gets no KL gradient at all. `above[u]` is 1 where the whole batch's KL_u > λ
 * (freeBitsMask), so a batch split across workers, each part with its own images, adds up to the
 * same objective: each image carries Σ_u (above_u · KL_iu + (1 − above_u) · λ), and the batch
 * mean of that is Σ_u max(λ, KL_u).
 */
export interface FreeBits {
  /** λ, nats per unit. */
  lambda: number;
  above: ArrayLike<number>;
}

/** 1 for each unit whose batch-mean KL exceeds λ, 0 for the others. */
export function freeBitsMask(mu: tf.Tensor2D, logVar: tf.Tensor2D | null, lambda: number): Uint8Array {
  const mean = tf.tidy(() => klPerUnit(mu, logVar).mean(0));
  try {
    return Uint8Array.from(mean.dataSync(), (kl) => (kl > lambda ? 1 : 0));
  } finally {
    mean.dispose();
  }
}

/** Each image's KL term under free bits (see FreeBits); without them, its KL. */
export function klTerm(mu: tf.Tensor2D, logVar: tf.Tensor2D | null, freeBits?: FreeBits): tf.Tensor1D {
  if (!freeBits || logVar === null) return klDivergence(mu, logVar);
  const d = mu.shape[1];
  if (freeBits.above.length !== d) throw new Error(`Free bits need one flag per latent unit: ${d}, got ${freeBits.above.length}`);
  return tf.tidy(() => {
    const above = tf.tensor1d(Array.from(freeBits.above), 'float32');
    const floor = tf.scalar(1).sub(above).mul(freeBits.lambda);
    return klPerUnit(mu, logVar).mul(above).add(floor).sum(1) as tf.Tensor1D;
  });
}

export interface LossTensors {
  /** Batch mean of β·KL + reconstruction (β·Σ_u max(λ, KL_u) under free bits): what the optimiser minimises. */
  loss: tf.Scalar;
  reconstruction: tf.Scalar;
  /** The batch mean of the KL itself, free bits or not. */
  kl: tf.Scalar;
}

/** Batch-averaged loss terms. */
export function elbo(x: tf.Tensor, logits: tf.Tensor, mu: tf.Tensor2D, logVar: tf.Tensor2D | null, beta: number, freeBits?: FreeBits): LossTensors {
  return tf.tidy(() => {
    const reconstruction = reconstructionLoss(x, logits).mean() as tf.Scalar;
    const kl = klDivergence(mu, logVar).mean() as tf.Scalar;
    const charged = freeBits ? (klTerm(mu, logVar, freeBits).mean() as tf.Scalar) : kl;
    const loss = reconstruction.add(charged.mul(beta)) as tf.Scalar;
    return { loss, reconstruction, kl };
  });
}
