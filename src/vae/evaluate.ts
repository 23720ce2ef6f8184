/**
 * The seed's loss on a held-out set: for each image one z ~ q(z|x) with a fixed seed (not the
 * decode of μ), reconstruction + KL averaged over images.
 */
import { tf } from './backend.ts';
import { toFloat, type ImageSet } from './data.ts';
import { klDivergence, reconstructionLoss } from './loss.ts';
import type { Vae } from './model.ts';
import { reparameterize } from './reparameterize.ts';
import { IMAGE_SIZE } from './spec.ts';

export interface EvalResult {
  images: number;
  loss: number;
  reconstruction: number;
  kl: number;
}

export function evaluate(vae: Vae, data: ImageSet, options: { batchSize?: number; seed?: number } = {}): EvalResult {
  const batchSize = options.batchSize ?? 500;
  const seed = options.seed ?? 12345;
  let rec = 0;
  let kl = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const n = Math.min(batchSize, data.count - start);
    const indices = Array.from({ length: n }, (_, k) => start + k);
    const pixels = toFloat(data, indices);
    const sums = tf.tidy(() => {
      const x = tf.tensor4d(pixels, [n, IMAGE_SIZE, IMAGE_SIZE, 1]);
      const [mu, logVar] = vae.encoder.predict(x) as [tf.Tensor2D, tf.Tensor2D];
      const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', seed + start) as tf.Tensor2D;
      const logits = vae.decoder.predict(reparameterize(mu, logVar, eps)) as tf.Tensor;
      return tf.stack([reconstructionLoss(x, logits).sum(), klDivergence(mu, logVar).sum()]);
    });
    const [r, k] = sums.dataSync();
    sums.dispose();
    rec += r!;
    kl += k!;
  }
  const beta = vae.spec.beta;
  return { images: data.count, loss: (rec + beta * kl) / data.count, reconstruction: rec / data.count, kl: kl / data.count };
}
