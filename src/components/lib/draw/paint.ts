/** Draws decoded digits as grey levels round(255·p), white ink on black as in MNIST. */
export const DIGIT = 28;

/** An opaque ImageData from one byte of grey per pixel. */
export function greyImage(grey: Uint8Array, width: number, height: number): ImageData {
  const img = new ImageData(width, height);
  for (let p = 0; p < width * height; p++) {
    const v = grey[p]!;
    img.data[4 * p] = v;
    img.data[4 * p + 1] = v;
    img.data[4 * p + 2] = v;
    img.data[4 * p + 3] = 255;
  }
  return img;
}

/** One 28×28 digit from pixel probabilities. */
export function digitImage(probs: Float32Array): ImageData {
  const grey = new Uint8Array(DIGIT * DIGIT);
  for (let p = 0; p < grey.length; p++) grey[p] = Math.round(255 * probs[p]!);
  return greyImage(grey, DIGIT, DIGIT);
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
