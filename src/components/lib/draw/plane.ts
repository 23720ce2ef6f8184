/**
 * A square [cx ± half] × [cy ± half] that holds the middle 99.8 % of each coordinate of 2-D
 * points (row-major x, y), with a 5 % margin: centred on the origin for a VAE, wherever the
 * codes are for an autoencoder.
 */
export function fittedSquare(xy: Float32Array<ArrayBufferLike>): [number, number, number] {
  const axis = (k: number) => {
    const v = Float32Array.from({ length: xy.length / 2 }, (_, i) => xy[2 * i + k]!).sort();
    return [v[Math.floor(0.001 * (v.length - 1))]!, v[Math.ceil(0.999 * (v.length - 1))]!] as const;
  };
  const [[x0, x1], [y0, y1]] = [axis(0), axis(1)];
  const half = Math.max(x1 - x0, y1 - y0) * 0.525;
  const round = (v: number) => Math.round(v * 100) / 100;
  return [round((x0 + x1) / 2), round((y0 + y1) / 2), round(half)];
}

/** Where code (z1, z2) falls on a canvas of `size` pixels that shows the square [cx, cy, half], z₂ upward. */
export function planePoint([cx, cy, half]: readonly [number, number, number], size: number, z1: number, z2: number): [number, number] {
  return [((z1 - cx + half) / (2 * half)) * size, ((cy + half - z2) / (2 * half)) * size];
}

/**
 * Where a ring of radius `r` is drawn for a point (x, y) of a width × height canvas: at the
 * point, or held at the nearest place where it shows whole when the point is off the canvas
 * (`inside` says which).
 */
export function ringSpot(x: number, y: number, width: number, height: number, r: number): { x: number; y: number; inside: boolean } {
  const inside = x >= 0 && x <= width && y >= 0 && y <= height;
  return { x: Math.min(width - r, Math.max(r, x)), y: Math.min(height - r, Math.max(r, y)), inside };
}
