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
