/**
 * The decoded manifold of a 2-D model: digits decoded at the centres of a side×side grid of
 * cells, laid out as one mosaic image. The page's figure and the static preview rendered at
 * build time both use it, so they show the same picture.
 *
 * Two grids. The linear one splits [−range, range]² into equal squares. The Gaussian one, as in
 * Kingma & Welling's figure, splits each axis into `side` intervals of equal prior probability,
 * [Φ⁻¹(j/side), Φ⁻¹((j+1)/side)], and decodes z = Φ⁻¹((j + ½)/side): since p(z) = N(0, I)
 * factorises over the axes, every cell holds the same prior mass 1/side².
 */
import { decode, latentGrid } from './infer.ts';
import type { Vae } from './model.ts';
import { normalCdf, normalQuantile } from './normal.ts';
import { IMAGE_SIZE } from './spec.ts';

/** The class a conditional model's figure and its static preview start with. */
export const PREVIEW_LABEL = 0;

/** How the mosaic's cells are spaced: evenly in z, or evenly in prior probability. */
export type ManifoldGrid = 'linear' | 'gaussian';
export const MANIFOLD_GRIDS: readonly ManifoldGrid[] = ['linear', 'gaussian'];

/** Cell centres along one axis, ascending: −range + (2j + 1)·range/side, or Φ⁻¹((j + ½)/side). */
export function gridAxis(side: number, range: number, grid: ManifoldGrid): number[] {
  return Array.from({ length: side }, (_, j) => (grid === 'gaussian' ? normalQuantile((j + 0.5) / side) : -range + ((2 * j + 1) * range) / side));
}

/**
 * Where the value z of one coordinate sits across the plane, as a fraction from its low edge:
 * (z + range) / (2·range) on the linear grid, Φ(z) on the Gaussian one.
 */
export function planeFraction(z: number, range: number, grid: ManifoldGrid): number {
  return grid === 'gaussian' ? normalCdf(z) : (z + range) / (2 * range);
}

/** The inverse of planeFraction: the coordinate at fraction f of the plane (±∞ at a Gaussian edge). */
export function planeCoordinate(f: number, range: number, grid: ManifoldGrid): number {
  return grid === 'gaussian' ? normalQuantile(f) : -range + 2 * range * f;
}

/** Cell centres, row by row from the top: the cell under a point z shows decode(centre). */
export function manifoldCodes(side: number, range: number, grid: ManifoldGrid = 'linear'): Float32Array {
  if (grid === 'linear') {
    const half = range / side;
    return latentGrid(side, -range + half, range - half);
  }
  const axis = gridAxis(side, range, grid);
  const z = new Float32Array(side * side * 2);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      z[(r * side + c) * 2] = axis[c]!;
      z[(r * side + c) * 2 + 1] = axis[side - 1 - r]!;
    }
  }
  return z;
}

/**
 * The prior probability P(z ∈ cell) of the mosaic cell that holds the point z:
 * ∏ₐ [Φ(bₐ) − Φ(aₐ)] over the cell's edges aₐ < bₐ on each axis. It is 1/side² for every cell
 * of the Gaussian grid; on the linear grid it falls from the centre to the corners.
 */
export function cellPriorMass(z: readonly [number, number], side: number, range: number, grid: ManifoldGrid): number {
  let mass = 1;
  for (const v of z) {
    const j = Math.min(side - 1, Math.max(0, Math.floor(planeFraction(v, range, grid) * side)));
    const a = planeCoordinate(j / side, range, grid);
    const b = planeCoordinate((j + 1) / side, range, grid);
    // Φ(b) − Φ(a) = Φ(−a) − Φ(−b): take the side where both probabilities are small, so no digits cancel.
    mass *= a > 0 ? normalCdf(-a) - normalCdf(-b) : normalCdf(b) - normalCdf(a);
  }
  return mass;
}

/**
 * The mosaic as grey levels round(255·p), (side·28)² pixels, row-major. A conditional model
 * decodes every cell with the same label: one class, its styles spread over the plane.
 */
export function manifoldMosaic(vae: Vae, side: number, range: number, label?: number, grid: ManifoldGrid = 'linear'): Uint8Array {
  if (vae.spec.latentDim !== 2) throw new Error(`A manifold mosaic needs a 2-D latent; ${vae.spec.id} has ${vae.spec.latentDim}`);
  return tileDigits(decode(vae, manifoldCodes(side, range, grid), label), side);
}

/** side² digits (784 probabilities each) laid out row by row as grey levels round(255·p), (side·28)² pixels. */
export function tileDigits(probs: Float32Array, side: number): Uint8Array {
  const width = side * IMAGE_SIZE;
  const grey = new Uint8Array(width * width);
  for (let k = 0; k < side * side; k++) {
    const x0 = (k % side) * IMAGE_SIZE;
    const y0 = Math.floor(k / side) * IMAGE_SIZE;
    for (let p = 0; p < IMAGE_SIZE * IMAGE_SIZE; p++) {
      const x = x0 + (p % IMAGE_SIZE);
      const y = y0 + Math.floor(p / IMAGE_SIZE);
      grey[y * width + x] = Math.round(255 * probs[k * IMAGE_SIZE * IMAGE_SIZE + p]!);
    }
  }
  return grey;
}
