/**
 * A toy dataset drawn procedurally with a seed: outlines of circles, squares, triangles and
 * crosses of random size, position, rotation and stroke width, as 28 × 28 grey levels (ink 255
 * on 0, like MNIST). It lets anyone try the "your own data" figure without files at hand, and
 * gives its tests data. Anti-aliased by 4 × 4 samples per pixel. No Node and no DOM.
 */
import { createRng, type Rng } from './random.ts';
import { IMAGE_SIZE, PIXELS } from './spec.ts';

export const TOY_CLASSES = ['circle', 'square', 'triangle', 'cross'] as const;

export interface ToySet {
  classes: string[];
  /** count × 784 grey levels. */
  images: Uint8Array;
  labels: Uint8Array;
}

type Point = readonly [number, number];
type Segment = readonly [Point, Point];

/** The distance from p to the segment ab. */
export function segmentDistance(p: Point, [a, b]: Segment): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** The closed polygon through `corners` as segments. */
function outline(corners: Point[]): Segment[] {
  return corners.map((c, i) => [c, corners[(i + 1) % corners.length]!] as const);
}

/** `n` corners of a regular polygon of circumradius r around (cx, cy), the first at angle θ. */
function regular(n: number, cx: number, cy: number, r: number, theta: number): Point[] {
  return Array.from({ length: n }, (_, k) => [cx + r * Math.cos(theta + (2 * Math.PI * k) / n), cy + r * Math.sin(theta + (2 * Math.PI * k) / n)] as const);
}

/** How far a point lies from the outline of shape `label` with these parameters, in pixels. */
function shapeDistance(label: number, cx: number, cy: number, r: number, theta: number): (p: Point) => number {
  if (label === 0) return (p) => Math.abs(Math.hypot(p[0] - cx, p[1] - cy) - r);
  let segments: Segment[];
  if (label === 1) segments = outline(regular(4, cx, cy, r * Math.SQRT2 * 0.8, theta + Math.PI / 4));
  else if (label === 2) segments = outline(regular(3, cx, cy, r * 1.1, theta - Math.PI / 2));
  else
    segments = [0, 1].map((k) => {
      const [a, b] = regular(2, cx, cy, r, theta + (k * Math.PI) / 2);
      return [a!, b!] as const;
    });
  return (p) => {
    let best = Infinity;
    for (const s of segments) best = Math.min(best, segmentDistance(p, s));
    return best;
  };
}

/** One shape of class `label`, drawn with draws from `rng`. */
function drawShape(label: number, rng: Rng, out: Uint8Array): void {
  // Size and place keep every shape inside rows and columns 1 to 26.
  const r = 5 + 3 * rng();
  const cx = IMAGE_SIZE / 2 + (rng() - 0.5) * 4;
  const cy = IMAGE_SIZE / 2 + (rng() - 0.5) * 4;
  const theta = rng() * 2 * Math.PI;
  const half = (1.5 + 1.5 * rng()) / 2;
  const distance = shapeDistance(label, cx, cy, r, theta);
  const SUB = 4;
  // A pixel whose centre lies farther than half a diagonal from the stroke's edge is all in or all out.
  const corner = Math.SQRT1_2;
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      const d = distance([x + 0.5, y + 0.5]);
      if (d >= half + corner || d <= half - corner) {
        out[y * IMAGE_SIZE + x] = d <= half ? 255 : 0;
        continue;
      }
      let inside = 0;
      for (let sy = 0; sy < SUB; sy++) {
        for (let sx = 0; sx < SUB; sx++) if (distance([x + (sx + 0.5) / SUB, y + (sy + 0.5) / SUB]) <= half) inside++;
      }
      out[y * IMAGE_SIZE + x] = Math.round((255 * inside) / (SUB * SUB));
    }
  }
}

/** `count` shapes, the classes in turn (so each has ⌊count/4⌋ or one more), the same for the same seed. */
export function toyShapes(count: number, seed = 1): ToySet {
  if (!(Number.isInteger(count) && count > 0)) throw new Error(`toyShapes: count must be a positive whole number, not ${count}`);
  const rng = createRng(seed);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % TOY_CLASSES.length;
    drawShape(labels[i]!, rng, images.subarray(i * PIXELS, (i + 1) * PIXELS));
  }
  return { classes: [...TOY_CLASSES], images, labels };
}
