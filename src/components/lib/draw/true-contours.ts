/**
 * The posterior figure's true posterior: the engine's grids (truePosterior), decoded in chunks so
 * the page stays responsive and can cancel, then the contours that hold the shares of its mass
 * that q's 1σ and 2σ ellipses hold of q's. Imported only when the reader asks for it.
 */
import { contours } from 'd3-contour';
import type { Vae } from '../../../vae/model.ts';
import { klOnGrid, logJoint, massLevels, truePosterior } from '../../../vae/true-posterior.ts';
import type { TrueContours } from './posterior-paint.ts';

/** Shares of the mass inside a 2-D Gaussian's 1σ and 2σ ellipses, 1 − e^{−k²/2}. */
const SHARES = [1 - Math.exp(-0.5), 1 - Math.exp(-2)];
/** Codes decoded per chunk between yields to the page. */
const CHUNK = 96;

export interface TrueResult extends TrueContours {
  /** KL(q ‖ p_θ(z|x)) on the grid. */
  kl: number;
  decoded: number;
}

/** Undefined when `cancelled()` turns true before the end. */
export async function trueContours(
  vae: Vae,
  image: Float32Array,
  mu: ArrayLike<number>,
  sigma: ArrayLike<number>,
  progress: (decoded: number) => void,
  cancelled: () => boolean,
): Promise<TrueResult | undefined> {
  let done = 0;
  const evaluate = async (z: Float32Array): Promise<Float32Array | undefined> => {
    const out = new Float32Array(z.length / 2);
    for (let k = 0; k < out.length; k += CHUNK) {
      if (cancelled()) return undefined;
      const end = Math.min(out.length, k + CHUNK);
      out.set(logJoint(vae, image, z.subarray(2 * k, 2 * end)), k);
      done += end - k;
      progress(done);
      // Let the page paint and answer clicks between chunks.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return out;
  };
  const result = await truePosterior(evaluate, mu, sigma);
  if (!result || cancelled()) return undefined;
  const { grid, decoded } = result;
  const mass = Array.from(grid.logMass, Math.exp);
  const levels = massLevels(grid, SHARES).map((level) =>
    contours().size([grid.side, grid.side]).contour(mass, level).coordinates.flatMap((polygon) => polygon as [number, number][][]),
  );
  return { grid, levels, kl: klOnGrid(grid, mu, sigma), decoded };
}
