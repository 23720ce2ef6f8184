/**
 * The geometry of a square piece of the latent plane painted on a square canvas: the square
 * [cx − half, cx + half] × [cy − half, cy + half] fills a side of `size` CSS pixels, z₁ to the
 * right and z₂ upwards. Figures map codes to pixels with it, and a pointer's position back to
 * the code under it. Plain arithmetic, no DOM.
 */

export interface SquareView {
  /** The pixel column of z₁ and the pixel row of z₂ (CSS pixels from the top left). */
  x(z1: number): number;
  y(z2: number): number;
  /** Pixels per latent unit. */
  perUnit: number;
  /** The code under a pixel position (CSS pixels from the top left). */
  toPlane(px: number, py: number): [number, number];
}

export function squareView(centre: ArrayLike<number>, half: number, size: number): SquareView {
  if (!(half > 0)) throw new Error(`A square view needs a positive half-width, not ${half}`);
  const [cx, cy] = [centre[0]!, centre[1]!];
  return {
    x: (z1) => ((z1 - cx + half) / (2 * half)) * size,
    y: (z2) => ((cy + half - z2) / (2 * half)) * size,
    perUnit: size / (2 * half),
    toPlane: (px, py) => [cx - half + (2 * half * px) / size, cy + half - (2 * half * py) / size],
  };
}

/** The square's extent [x0, x1, y0, y1] in latent units. */
export function viewBounds(centre: ArrayLike<number>, half: number): [number, number, number, number] {
  const [cx, cy] = [centre[0]!, centre[1]!];
  return [cx - half, cx + half, cy - half, cy + half];
}

/**
 * The radii in pixels of the kσ ellipse of a diagonal Gaussian N(μ, diag σ²): the axis-aligned
 * ellipse through the points at Mahalanobis distance k from μ.
 */
export function ellipseRadii(sigma: ArrayLike<number>, perUnit: number, k = 1): [number, number] {
  return [k * (sigma[0]! * perUnit), k * (sigma[1]! * perUnit)];
}

/** A box [x0, x1] × [y0, y1] of the latent plane cut into side × side equal cells. */
export interface GridBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * The latent point at grid coordinates (gx, gy) of a side × side grid over `box` whose rows run
 * from the top (z₂ = y1) down, as contour tracers number it: gx = c is the left edge of column c
 * (so c + ½ is its centre), gy = r the top edge of row r.
 */
export function gridToPlane(box: GridBox, side: number, gx: number, gy: number): [number, number] {
  return [box.x0 + (gx * (box.x1 - box.x0)) / side, box.y1 - (gy * (box.y1 - box.y0)) / side];
}
