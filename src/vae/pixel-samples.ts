/**
 * A sample from the decoder's likelihood p(x|z) instead of its mean: every pixel of a Bernoulli
 * decoder is black or white, independently, with P(x_i = 1) = π_i. The figures draw π (the mean,
 * E[x | z]); a sample shows what the model's likelihood says an image looks like. Plain
 * arithmetic on the seeded generator of random.ts, no TF.js.
 */
import { createRng } from './random.ts';

/** One x ~ p(x|z) per image: x_i = 1 where u_i < π_i, with u_i uniform from createRng(seed), pixel by pixel in order. */
export function bernoulliSample(probs: ArrayLike<number>, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: probs.length }, (_, i) => (rng() < probs[i]! ? 1 : 0));
}

/** The same draw on 8-bit grey levels (a painted row of digits): 255 where u_i < g_i / 255, else 0. */
export function bernoulliGrey(grey: ArrayLike<number>, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: grey.length }, (_, i) => (rng() < grey[i]! / 255 ? 255 : 0));
}

/** What a figure shows of p(x|z): its mean π, or one sample (`<model>.pixels` in the URL). */
export type PixelsShown = 'mean' | 'sample';
export const PIXELS_SHOWN: readonly PixelsShown[] = ['mean', 'sample'];
