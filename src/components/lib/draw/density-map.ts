/**
 * A density on a square grid of cells as a heat map, and the outline of a set of cells: the
 * pure parts of the aggregate-posterior figure, so that they can be tested without a canvas.
 * The grid's row 0 is at the bottom (z₂ = lo); an image's row 0 is at the top.
 */

/** Stops of the ramp from low to high density: dark violet to yellow (after matplotlib's viridis), readable on light and dark pages. */
const RAMP: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The ramp's colour at t ∈ [0, 1] (clamped), linear between stops. */
export function rampColour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [RAMP[i]!, RAMP[i + 1]!];
  return [0, 1, 2].map((c) => Math.round(a[c]! + f * (b[c]! - a[c]!))) as [number, number, number];
}

/**
 * Where a cell's mass sits on a log scale of `decades` powers of ten below `top`: 1 at `top`,
 * 0 at top · 10^(−decades) and below (an empty cell too).
 */
export function logLevel(mass: number, top: number, decades: number): number {
  if (!(mass > 0) || !(top > 0)) return 0;
  return Math.min(1, Math.max(0, 1 + Math.log10(mass / top) / decades));
}

/** RGBA pixels of an n × n heat map, one pixel per cell, grid row 0 at the image's bottom. */
export function densityPixels(masses: ArrayLike<number>, n: number, top: number, decades: number): Uint8ClampedArray<ArrayBuffer> {
  if (masses.length !== n * n) throw new Error(`Expected ${n * n} cells, got ${masses.length}`);
  const pixels = new Uint8ClampedArray(4 * n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const [red, green, blue] = rampColour(logLevel(masses[r * n + c]!, top, decades));
      const at = 4 * ((n - 1 - r) * n + c);
      pixels.set([red, green, blue, 255], at);
    }
  }
  return pixels;
}

/**
 * The edges between marked and unmarked cells (the grid's border counting as unmarked), as
 * segments [x0, y0, x1, y1] in cell units of the image: x right, y down, (0, 0) its top left.
 */
export function outline(mask: ArrayLike<number>, n: number): [number, number, number, number][] {
  const on = (r: number, c: number) => r >= 0 && r < n && c >= 0 && c < n && mask[r * n + c] === 1;
  const segments: [number, number, number, number][] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!on(r, c)) continue;
      // The cell spans x ∈ [c, c + 1] and, flipped, y ∈ [n − 1 − r, n − r].
      const top = n - 1 - r;
      if (!on(r + 1, c)) segments.push([c, top, c + 1, top]);
      if (!on(r - 1, c)) segments.push([c, top + 1, c + 1, top + 1]);
      if (!on(r, c - 1)) segments.push([c, top, c, top + 1]);
      if (!on(r, c + 1)) segments.push([c + 1, top, c + 1, top + 1]);
    }
  }
  return segments;
}
