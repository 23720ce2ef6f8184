/**
 * Latent traversals (as in Higgins et al. 2017's β-VAE figures): start from one code, sweep one
 * unit across the prior's range with the others held, and decode each step. A unit the KL term
 * has switched off decodes the same digit all along its row; a unit in use changes it.
 */
import { decode } from './infer.ts';
import type { Vae } from './model.ts';
import { traversalCodes, TRAVERSAL_VALUES } from './code-stats.ts';

export interface Traversal {
  /** The code every row starts from (the mean of the test images' μ). */
  base: number[];
  values: readonly number[];
  /** Row-major [unit, value, pixel]: unit u's row decodes base with z_u set to each value. */
  images: Float32Array;
}

/** Decodes every unit's sweep from `base` with `vae`. */
export function traverse(vae: Vae, base: readonly number[], values: readonly number[] = TRAVERSAL_VALUES): Traversal {
  if (base.length !== vae.spec.latentDim) throw new Error(`A traversal of a ${vae.spec.latentDim}-D model needs a ${vae.spec.latentDim}-D base code, got ${base.length} values`);
  return { base: [...base], values, images: decode(vae, traversalCodes(base, values)) };
}
