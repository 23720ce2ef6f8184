/**
 * The β sweep without the page: the stop a link picks, the readout of a stop, the line of
 * slope −β through a model on the rate–distortion plane, and the square the codes are drawn in.
 */

/** One stop of the slider: a model and its measured rate, distortion and bounds. */
export interface SweepPoint {
  model: string;
  beta: number;
  rate: number;
  distortion: number;
  iwae: number;
  active: number;
  /** The dashed line through the model on the plane, in SVG units: x1, y1, x2, y2. */
  tangent: [number, number, number, number];
}

/** The stop a link's `beta` value picks, or `fallback` with a note when no model has that β. */
export function linkedStop(points: readonly Pick<SweepPoint, 'beta'>[], raw: string | undefined, fallback: number): { index: number; note?: string } {
  if (raw === undefined) return { index: fallback };
  const found = points.findIndex((p) => String(p.beta) === raw.trim());
  if (found >= 0) return { index: found };
  const betas = points.map((p) => p.beta).join(', ');
  return { index: fallback, note: `The link asks for β = "${raw}", but the models here have β = ${betas}; showing β = ${points[fallback]!.beta}.` };
}

/** The line under the figure for one stop. */
export function readoutText(p: Pick<SweepPoint, 'beta' | 'rate' | 'distortion' | 'active' | 'iwae'>): string {
  const f = (v: number) => v.toFixed(2);
  return `β = ${p.beta}: rate ${f(p.rate)}, distortion ${f(p.distortion)} nats; ${p.active} of 2 latent units active; IWAE bound ${f(p.iwae)}.`;
}

/**
 * The segment of the line D + βR = D* + βR* (slope −β through the model's (R*, D*)) inside the
 * box [x0, x1] × [y0, y1] of rate and distortion, as [R, D] at its left end and at its right end:
 * it enters at the left edge or the top and leaves at the bottom or the right edge.
 */
export function tangentLine(p: Pick<SweepPoint, 'beta' | 'rate' | 'distortion'>, [x0, x1]: readonly [number, number], [y0, y1]: readonly [number, number]): [number, number, number, number] {
  const c = p.distortion + p.beta * p.rate;
  const left = Math.max(x0, (c - y1) / p.beta);
  const right = Math.min(x1, (c - y0) / p.beta);
  return [left, c - p.beta * left, right, c - p.beta * right];
}

/** The q-quantile of |v| over all values: the half-width that holds that share of the codes. */
export function quantileAbs(values: Float32Array, q: number): number {
  const sorted = Float32Array.from(values, Math.abs).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** One square for the codes of every model, so their spread can be compared: the whole half-width that holds 99.9 % of every model's values. */
export function sharedRange(codes: readonly Float32Array[]): number {
  return Math.ceil(Math.max(...codes.map((mu) => quantileAbs(mu, 0.999))));
}

/** The index of the first test image of each class 0 … classes − 1 (−1 for a class that is missing). */
export function firstOfEachClass(labels: ArrayLike<number>, classes = 10): number[] {
  return Array.from({ length: classes }, (_, c) => Array.prototype.indexOf.call(labels, c));
}

/** Where a coordinate v of [−range, range] falls on a canvas side of `size` pixels. */
export function codePixel(v: number, range: number, size: number): number {
  return ((v + range) / (2 * range)) * size;
}
