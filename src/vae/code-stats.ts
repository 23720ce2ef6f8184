/**
 * The arithmetic of codes that needs no model, so a figure can use it before TensorFlow.js
 * loads: the statistics behind active units (Burda, Grosse & Salakhutdinov 2015: unit u is
 * active when A_u, the variance over the images of μ_u(x), exceeds 0.01) and the codes of a
 * latent traversal (Higgins et al. 2017: one unit swept across the prior's range, the others
 * held at a base code). active-units.ts and traversal.ts decode and encode with a model.
 */

/** A_u above this makes unit u active. */
export const ACTIVE_THRESHOLD = 0.01;

/**
 * Variance of each column of a row-major [rows, cols] table, in float64 and in two passes (mean,
 * then mean squared deviation) to avoid the cancellation of E[v²] − E[v]². Divides by rows: the
 * variance of the images at hand, as A_u is defined, not an estimate for unseen ones.
 */
export function columnVariances(values: ArrayLike<number>, rows: number, cols: number): number[] {
  return Array.from({ length: cols }, (_, c) => {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += values[r * cols + c]!;
    mean /= rows;
    let ss = 0;
    for (let r = 0; r < rows; r++) ss += (values[r * cols + c]! - mean) ** 2;
    return ss / rows;
  });
}

/** The mean of row-major [count, dims] codes, per dimension, in float64. */
export function meanCode(codes: ArrayLike<number>, count: number, dims: number): number[] {
  const mean = new Array<number>(dims).fill(0);
  for (let i = 0; i < count * dims; i++) mean[i % dims]! += codes[i]!;
  return mean.map((v) => v / Math.max(count, 1));
}

/** The swept values: −2 to 2 prior standard deviations in 7 even steps. */
export const TRAVERSAL_VALUES: readonly number[] = [-2, -4 / 3, -2 / 3, 0, 2 / 3, 4 / 3, 2];

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
