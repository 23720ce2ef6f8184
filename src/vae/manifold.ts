/**
 * The decoded manifold of a 2-D model: digits decoded at the centres of a side×side grid of
 * cells, laid out as one mosaic image. The page's figure and the static preview rendered at
 * build time both use it, so they show the same picture. The cells lie on one of the two grids
 * of manifold-grid.ts: evenly spaced in z, or in prior probability.
 */
import { decode, latentGrid } from './infer.ts';
import { gridAxis, type ManifoldGrid } from './manifold-grid.ts';
import type { Vae } from './model.ts';
import { GREY_28, imageShape, imageValues, type ImageShape } from './spec.ts';

export * from './manifold-grid.ts';

/** The class a conditional model's figure and its static preview start with. */
export const PREVIEW_LABEL = 0;

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
 * The mosaic as levels round(255·p), (side·28)² grey pixels row-major (for a colour model,
 * side·W by side·H pixels of its channels, interleaved). A conditional model decodes every cell
 * with the same label: one class, its styles spread over the plane.
 */
export function manifoldMosaic(vae: Vae, side: number, range: number, label?: number, grid: ManifoldGrid = 'linear'): Uint8Array {
  if (vae.spec.latentDim !== 2) throw new Error(`A manifold mosaic needs a 2-D latent; ${vae.spec.id} has ${vae.spec.latentDim}`);
  return tileDigits(decode(vae, manifoldCodes(side, range, grid), label), side, imageShape(vae.spec));
}

export interface MosaicRows {
  label?: number | undefined;
  grid?: ManifoldGrid;
  /** Receives row r of the mosaic, (side·28) × 28 grey levels (a colour model's: its shape), as soon as it is decoded. */
  paint: (row: number, grey: Uint8Array) => void;
  /** Runs before each row after the first (a page yields here to show the rows so far); false stops. */
  between?: () => boolean | Promise<boolean>;
}

/**
 * The same mosaic decoded one row of cells at a time, top row first, so that a page shows its
 * first row after side decodes instead of waiting for all side². Returns whether every row was
 * painted (false if `between` stopped it).
 */
export async function manifoldMosaicByRows(vae: Vae, side: number, range: number, options: MosaicRows): Promise<boolean> {
  if (vae.spec.latentDim !== 2) throw new Error(`A manifold mosaic needs a 2-D latent; ${vae.spec.id} has ${vae.spec.latentDim}`);
  const codes = manifoldCodes(side, range, options.grid);
  for (let r = 0; r < side; r++) {
    if (r > 0 && options.between && !(await options.between())) return false;
    options.paint(r, tileRows(decode(vae, codes.subarray(r * side * 2, (r + 1) * side * 2), options.label), side, imageShape(vae.spec)));
  }
  return true;
}

/** side² images (784 probabilities each for grey 28 × 28) as a square mosaic of levels round(255·p). */
export function tileDigits(probs: Float32Array, side: number, shape: ImageShape = GREY_28): Uint8Array {
  return tileRows(probs.subarray(0, side * side * imageValues(shape)), side, shape);
}

/**
 * All images of `probs` (each H × W × C, channels last), `columns` to a row, as levels
 * round(255·p): a mosaic columns·W pixels wide, its channels interleaved as in each image.
 */
export function tileRows(probs: Float32Array, columns: number, shape: ImageShape = GREY_28): Uint8Array {
  const { height, width, channels } = shape;
  const n = probs.length / imageValues(shape);
  const line = columns * width * channels;
  const out = new Uint8Array(line * Math.ceil(n / columns) * height);
  let src = 0;
  for (let k = 0; k < n; k++) {
    let row = Math.floor(k / columns) * height * line + (k % columns) * width * channels;
    for (let y = 0; y < height; y++, row += line) {
      for (let x = 0; x < width * channels; x++) out[row + x] = Math.round(255 * probs[src++]!);
    }
  }
  return out;
}
