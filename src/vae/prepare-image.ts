/**
 * One picture of a reader's own turned into a model input, without the DOM, so the page's
 * worker and Node run the same steps on the same decoded pixels. Grey at 28 × 28:
 *
 * 1. composite: RGBA over an opaque background colour, c' = α·c + (1 − α)·b per channel;
 * 2. grey: luminance Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as `inkFromLuminance`);
 * 3. ink: MNIST keeps ink high (255) on a ground of 0, so dark-on-light pictures are inverted;
 * 4. fit to 28 × 28, either MNIST-style (the ink's box into 20 × 20, centred by mass:
 *    `preprocessDigit`) or a plain resize of the whole picture, aspect kept, onto a ground of 0.
 *
 * Colour at 32 × 32 (`COLOUR_32`, the emoji's shape): the picture composited over the
 * background, its red, green and blue kept, and the whole picture resized with its aspect kept
 * onto a ground of the background colour. Nothing is inverted: colour has no ink.
 *
 * Levels are bytes throughout, as the datasets store them (channels last).
 */
import { preprocessDigit } from './preprocess.ts';
import { IMAGE_SIZE, PIXELS, type ImageShape } from './spec.ts';

/** The shape colour pictures are prepared at: 32 × 32 × 3, as the emoji. */
export const COLOUR_32: ImageShape = { height: 32, width: 32, channels: 3 };

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

/** RGBA pixels composited over `background`, as red, green and blue bytes. */
export function colourOver(rgba: ArrayLike<number>, background: Rgb = WHITE): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let p = 0; p < rgba.length / 4; p++) {
    const a = rgba[4 * p + 3]! / 255;
    for (let c = 0; c < 3; c++) rgb[3 * p + c] = Math.round(a * rgba[4 * p + c]! + (1 - a) * background[c]!);
  }
  return rgb;
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
 * The whole picture scaled by area averaging so that its longer side is `side` pixels (28 by
 * default), aspect kept, and centred on a `side` × `side` ground (0 by default; one level per
 * channel), the shorter side's margin split with the odd pixel after. `channels` levels per
 * pixel, channels last, each channel resized alike. A picture of that size comes back unchanged.
 */
export function resizeWhole(levels: ArrayLike<number>, width: number, height: number, channels = 1, side = IMAGE_SIZE, ground: ArrayLike<number> = [0, 0, 0]): Uint8Array {
  checkSize(levels, width, height, channels);
  const scale = side / Math.max(width, height);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const across = axisWeights(width, w);
  const down = axisWeights(height, h);
  const rows = new Float64Array(height * w * channels);
  for (let y = 0; y < height; y++) {
    for (const { i, j, w: share } of across) {
      for (let c = 0; c < channels; c++) rows[(y * w + j) * channels + c]! += share * levels[(y * width + i) * channels + c]!;
    }
  }
  const out = new Uint8Array(side * side * channels);
  for (let p = 0; p < side * side; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = ground[c] ?? 0;
  const [left, top] = [Math.floor((side - w) / 2), Math.floor((side - h) / 2)];
  const scaled = new Float64Array(h * w * channels);
  for (const { i, j, w: share } of down) {
    for (let x = 0; x < w * channels; x++) scaled[j * w * channels + x]! += share * rows[i * w * channels + x]!;
  }
  // The overlaps of each output pixel's footprint add up to 1 along each axis: a weighted mean.
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w * channels; x++) out[((top + y) * side + left) * channels + x] = Math.min(255, Math.max(0, Math.round(scaled[(y * w) * channels + x]!)));
  }
  return out;
}

/** A colour picture (red, green and blue bytes) as the 32 × 32 × 3 input: whole, aspect kept, on the background colour. */
export function fitColour(rgb: ArrayLike<number>, width: number, height: number, background: Rgb = WHITE): Uint8Array {
  return resizeWhole(rgb, width, height, COLOUR_32.channels, COLOUR_32.width, background);
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
  /** Colour at 32 × 32 (fit and invert do not apply), or grey at 28 × 28 (the default). */
  colour?: boolean;
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

/** The input for one decoded picture (grey 28 × 28, or colour 32 × 32), or null when an MNIST-style fit finds no ink. */
export function prepareImage(rgba: ArrayLike<number>, width: number, height: number, options: PrepareOptions): Uint8Array | null {
  if (options.colour) return prepareRgba(rgba, width, height, options).image;
  return prepareImageReport(rgba, width, height, options).image;
}

/** One decoded picture (RGBA) as the options say: colour at 32 × 32, or grey at 28 × 28 with its inversion. */
export function prepareRgba(rgba: ArrayLike<number>, width: number, height: number, options: PrepareOptions): { image: Uint8Array | null; inverted: boolean } {
  if (!options.colour) return prepareImageReport(rgba, width, height, options);
  if (rgba.length !== width * height * 4) throw new Error(`Expected ${width * height * 4} RGBA bytes for ${width} × ${height}, got ${rgba.length}`);
  const background = options.background ?? WHITE;
  return { image: fitColour(colourOver(rgba, background), width, height, background), inverted: false };
}

function checkSize(levels: ArrayLike<number>, width: number, height: number, channels = 1): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new Error(`Expected a whole-number width and height, got ${width} × ${height}`);
  const what = channels === 1 ? 'grey levels' : `levels (${channels} per pixel)`;
  if (levels.length !== width * height * channels) throw new Error(`Expected ${width * height * channels} ${what} for ${width} × ${height}, got ${levels.length}`);
}
