/**
 * A drawing turned into an MNIST-style input, the way MNIST's digits were made from NIST's
 * (LeCun et al.): the ink's bounding box is scaled to fit a 20 × 20 box with its aspect ratio
 * kept, each new pixel taking the share of ink that falls on it (anti-aliasing gives grey
 * levels), and the box is placed in a 28 × 28 image so that its centre of mass lands on the
 * centre (14, 14), shifted by the mass offset rounded to whole pixels.
 *
 * Positions are pixel indices: pixel (x, y) sits at (x, y), so a 28-pixel side runs 0 … 27 and
 * MNIST's test digits have their centres of mass in [13.5, 14.5]².
 */
import { IMAGE_SIZE, PIXELS } from './spec.ts';

/** The side of the box the ink is scaled into. */
const INK_BOX = 20;
/** Where the centre of mass goes, in both coordinates. */
const MASS_CENTRE = IMAGE_SIZE / 2;

interface InkBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Preprocessed =
  | { drawn: false }
  | {
      drawn: true;
      /** 784 grey levels in [0, 1], row-major 28 × 28. */
      image: Float32Array;
      /** The ink's bounding box in the drawing. */
      box: InkBox;
      /** Output pixels per drawing pixel: 20 / the box's longer side. */
      scale: number;
      /** Whole pixels the scaled box was moved by, from the image's top-left corner. */
      shift: [number, number];
    };

/** Ink in [0, 1] from RGBA pixels: their opacity (strokes on a transparent canvas). */
export function inkFromAlpha(rgba: ArrayLike<number>): Float32Array {
  const ink = new Float32Array(rgba.length / 4);
  for (let p = 0; p < ink.length; p++) ink[p] = rgba[4 * p + 3]! / 255;
  return ink;
}

/** Ink in [0, 1] from RGBA pixels by luminance: light ink on a dark ground, or dark ink on light. */
export function inkFromLuminance(rgba: ArrayLike<number>, inkIsLight: boolean): Float32Array {
  const ink = new Float32Array(rgba.length / 4);
  for (let p = 0; p < ink.length; p++) {
    const y = (0.299 * rgba[4 * p]! + 0.587 * rgba[4 * p + 1]! + 0.114 * rgba[4 * p + 2]!) / 255;
    ink[p] = inkIsLight ? y : 1 - y;
  }
  return ink;
}

/**
 * Box-filter weights along one axis: source pixel i covers [i·s, (i+1)·s) in output units, and
 * output pixel j = Σᵢ srcᵢ · |[i·s, (i+1)·s) ∩ [j, j+1)|, the mean ink over its footprint.
 */
function coverage(n: number, s: number): { size: number; weights: { i: number; j: number; w: number }[] } {
  const size = Math.ceil(n * s - 1e-9);
  const weights: { i: number; j: number; w: number }[] = [];
  for (let i = 0; i < n; i++) {
    const a = i * s;
    const b = Math.min((i + 1) * s, size);
    for (let j = Math.floor(a); j < b; j++) {
      const w = Math.min(b, j + 1) - Math.max(a, j);
      if (w > 0) weights.push({ i, j, w });
    }
  }
  return { size, weights };
}

/**
 * The MNIST-style 28 × 28 input for a drawing: `ink` holds width × height values in [0, 1]
 * (row-major; values outside are clamped). Pixels above `threshold` count as ink for the
 * bounding box. A drawing with no ink gives `{ drawn: false }`, not a blank image.
 */
export function preprocessDigit(ink: ArrayLike<number>, width: number, height: number, threshold = 0): Preprocessed {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`Expected a whole-number width and height, got ${width} × ${height}`);
  }
  if (ink.length !== width * height) throw new Error(`Expected ${width * height} ink values for ${width} × ${height}, got ${ink.length}`);
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!(ink[y * width + x]! > threshold)) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  if (x1 < 0) return { drawn: false };
  const box = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  const scale = INK_BOX / Math.max(box.width, box.height);
  const across = coverage(box.width, scale);
  const down = coverage(box.height, scale);
  const [w, h] = [across.size, down.size];

  // Scale rows, then columns: the box filter is separable.
  const rows = new Float64Array(box.height * w);
  for (let y = 0; y < box.height; y++) {
    const row = (y0 + y) * width + x0;
    for (const { i, j, w: share } of across.weights) rows[y * w + j]! += share * Math.min(1, Math.max(0, ink[row + i]!));
  }
  const scaled = new Float64Array(h * w);
  for (const { i, j, w: share } of down.weights) {
    for (let x = 0; x < w; x++) scaled[j * w + x]! += share * rows[i * w + x]!;
  }

  // Centre of mass (x̄, ȳ) = Σ v·(x, y) / Σ v, then the whole-pixel shift that brings it nearest to (14, 14).
  let [mass, mx, my] = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = scaled[y * w + x]!;
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  if (!(mass > 0)) return { drawn: false };
  const dx = Math.round(MASS_CENTRE - mx / mass);
  const dy = Math.round(MASS_CENTRE - my / mass);

  const image = new Float32Array(PIXELS);
  for (let y = 0; y < h; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= IMAGE_SIZE) continue;
    for (let x = 0; x < w; x++) {
      const tx = x + dx;
      if (tx < 0 || tx >= IMAGE_SIZE) continue;
      image[ty * IMAGE_SIZE + tx] = Math.min(1, scaled[y * w + x]!);
    }
  }
  return { drawn: true, image, box, scale, shift: [dx, dy] };
}
