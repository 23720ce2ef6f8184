/**
 * The plane that shows most of a cloud of codes: its first two principal components. A scatter
 * of a 16-D model's codes draws each code's coordinates along them.
 */

export interface Plane {
  /** The cloud's mean, `dims` values. */
  mean: Float64Array;
  /** Two orthonormal directions, each `dims` values: the largest and second-largest variance. */
  axes: [Float64Array, Float64Array];
  /** The variance along each axis, and in all dimensions together. */
  variance: [number, number];
  totalVariance: number;
}

/** Principal plane of `count` points of `dims` values (row-major), by power iteration with deflation. */
export function principalPlane(values: ArrayLike<number>, count: number, dims: number): Plane {
  const mean = new Float64Array(dims);
  for (let i = 0; i < count; i++) for (let d = 0; d < dims; d++) mean[d]! += values[i * dims + d]! / count;
  const cov = new Float64Array(dims * dims);
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < dims; a++) {
      const da = values[i * dims + a]! - mean[a]!;
      for (let b = a; b < dims; b++) cov[a * dims + b]! += (da * (values[i * dims + b]! - mean[b]!)) / count;
    }
  }
  for (let a = 0; a < dims; a++) for (let b = 0; b < a; b++) cov[a * dims + b] = cov[b * dims + a]!;
  let totalVariance = 0;
  for (let d = 0; d < dims; d++) totalVariance += cov[d * dims + d]!;
  const top = (): [Float64Array, number] => {
    // Start from a fixed vector, so the result is the same on every run.
    let v = Float64Array.from({ length: dims }, (_, d) => 1 + d / dims);
    let lambda = 0;
    for (let iter = 0; iter < 500; iter++) {
      const w = new Float64Array(dims);
      for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) w[a]! += cov[a * dims + b]! * v[b]!;
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      const next = w.map((x) => x / norm);
      const change = Math.hypot(...next.map((x, d) => x - v[d]!));
      v = next;
      lambda = norm;
      if (change < 1e-10) break;
    }
    // A sign convention: the largest component is positive.
    const k = v.reduce((best, x, d) => (Math.abs(x) > Math.abs(v[best]!) ? d : best), 0);
    if (v[k]! < 0) v = v.map((x) => -x);
    return [v, lambda];
  };
  const [first, l1] = top();
  for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) cov[a * dims + b]! -= l1 * first[a]! * first[b]!;
  const [second, l2] = top();
  return { mean, axes: [first, second], variance: [l1, l2], totalVariance };
}

/** Each point's coordinates in the plane, row-major [count, 2]. */
export function projectOnto(plane: Plane, values: ArrayLike<number>, count: number): Float32Array {
  const dims = plane.mean.length;
  const out = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < 2; k++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += (values[i * dims + d]! - plane.mean[d]!) * plane.axes[k]![d]!;
      out[2 * i + k] = s;
    }
  }
  return out;
}
