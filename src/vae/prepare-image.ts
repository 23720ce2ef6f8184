/**
 * One picture of a reader's own turned into a 28 × 28 model input, without the DOM, so the
 * page's worker and Node run the same steps on the same decoded pixels:
 *
 * 1. composite: RGBA over an opaque background colour, c' = α·c + (1 − α)·b per channel;
 * 2. grey: luminance Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as `inkFromLuminance`);
 * 3. ink: MNIST keeps ink high (255) on a ground of 0, so dark-on-light pictures are inverted;
 * 4. fit to 28 × 28, either MNIST-style (the ink's box into 20 × 20, centred by mass:
 *    `preprocessDigit`) or a plain resize of the whole picture, aspect kept, onto a ground of 0.
 *
 * Grey levels are bytes throughout, as the datasets store them.
 */
import { preprocessDigit } from './preprocess.ts';
import { IMAGE_SIZE, PIXELS } from './spec.ts';

/** How a picture is fitted into 28 × 28. */
export type FitMode = 'mnist' | 'resize';

/** An opaque background for transparent pixels, as 0–255 RGB. */
export type Rgb = readonly [number, number, number];
const WHITE: Rgb = [255, 255, 255];

/** RGBA pixels composited over `background`, then grey by BT.601 luminance, rounded to bytes. */
export function greyOver(rgba: ArrayLike<number>, background: Rgb = WHITE): Uint8Array {
  const grey = new Uint8Array(rgba.length / 4);
  for (let p = 0; p < grey.length; p++) {
    const a = rgba[4 * p + 3]! / 255;
    const r = a * rgba[4 * p]! + (1 - a) * background[0];
    const g = a * rgba[4 * p + 1]! + (1 - a) * background[1];
    const b = a * rgba[4 * p + 2]! + (1 - a) * background[2];
    grey[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return grey;
}

/**
 * Whether a grey picture is dark ink on a light ground: the mean of its outermost ring of
 * pixels, where the ground shows in nearly every picture, is above mid-grey.
 */
export function looksDarkOnLight(grey: ArrayLike<number>, width: number, height: number): boolean {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y !== 0 && y !== height - 1 && x !== 0 && x !== width - 1) continue;
      sum += grey[y * width + x]!;
      n++;
    }
  }
  return sum / n > 127.5;
}

/** 255 − v for every byte. */
export function invert(grey: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length);
  for (let p = 0; p < grey.length; p++) out[p] = 255 - grey[p]!;
  return out;
}

/**
 * Box-filter weights along one axis for resampling n pixels onto m: source pixel i covers
 * [i·m/n, (i+1)·m/n) in output units, and output pixel j takes the mean over its footprint
 * [j, j+1). When m = n each output pixel is its source pixel.
 */
function axisWeights(n: number, m: number): { i: number; j: number; w: number }[] {
  const s = m / n;
  const weights: { i: number; j: number; w: number }[] = [];
  for (let i = 0; i < n; i++) {
    const a = i * s;
    const b = (i + 1) * s;
    for (let j = Math.floor(a); j < Math.min(m, Math.ceil(b)); j++) {
      const w = Math.min(b, j + 1) - Math.max(a, j);
      if (w > 1e-12) weights.push({ i, j, w });
    }
  }
  return weights;
}

/**
 * The whole picture scaled by area averaging so that its longer side is 28 pixels, aspect
 * kept, and centred on a 28 × 28 ground of 0 (the shorter side's margin split with the odd
 * pixel after). A 28 × 28 picture comes back unchanged.
 */
export function resizeWhole(grey: ArrayLike<number>, width: number, height: number): Uint8Array {
  checkSize(grey, width, height);
  const scale = IMAGE_SIZE / Math.max(width, height);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const across = axisWeights(width, w);
  const down = axisWeights(height, h);
  const rows = new Float64Array(height * w);
  for (let y = 0; y < height; y++) {
    for (const { i, j, w: share } of across) rows[y * w + j]! += share * grey[y * width + i]!;
  }
  const out = new Uint8Array(PIXELS);
  const [left, top] = [Math.floor((IMAGE_SIZE - w) / 2), Math.floor((IMAGE_SIZE - h) / 2)];
  const scaled = new Float64Array(h * w);
  for (const { i, j, w: share } of down) {
    for (let x = 0; x < w; x++) scaled[j * w + x]! += share * rows[i * w + x]!;
  }
  // The overlaps of each output pixel's footprint add up to 1 along each axis: a weighted mean.
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[(top + y) * IMAGE_SIZE + left + x] = Math.min(255, Math.max(0, Math.round(scaled[y * w + x]!)));
  }
  return out;
}

/**
 * The MNIST-style input (`preprocessDigit`: the ink's box into 20 × 20, centred by mass) as
 * bytes, or null for a picture with no ink at all.
 */
export function fitLikeMnist(grey: ArrayLike<number>, width: number, height: number): Uint8Array | null {
  checkSize(grey, width, height);
  // Plain loops: TypedArray.from with a mapping function is many times slower in V8.
  const ink = new Float32Array(grey.length);
  for (let p = 0; p < ink.length; p++) ink[p] = grey[p]! / 255;
  const result = preprocessDigit(ink, width, height);
  if (!result.drawn) return null;
  const out = new Uint8Array(PIXELS);
  for (let p = 0; p < PIXELS; p++) out[p] = Math.round(result.image[p]! * 255);
  return out;
}

export interface PrepareOptions {
  fit: FitMode;
  /**
   * Invert grey levels before fitting (dark ink on a light ground); 'auto' inverts a picture
   * whose border is mostly light (`looksDarkOnLight`).
   */
  invert: boolean | 'auto';
  background?: Rgb;
}

/**
 * The 28 × 28 input for one decoded picture (RGBA, width × height), or null when an MNIST-style
 * fit finds no ink, and whether it was inverted.
 */
function prepareImageReport(rgba: ArrayLike<number>, width: number, height: number, options: PrepareOptions): { image: Uint8Array | null; inverted: boolean } {
  if (rgba.length !== width * height * 4) throw new Error(`Expected ${width * height * 4} RGBA bytes for ${width} × ${height}, got ${rgba.length}`);
  return prepareGrey(greyOver(rgba, options.background), width, height, options);
}

/** `prepareImageReport` for grey levels already composited. */
export function prepareGrey(grey: Uint8Array, width: number, height: number, options: PrepareOptions): { image: Uint8Array | null; inverted: boolean } {
  const inverted = options.invert === 'auto' ? looksDarkOnLight(grey, width, height) : options.invert;
  const ink = inverted ? invert(grey) : grey;
  return { image: options.fit === 'mnist' ? fitLikeMnist(ink, width, height) : resizeWhole(ink, width, height), inverted };
}

/** The 28 × 28 input for one decoded picture, or null when an MNIST-style fit finds no ink. */
export function prepareImage(rgba: ArrayLike<number>, width: number, height: number, options: PrepareOptions): Uint8Array | null {
  return prepareImageReport(rgba, width, height, options).image;
}

function checkSize(grey: ArrayLike<number>, width: number, height: number): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new Error(`Expected a whole-number width and height, got ${width} × ${height}`);
  if (grey.length !== width * height) throw new Error(`Expected ${width * height} grey levels for ${width} × ${height}, got ${grey.length}`);
}
