/** The pure parts of the own-explore figure: the point under a pointer, and the codes between two codes. */

/**
 * The index of the point nearest (x, y) among `points` (x, y pairs), or −1 when none lies within
 * `reach`. Ties go to the first.
 */
export function nearestPoint(points: ArrayLike<number>, x: number, y: number, reach: number): number {
  let best = -1;
  let bestD2 = reach * reach;
  for (let i = 0; 2 * i < points.length; i++) {
    const d2 = (points[2 * i]! - x) ** 2 + (points[2 * i + 1]! - y) ** 2;
    if (d2 <= bestD2 && (best < 0 || d2 < bestD2)) {
      best = i;
      bestD2 = d2;
    }
  }
  return best;
}

/** `steps` codes evenly along the straight line from a to b, both ends included: z(t) = (1 − t)·a + t·b, t = k/(steps − 1). */
export function betweenCodes(a: ArrayLike<number>, b: ArrayLike<number>, steps: number): Float32Array {
  if (a.length !== b.length) throw new Error(`betweenCodes: codes of ${a.length} and ${b.length} dimensions`);
  if (!(Number.isInteger(steps) && steps >= 2)) throw new Error(`betweenCodes: steps must be a whole number of at least 2, not ${steps}`);
  const dims = a.length;
  const out = new Float32Array(steps * dims);
  for (let k = 0; k < steps; k++) {
    const t = k / (steps - 1);
    for (let d = 0; d < dims; d++) out[k * dims + d] = (1 - t) * a[d]! + t * b[d]!;
  }
  return out;
}
