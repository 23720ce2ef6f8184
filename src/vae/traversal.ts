/**
 * Latent traversals (as in Higgins et al. 2017's β-VAE figures): start from one code, sweep one
 * unit across the prior's range with the others held, and decode each step. A unit the KL term
 * has switched off decodes the same digit all along its row; a unit in use changes it.
 */
import { decode } from './infer.ts';
import type { Vae } from './model.ts';

/** The swept values: −2 to 2 prior standard deviations in 7 even steps. */
export const TRAVERSAL_VALUES: readonly number[] = [-2, -4 / 3, -2 / 3, 0, 2 / 3, 4 / 3, 2];

export interface Traversal {
  /** The code every row starts from (the mean of the test images' μ). */
  base: number[];
  values: readonly number[];
  /** Row-major [unit, value, pixel]: unit u's row decodes base with z_u set to each value. */
  images: Float32Array;
}

/** The mean of row-major [count, dims] codes, per dimension, in float64. */
export function meanCode(codes: ArrayLike<number>, count: number, dims: number): number[] {
  const mean = new Array<number>(dims).fill(0);
  for (let i = 0; i < count * dims; i++) mean[i % dims]! += codes[i]!;
  return mean.map((v) => v / Math.max(count, 1));
}

/** The codes of every unit's sweep from `base`, row-major [unit, value, dims]. */
export function traversalCodes(base: readonly number[], values: readonly number[] = TRAVERSAL_VALUES): Float32Array {
  const d = base.length;
  const codes = new Float32Array(d * values.length * d);
  for (let u = 0; u < d; u++) {
    for (let j = 0; j < values.length; j++) {
      const row = codes.subarray((u * values.length + j) * d, (u * values.length + j + 1) * d);
      row.set(base);
      row[u] = values[j]!;
    }
  }
  return codes;
}

/** Decodes every unit's sweep from `base` with `vae`. */
export function traverse(vae: Vae, base: readonly number[], values: readonly number[] = TRAVERSAL_VALUES): Traversal {
  if (base.length !== vae.spec.latentDim) throw new Error(`A traversal of a ${vae.spec.latentDim}-D model needs a ${vae.spec.latentDim}-D base code, got ${base.length} values`);
  return { base: [...base], values, images: decode(vae, traversalCodes(base, values)) };
}
