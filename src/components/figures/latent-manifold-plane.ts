/**
 * The latent manifold's plane without the page: where a pointer or a key press puts the ring,
 * where the ring sits on the plane of either grid, and the words the figure shows about it.
 */
import { cellPriorMass, planeCoordinate, planeFraction, type ManifoldGrid } from '../../vae/manifold-grid.ts';

export type Code = [number, number];

/** How far one arrow key moves the ring, and one with Shift. */
const KEY_STEP = 0.1;
const SHIFT_STEP = 0.5;

/** A code as the ring holds it: each coordinate within [−range, range], to two decimals. */
export function ringCode(x: number, y: number, range: number): Code {
  const clamp = (v: number) => Math.round(Math.min(range, Math.max(-range, v)) * 100) / 100;
  return [clamp(x), clamp(y)];
}

/**
 * The code under a point of the plane, given as fractions across (from the left) and down
 * (from the top), each clamped into [0, 1]. At a Gaussian edge the code is ±∞; `ringCode`
 * brings it back onto the plane.
 */
export function codeAt(across: number, down: number, range: number, grid: ManifoldGrid): Code {
  const f = (v: number) => Math.min(1, Math.max(0, v));
  return [planeCoordinate(f(across), range, grid), planeCoordinate(1 - f(down), range, grid)];
}

/** The code under a pointer at (x, y), for the plane's box on screen. */
export function pointerCode(x: number, y: number, box: { left: number; top: number; width: number; height: number }, range: number, grid: ManifoldGrid): Code {
  return codeAt((x - box.left) / box.width, (y - box.top) / box.height, range, grid);
}

/** Where a key press moves the ring from `z` (Home: the origin), or undefined for other keys. */
export function keyMove(key: string, shift: boolean, z: readonly [number, number]): Code | undefined {
  const step = shift ? SHIFT_STEP : KEY_STEP;
  const [x, y] = z;
  switch (key) {
    case 'ArrowLeft':
      return [x - step, y];
    case 'ArrowRight':
      return [x + step, y];
    case 'ArrowUp':
      return [x, y + step];
    case 'ArrowDown':
      return [x, y - step];
    case 'Home':
      return [0, 0];
    default:
      return undefined;
  }
}

/** The ring's centre in percent of the plane, from its left and from its top. */
export function ringPlace(z: readonly [number, number], range: number, grid: ManifoldGrid): { left: number; top: number } {
  return { left: planeFraction(z[0], range, grid) * 100, top: (1 - planeFraction(z[1], range, grid)) * 100 };
}

/** The ring's value in words, for its aria-valuetext. */
export function ringText(z: readonly [number, number]): string {
  return `z₁ = ${z[0].toFixed(2)}, z₂ = ${z[1].toFixed(2)}`;
}

/** The readout under the large digit. */
export function readoutText(z: readonly [number, number]): string {
  return `z = (${z[0].toFixed(2)}, ${z[1].toFixed(2)})`;
}

/**
 * With both grids on offer: the prior mass of the cell under the ring (in percent, to two
 * decimals, or two significant digits below 0.1 %) and, on the Gaussian grid, Φ of the ring's code.
 */
export function massText(z: readonly [number, number], side: number, range: number, grid: ManifoldGrid): string {
  const mass = cellPriorMass(z, side, range, grid);
  const percent = mass >= 0.001 ? (100 * mass).toFixed(2) : (100 * mass).toPrecision(2);
  const u = grid === 'gaussian' ? `Φ(z) = (${z.map((v) => planeFraction(v, range, 'gaussian').toFixed(3)).join(', ')}). ` : '';
  return `${u}The cell under the ring holds ${percent}\u00a0% of the prior’s mass.`;
}

/** How the decoding backend was chosen (see startPageBackend), for the status line. */
export function backendSentence(backend: string, how: 'your choice' | 'remembered' | 'measured' | 'only', probe?: string): string {
  const why =
    how === 'measured' && probe
      ? `measured fastest here (${probe})`
      : how === 'only'
        ? `the one fast backend here${probe ? ` (${probe})` : ''}`
        : how === 'remembered'
          ? 'measured fastest on this device before'
          : 'as you chose';
  return `Decoding live in your browser on TF.js ${backend}, ${why}.`;
}
