/**
 * The numbers chapters 2 and 4 quote about one digit's bounds on the shipped 2-D model, computed
 * as the posterior figure computes them (src/vae/posterior-fit.ts): for three test digits, 𝓛(x)
 * under the encoder's q and under the Gaussian fitted to the digit alone (200 gradient steps,
 * scored by Gauss–Hermite quadrature), the grid's −log p_θ(x), and the two gaps; for test image
 * 0, the grid's quadrature error and the importance-weighted bound 𝓛_k from 20,000 draws, as the figure's k slider shows it.
 */
import { initBackend } from '../../../src/vae/backend.ts';
import { loadSplit, toFloat } from '../../../src/vae/data.ts';
import { encode } from '../../../src/vae/infer.ts';
import { loadVae } from '../../../src/vae/io.ts';
import { disposeVae } from '../../../src/vae/model.ts';
import { boundSpread, fitPosterior, logWeightPool, type FitStep, type GaussianCode } from '../../../src/vae/posterior-fit.ts';
import { getSpec } from '../../../src/vae/spec.ts';
import { logJoint, truePosterior } from '../../../src/vae/true-posterior.ts';
import { readPublic } from '../files.ts';

const MODEL = 'mnist-conv-z2';
/** Chapter 2's named test digits: a 7 (image 0), the too-wide posterior (3841) and 8811. */
export const GAP_IMAGES = [0, 3841, 8811] as const;
export const K_VALUES = [1, 10, 100, 1000] as const;
const POOL = 20_000;

export async function compute(): Promise<Record<string, number>> {
  await initBackend({ prefer: ['wasm'] });
  const vae = await loadVae(getSpec(MODEL), readPublic, `weights/${MODEL}`);
  try {
    const test = await loadSplit(readPublic, 'data/mnist', 'test');
    const out: Record<string, number> = {};
    for (const index of GAP_IMAGES) {
      const image = toFloat(test, [index]);
      const { mu, logVar } = encode(vae, image);
      const q: GaussianCode = { mu: [mu[0]!, mu[1]!], logVar: [logVar![0]!, logVar![1]!] };
      const run = fitPosterior(vae, image, q);
      let next = run.next();
      const encoder = next.value as FitStep;
      while (!next.done) next = run.next();
      const best = next.value;
      const sigma = [Math.exp(0.5 * q.logVar[0]!), Math.exp(0.5 * q.logVar[1]!)];
      const evaluate = (z: Float32Array) => logJoint(vae, image, z);
      const exact = -(await truePosterior(evaluate, q.mu, sigma))!.grid.logEvidence;
      const id = `gaps.image${index}`;
      out[`${id}.encoder`] = encoder.loss;
      out[`${id}.fitted`] = best.loss;
      out[`${id}.exact`] = exact;
      out[`${id}.amortization`] = encoder.loss - best.loss;
      out[`${id}.approximation`] = best.loss - exact;
      if (index === 0) {
        // The grid's quadrature error: how far grids with twice the cells per side move −log p_θ(x).
        const finer = -(await truePosterior(evaluate, q.mu, sigma, { coarse: 64, fine: 80 }))!.grid.logEvidence;
        out['gaps.image0.gridError'] = Math.abs(finer - exact);
        const pool = new Float32Array(POOL);
        let filled = 0;
        for (const chunk of logWeightPool(vae, image, q, POOL, { chunk: 500 })) {
          pool.set(chunk, filled);
          filled += chunk.length;
        }
        for (const k of K_VALUES) {
          const spread = boundSpread(pool, k);
          out[`gaps.image0.iwae${k}`] = spread.mean;
          out[`gaps.image0.iwae${k}Sd`] = spread.sd;
        }
      }
    }
    return out;
  } finally {
    disposeVae(vae);
  }
}
