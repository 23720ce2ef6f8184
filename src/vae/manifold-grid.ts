/**
 * The two grids of the manifold mosaic, without TF.js, so figures can place their handle before
 * the engine has loaded. The linear grid splits [−range, range]² into equal squares. The
 * Gaussian one, as in Kingma & Welling's figure, splits each axis into `side` intervals of equal
 * prior probability, [Φ⁻¹(j/side), Φ⁻¹((j+1)/side)], and decodes z = Φ⁻¹((j + ½)/side): since
 * p(z) = N(0, I) factorises over the axes, every cell holds the same prior mass 1/side².
 */
import { normalCdf, normalQuantile } from './normal.ts';

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
