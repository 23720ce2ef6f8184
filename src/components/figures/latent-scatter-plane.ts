/**
 * The latent scatter's plane without the page: where each test code is drawn (its code, or for
 * longer codes its place in their principal plane), the scales from codes to canvas pixels after
 * zoom, the dot size, which dot a pointer or an arrow key picks, and the words the figure shows.
 */
import { quadtree, type Quadtree } from 'd3-quadtree';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { LatentPoints } from '../../vae/latents-file.ts';
import { principalPlane, projectOnto } from '../../vae/projection.ts';

/** A zoom: canvas pixel p shows the unzoomed pixel (p − x) / k (as d3-zoom's ZoomTransform). */
export interface Zoom {
  k: number;
  x: number;
  y: number;
}

export type Scales = [ScaleLinear<number, number>, ScaleLinear<number, number>];

/** How far from a pointer, in CSS pixels, a dot may be and still be picked. */
export const PICK_RADIUS = 20;

/**
 * Where each point is drawn (row-major [count, 2]): its code when codes are 2-D, else its
 * coordinates along the codes' two principal directions, with a sentence that says so.
 */
export function scatterPlane(points: LatentPoints): { xy: Float32Array<ArrayBufferLike>; note: string } {
  const { count, dims, mu } = points;
  if (dims === 2) return { xy: mu, note: '' };
  const plane = principalPlane(mu, count, dims);
  const share = Math.round((100 * (plane.variance[0] + plane.variance[1])) / plane.totalVariance);
  return {
    xy: projectOnto(plane, mu, count),
    note: ` The ${dims}-D codes are drawn along their two principal directions, which hold ${share} % of their variance.`,
  };
}

/** The plane's centre from its attribute ("cx,cy"; the origin when absent). */
export function parseCentre(attribute: string | undefined): [number, number] {
  return (attribute ?? '0,0').split(',').map(Number) as [number, number];
}

/**
 * Code → CSS pixels of a canvas `size` wide that shows [cx ± range] × [cy ± range] unzoomed, z₂
 * upward, after `zoom`.
 */
export function scatterScales(range: number, [cx, cy]: readonly [number, number], size: number, zoom: Zoom): Scales {
  const { k, x, y } = zoom;
  return [
    scaleLinear()
      .domain([cx - range, cx + range])
      .range([x, x + k * size]),
    scaleLinear()
      .domain([cy - range, cy + range])
      .range([y + k * size, y]),
  ];
}

/** Whether a zoom leaves the plane as it was (no reset to offer). */
export function isIdentity(zoom: Zoom): boolean {
  return zoom.k === 1 && zoom.x === 0 && zoom.y === 0;
}

/** A dot's radius in CSS pixels: 1.2 to 3 by the canvas's size, growing as the square root of the zoom. */
export function dotRadius(size: number, k: number): number {
  return Math.max(1.2, Math.min(3, size / 300)) * Math.sqrt(k);
}

/** The points whose class is shown, class by class (the order they are drawn in). */
export function shownPoints(labels: ArrayLike<number>, count: number, hidden: ReadonlySet<number>): number[] {
  const shown: number[] = [];
  for (let label = 0; label < 10; label++) {
    if (hidden.has(label)) continue;
    for (let i = 0; i < count; i++) if (labels[i] === label) shown.push(i);
  }
  return shown;
}

/** An index of the shown points by where they are drawn, for picking. */
export function pointIndex(xy: ArrayLike<number>, shown: number[]): Quadtree<number> {
  return quadtree<number>()
    .x((i) => xy[2 * i]!)
    .y((i) => xy[2 * i + 1]!)
    .addAll(shown);
}

/** The shown point nearest to canvas pixel (px, py), if one lies within PICK_RADIUS pixels (across). */
export function pickAt(tree: Quadtree<number>, [x, y]: Scales, px: number, py: number): number | undefined {
  return tree.find(x.invert(px), y.invert(py), Math.abs(x.invert(PICK_RADIUS) - x.invert(0)));
}

/** The direction (across, up) of each arrow key. */
export const ARROWS: Readonly<Record<string, readonly [number, number]>> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

/**
 * The point an arrow key steps to from `chosen` (from the origin when it is −1): of those
 * ahead in direction `dir`, the one with the least distance ahead plus three times the distance
 * aside, among the shown ones; −1 when there is none.
 */
export function stepFrom(xy: ArrayLike<number>, labels: ArrayLike<number>, count: number, chosen: number, dir: readonly [number, number], hidden: ReadonlySet<number>): number {
  const [fx, fy] = chosen >= 0 ? [xy[2 * chosen]!, xy[2 * chosen + 1]!] : [0, 0];
  let best = -1;
  let bestCost = Infinity;
  for (let i = 0; i < count; i++) {
    if (i === chosen || hidden.has(labels[i]!)) continue;
    const dx = xy[2 * i]! - fx;
    const dy = xy[2 * i + 1]! - fy;
    const along = dx * dir[0] + dy * dir[1];
    if (along <= 1e-6) continue;
    const across = Math.abs(dx * dir[1] - dy * dir[0]);
    const cost = along + 3 * across;
    if (cost < bestCost) {
      bestCost = cost;
      best = i;
    }
  }
  return best;
}

/** The readout for test image i: its class and, for a 2-D code, the code; for a longer one, its length. */
export function readoutText(i: number, name: string, code: ArrayLike<number>): string {
  const where = code.length === 2 ? `μ = (${code[0]!.toFixed(2)}, ${code[1]!.toFixed(2)})` : `‖μ‖ = ${Math.hypot(...Array.from(code)).toFixed(2)}`;
  return `Test image #${i}: ${name}, ${where}`;
}

const thousands = (n: number) => n.toLocaleString('en');

/** The status once the codes are drawn. */
export function drawnStatus(count: number, ms: number, note: string): string {
  return `${thousands(count)} test images, drawn ${ms} ms after this figure came into view, before TensorFlow.js has loaded.${note}`;
}

/** The status once a chosen code is decoded. */
export function decodedStatus(count: number, note: string): string {
  return `${thousands(count)} test images. The chosen image’s code is decoded live.${note}`;
}
