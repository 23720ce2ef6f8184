/**
 * Draws decoded images as levels round(255·p): grey digits white on black as in MNIST, colour
 * images with their channels interleaved (red, green, blue per pixel).
 */
import { GREY_28, type ImageShape } from '../../../vae/spec.ts';

export const DIGIT = 28;

/** An opaque ImageData from `channels` bytes per pixel (1: grey, 3: red, green, blue). */
export function levelsImage(levels: Uint8Array, width: number, height: number, channels = 1): ImageData {
  if (channels !== 1 && channels !== 3) throw new Error(`cannot paint ${channels} channels`);
  const img = new ImageData(width, height);
  const data = img.data;
  for (let p = 0, s = 0; p < width * height; p++, s += channels) {
    const r = levels[s]!;
    data[4 * p] = r;
    data[4 * p + 1] = channels === 3 ? levels[s + 1]! : r;
    data[4 * p + 2] = channels === 3 ? levels[s + 2]! : r;
    data[4 * p + 3] = 255;
  }
  return img;
}

/** An opaque ImageData from one byte of grey per pixel. */
export function greyImage(grey: Uint8Array, width: number, height: number): ImageData {
  return levelsImage(grey, width, height, 1);
}

/** One image of `shape` (28 × 28 grey unless said) from its pixel probabilities, channels last. */
export function probsImage(probs: Float32Array, shape: ImageShape = GREY_28): ImageData {
  const levels = new Uint8Array(shape.height * shape.width * shape.channels);
  for (let p = 0; p < levels.length; p++) levels[p] = Math.round(255 * probs[p]!);
  return levelsImage(levels, shape.width, shape.height, shape.channels);
}

/** One 28×28 digit from pixel probabilities. */
export function digitImage(probs: Float32Array): ImageData {
  return probsImage(probs, GREY_28);
}

/** The two axes through the origin, at pixel (x0, y0) of a square canvas of `size` pixels, in the context's current stroke style. */
export function originAxes(ctx: CanvasRenderingContext2D, x0: number, y0: number, size: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, 0);
  ctx.lineTo(x0, size);
  ctx.moveTo(0, y0);
  ctx.lineTo(size, y0);
  ctx.stroke();
}
