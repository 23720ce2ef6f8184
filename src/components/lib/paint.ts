/** Draws decoded digits: pixel probability p ↦ grey level round(255·p), white ink on black as in MNIST. */
export const DIGIT = 28;

export function digitImage(probs: Float32Array, offset = 0): ImageData {
  const img = new ImageData(DIGIT, DIGIT);
  for (let p = 0; p < DIGIT * DIGIT; p++) {
    const v = Math.round(255 * probs[offset + p]!);
    img.data[4 * p] = v;
    img.data[4 * p + 1] = v;
    img.data[4 * p + 2] = v;
    img.data[4 * p + 3] = 255;
  }
  return img;
}

/** Paints `count` digits from `probs` into a side×side mosaic, row by row. */
export function paintMosaic(ctx: CanvasRenderingContext2D, probs: Float32Array, side: number): void {
  for (let k = 0; k < side * side; k++) {
    ctx.putImageData(digitImage(probs, k * DIGIT * DIGIT), (k % side) * DIGIT, Math.floor(k / side) * DIGIT);
  }
}
