/**
 * Paths between two latent codes a and b in ℝ^d, for t from 0 (at a) to 1 (at b):
 *
 *   linear     z(t) = (1 − t)·a + t·b
 *   spherical  z(t) = sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b,   cos Ω = a·b / (|a| |b|)
 *
 * Spherical interpolation (slerp; Shoemake 1985, proposed for generative models by White 2016)
 * follows the arc between the two directions instead of the chord, so its norm does not dip in
 * the middle: with |a| = |b| it keeps that norm all the way.
 *
 * When |a| ≠ |b| that formula misbehaves near Ω = π: its weights grow like 1/sin Ω while
 * a + b no longer cancels, so the path swings out to norms many times |a| and |b|: at t = ½ the
 * point is (a + b) / (2 cos(Ω/2)), of norm about 46 for two codes of norm 1.6 and 0.8 at 179°
 * (a unit test computes it). This engine therefore applies the formula to the unit
 * vectors â = a/|a| and b̂ = b/|b| and lets the norm move linearly:
 *
 *   z(t) = ((1 − t)|a| + t|b|) · (sin((1 − t)Ω)/sin Ω · â + sin(tΩ)/sin Ω · b̂),
 *
 * which is the formula above whenever |a| = |b|, and turns through the angle at an even rate.
 */

export type PathKind = 'linear' | 'spherical';
export const PATH_KINDS: readonly PathKind[] = ['linear', 'spherical'];

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`Codes of different lengths: ${a.length} and ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/**
 * The angle Ω ∈ [0, π] between a and b, as 2·atan2(|â − b̂|, |â + b̂|) with â = a/|a|: unlike
 * acos of the cosine it keeps its digits near 0 and near π. NaN when a or b is zero.
 */
export function angleBetween(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) return NaN;
  let minus = 0;
  let plus = 0;
  for (let i = 0; i < a.length; i++) {
    minus += (a[i]! / na - b[i]! / nb) ** 2;
    plus += (a[i]! / na + b[i]! / nb) ** 2;
  }
  return 2 * Math.atan2(Math.sqrt(minus), Math.sqrt(plus));
}

/** z(t) = (1 − t)·a + t·b. */
export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): number[] {
  if (a.length !== b.length) throw new Error(`Codes of different lengths: ${a.length} and ${b.length}`);
  if (t === 0) return Array.from(a);
  if (t === 1) return Array.from(b);
  return Array.from(a, (v, i) => (1 - t) * v + t * b[i]!);
}

/** Below this angle the two directions count as one, and slerp is the straight line it tends to. */
const PARALLEL = 1e-12;
/** Within this of π the two directions are opposite, and no single arc joins them. */
const ANTIPODAL = 1e-6;

/**
 * Spherical interpolation, with the norm moving linearly (see above). Where the formula breaks
 * down it takes its limit or a fair stand-in: a zero code (no direction) or Ω ≈ 0 gives the
 * linear path; opposite directions (Ω ≈ π), joined by every great half-circle alike, turn
 * through one fixed direction û ⊥ a.
 */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): number[] {
  if (t === 0 || t === 1) return lerp(a, b, t);
  const omega = angleBetween(a, b);
  if (Number.isNaN(omega) || omega < PARALLEL) return lerp(a, b, t);
  const na = norm(a);
  const nb = norm(b);
  const r = (1 - t) * na + t * nb;
  if (Math.PI - omega < ANTIPODAL) return halfTurn(a, na, r, t);
  const s = Math.sin(omega);
  const ca = (r * Math.sin((1 - t) * omega)) / (s * na);
  const cb = (r * Math.sin(t * omega)) / (s * nb);
  return Array.from(a, (v, i) => ca * v + cb * b[i]!);
}

/** r · (cos(πt)·â + sin(πt)·û), for b pointing opposite to a. */
function halfTurn(a: ArrayLike<number>, na: number, r: number, t: number): number[] {
  const unit = Array.from(a, (v) => v / na);
  const u = perpendicular(unit);
  return unit.map((v, i) => r * (Math.cos(Math.PI * t) * v + Math.sin(Math.PI * t) * u[i]!));
}

/**
 * A unit vector at right angles to the unit vector v: in the plane, v turned by +90°; in more
 * dimensions, the axis along which v is shortest, with its part along v removed.
 */
function perpendicular(v: number[]): number[] {
  if (v.length === 1) throw new Error('A 1-D code has no perpendicular direction');
  if (v.length === 2) return [-v[1]!, v[0]!];
  let k = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) < Math.abs(v[k]!)) k = i;
  const u = v.map((x, i) => (i === k ? 1 : 0) - v[k]! * x);
  const n = norm(u);
  return u.map((x) => x / n);
}

function interpolate(kind: PathKind, a: ArrayLike<number>, b: ArrayLike<number>, t: number): number[] {
  return kind === 'spherical' ? slerp(a, b, t) : lerp(a, b, t);
}

/**
 * The codes at t = 0, 1/(steps − 1), …, 1 along one path, row-major [steps, d]: ready to decode
 * as one batch, or to draw as a polyline. The first row is a and the last is b, exactly.
 */
export function pathCodes(kind: PathKind, a: ArrayLike<number>, b: ArrayLike<number>, steps: number): Float32Array {
  if (!(Number.isInteger(steps) && steps >= 2)) throw new Error(`A path needs at least 2 steps, not ${steps}`);
  const d = a.length;
  const out = new Float32Array(steps * d);
  for (let k = 0; k < steps; k++) out.set(interpolate(kind, a, b, k === steps - 1 ? 1 : k / (steps - 1)), k * d);
  return out;
}

/** The static image of the interpolation figure's strips for test images a and b, in a model's weights folder. */
export function interpolationFile(a: number, b: number, steps: number): string {
  return `interp-${a}-${b}-${steps}.png`;
}
