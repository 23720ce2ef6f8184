/**
 * The true posterior of a 2-D model by brute force on a grid of codes:
 *   p_θ(z|x) = p_θ(x|z) p(z) / p_θ(x),   p_θ(x) ≈ Σ_cells p_θ(x|z_c) p(z_c) ΔA.
 * Intractable in general; in two dimensions a few thousand decoder passes do it, once the grid
 * sits where the posterior is. Plain numbers in and out; tensors live only inside tidy().
 */
import { tf } from './backend.ts';
import { logStandardNormal } from './iwae.ts';
import { reconstructionLoss } from './loss.ts';
import type { Vae } from './model.ts';
import { checkOneImage, imagesTensor, likelihoodLogits } from './networks.ts';

/** log p_θ(x|z) + log p(z) for one image x (784 grey levels in [0, 1]) and each code z (row-major [n, d]). */
export function logJoint(vae: Vae, image: Float32Array, z: ArrayLike<number>): Float32Array {
  checkOneImage(vae, image);
  const d = vae.spec.latentDim;
  if (z.length === 0 || z.length % d !== 0) throw new Error(`Expected a positive multiple of ${d} latent values, got ${z.length}`);
  const n = z.length / d;
  const out = tf.tidy(() => {
    const codes = tf.tensor2d(Array.from(z), [n, d]);
    const x = imagesTensor(vae, image).tile([n, 1, 1, 1]);
    // log p(x|z) is minus the summed binary cross-entropy of the loss.
    return reconstructionLoss(x, likelihoodLogits(vae, codes)).neg().add(logStandardNormal(codes));
  });
  try {
    return out.dataSync() as Float32Array;
  } finally {
    out.dispose();
  }
}

/** An axis-aligned box [x0, x1] × [y0, y1] of the latent plane. */
export interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** μ ± k σ on each axis. */
export function boxAround(mu: ArrayLike<number>, sigma: ArrayLike<number>, k: number): Box {
  return { x0: mu[0]! - k * sigma[0]!, x1: mu[0]! + k * sigma[0]!, y0: mu[1]! - k * sigma[1]!, y1: mu[1]! + k * sigma[1]! };
}

/** The centres of side × side equal cells of a box, row by row from the top (z₂ = y1) and left to right. */
export function cellCentres(box: Box, side: number): Float32Array {
  const z = new Float32Array(side * side * 2);
  const [w, h] = [(box.x1 - box.x0) / side, (box.y1 - box.y0) / side];
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      z[2 * (r * side + c)] = box.x0 + (c + 0.5) * w;
      z[2 * (r * side + c) + 1] = box.y1 - (r + 0.5) * h;
    }
  }
  return z;
}

export interface GridPosterior {
  box: Box;
  side: number;
  /** log p(z_c|x) ΔA of each cell, in the order of cellCentres: the posterior's share of the cell, in logs. */
  logMass: Float64Array;
  /** log p_θ(x) ≈ log Σ_c p_θ(x, z_c) ΔA. */
  logEvidence: number;
  /** The posterior's mean and covariance [var z₁, cov, var z₂], from the grid. */
  mean: [number, number];
  cov: [number, number, number];
  /** The posterior's share in the outermost ring of cells: near 0 when the box holds the posterior. */
  edgeMass: number;
}

/** Normalises log p_θ(x, z_c) over the grid: the evidence, the posterior per cell, its moments. */
export function gridPosterior(logJoints: ArrayLike<number>, box: Box, side: number): GridPosterior {
  const n = side * side;
  if (logJoints.length !== n) throw new Error(`Expected ${n} values for a ${side}×${side} grid, got ${logJoints.length}`);
  const logCell = Math.log(((box.x1 - box.x0) / side) * ((box.y1 - box.y0) / side));
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logJoints[k]!);
  // log Σ e^{a_c} = m + log Σ e^{a_c − m}: nothing overflows, the largest term is 1.
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp(logJoints[k]! - max);
  const logEvidence = max + Math.log(sum) + logCell;
  const logMass = Float64Array.from({ length: n }, (_, k) => logJoints[k]! + logCell - logEvidence);
  const z = cellCentres(box, side);
  let [m1, m2, edgeMass] = [0, 0, 0];
  for (let k = 0; k < n; k++) {
    const p = Math.exp(logMass[k]!);
    m1 += p * z[2 * k]!;
    m2 += p * z[2 * k + 1]!;
    const [r, c] = [Math.floor(k / side), k % side];
    if (r === 0 || c === 0 || r === side - 1 || c === side - 1) edgeMass += p;
  }
  let [v1, v12, v2] = [0, 0, 0];
  for (let k = 0; k < n; k++) {
    const p = Math.exp(logMass[k]!);
    const [a, b] = [z[2 * k]! - m1, z[2 * k + 1]! - m2];
    v1 += p * a * a;
    v12 += p * a * b;
    v2 += p * b * b;
  }
  return { box, side, logMass, logEvidence, mean: [m1, m2], cov: [v1, v12, v2], edgeMass };
}

/**
 * A box for a fine grid from a coarse one: it holds q's ±`qReach`σ box and the coarse posterior's
 * mean ± `reach` standard deviations, so that both distributions lie inside it.
 */
export function boxHolding(coarse: GridPosterior, mu: ArrayLike<number>, sigma: ArrayLike<number>, qReach = 4, reach = 5): Box {
  const q = boxAround(mu, sigma, qReach);
  const p = boxAround(coarse.mean, [Math.sqrt(coarse.cov[0]), Math.sqrt(coarse.cov[2])], reach);
  return { x0: Math.min(q.x0, p.x0), x1: Math.max(q.x1, p.x1), y0: Math.min(q.y0, p.y0), y1: Math.max(q.y1, p.y1) };
}

/**
 * The cell masses at which the highest-density regions hold the given shares of the posterior:
 * the cells with at least that mass together hold that share. As contour levels of the mass,
 * shares 1 − e^{−1/2} and 1 − e^{−2} match what a 2-D Gaussian's 1σ and 2σ ellipses hold.
 */
export function massLevels(grid: GridPosterior, shares: number[]): number[] {
  const mass = Array.from(grid.logMass, Math.exp).sort((a, b) => b - a);
  return shares.map((share) => {
    let total = 0;
    for (const m of mass) {
      total += m;
      if (total >= share) return m;
    }
    return mass[mass.length - 1]!;
  });
}

/**
 * KL(q ‖ p_θ(z|x)) on the grid, q = N(μ, diag σ²): Σ_c q_c (log q_c − log p_c), with q_c q's
 * density at the cell centres times ΔA, renormalised over the grid, and p_c the grid posterior.
 */
export function klOnGrid(grid: GridPosterior, mu: ArrayLike<number>, sigma: ArrayLike<number>): number {
  const { box, side, logMass } = grid;
  const z = cellCentres(box, side);
  const logQ = new Float64Array(side * side);
  let max = -Infinity;
  for (let k = 0; k < logQ.length; k++) {
    const w1 = (z[2 * k]! - mu[0]!) / sigma[0]!;
    const w2 = (z[2 * k + 1]! - mu[1]!) / sigma[1]!;
    logQ[k] = -0.5 * (w1 * w1 + w2 * w2);
    max = Math.max(max, logQ[k]!);
  }
  let sum = 0;
  for (const v of logQ) sum += Math.exp(v - max);
  const logNorm = max + Math.log(sum);
  let kl = 0;
  for (let k = 0; k < logQ.length; k++) {
    const lq = logQ[k]! - logNorm;
    kl += Math.exp(lq) * (lq - logMass[k]!);
  }
  return kl;
}

export interface TruePosteriorOptions {
  /** Cells per side of the first, coarse grid, and of each finer one. */
  coarse?: number;
  fine?: number;
  /** The coarse grid spans μ ± reach·σ of q: the true posterior can sit well off q's centre. */
  reach?: number;
  /** Finer grids to try at most, each placed from the last, until the edge holds under 0.1 %. */
  passes?: number;
}

/**
 * The true posterior of one image, given q's μ and σ and a way to evaluate log p_θ(x, z) on
 * codes: a coarse grid finds it, finer grids over a box holding it and q measure it. `evaluate`
 * may be asynchronous (the page decodes in chunks) and may return undefined to cancel.
 */
export async function truePosterior(
  evaluate: (z: Float32Array) => Float32Array | undefined | Promise<Float32Array | undefined>,
  mu: ArrayLike<number>,
  sigma: ArrayLike<number>,
  options: TruePosteriorOptions = {},
): Promise<{ grid: GridPosterior; decoded: number } | undefined> {
  const { coarse = 32, fine = 40, reach = 20, passes = 3 } = options;
  let box = boxAround(mu, sigma, reach);
  let values = await evaluate(cellCentres(box, coarse));
  if (!values) return undefined;
  let grid = gridPosterior(values, box, coarse);
  let decoded = coarse * coarse;
  for (let pass = 0; pass < passes; pass++) {
    box = boxHolding(grid, mu, sigma);
    values = await evaluate(cellCentres(box, fine));
    if (!values) return undefined;
    grid = gridPosterior(values, box, fine);
    decoded += fine * fine;
    if (grid.edgeMass < 1e-3) break;
  }
  return { grid, decoded };
}
