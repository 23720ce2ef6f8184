import { tf } from './backend.ts';

/** z = μ + σ ⊙ ε with σ = exp(½ log σ²): a sample of q(z|x) that is differentiable in μ and log σ². */
export function reparameterize(mu: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => mu.add(logVar.mul(0.5).exp().mul(eps)));
}
