/**
 * Random 2-D codes without TF.js, from the seeded generator of random.ts: draws from the prior
 * N(0, I), and uniform draws from the box a model's test codes fill (what a plain autoencoder,
 * which has no prior, can be sampled from at best).
 */
import { createRng, gaussian } from './random.ts';

/** [min z₁, max z₁, min z₂, max z₂]. */
export type CodeBox = [number, number, number, number];

/** The bounding box of `count` 2-D codes (row-major [count, 2]). */
export function codeBox(mu: ArrayLike<number>, count: number): CodeBox {
  const box: CodeBox = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    box[0] = Math.min(box[0], mu[2 * i]!);
    box[1] = Math.max(box[1], mu[2 * i]!);
    box[2] = Math.min(box[2], mu[2 * i + 1]!);
    box[3] = Math.max(box[3], mu[2 * i + 1]!);
  }
  return box;
}

/** n codes uniform in the box: z₁ = lo₁ + (hi₁ − lo₁)·u, z₂ likewise, with u from createRng(seed), z₁ first. */
export function boxCodes(box: CodeBox, n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? box[0] + (box[1] - box[0]) * rng() : box[2] + (box[3] - box[2]) * rng()));
}

/** n codes from the prior N(0, I) in two dimensions, by Box–Muller on createRng(seed). */
export function priorCodes(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: 2 * n }, () => gaussian(rng));
}
