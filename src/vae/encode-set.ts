/**
 * q(z|x) for every image of a set, in batches, so 10,000 test images never sit in one tensor.
 * Plain numbers out; each batch's tensors are freed by encode().
 */
import { toFloat, type ImageSet } from './data.ts';
import { encode, type Encoding } from './infer.ts';
import type { Vae } from './model.ts';
import { isConditional } from './networks.ts';

export function encodeSet(vae: Vae, set: ImageSet, batchSize = 500): Encoding {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`Expected a whole batch size of at least 1, got ${batchSize}`);
  const d = vae.spec.latentDim;
  const mu = new Float32Array(set.count * d);
  let logVar: Float32Array | null = null;
  for (let start = 0; start < set.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
    const labels = isConditional(vae) ? indices.map((i) => set.labels[i]!) : undefined;
    const part = encode(vae, toFloat(set, indices), labels);
    mu.set(part.mu, start * d);
    if (part.logVar) (logVar ??= new Float32Array(set.count * d)).set(part.logVar, start * d);
  }
  return { mu, logVar };
}
