/**
 * Paints test codes μ(x) as dots coloured by class. 2-D codes are drawn as they are; longer
 * codes along their principal plane (src/vae/projection.ts), the two directions in which they
 * spread most. The axes fit the codes (early in training they all sit near the origin).
 */
import { principalPlane, projectOnto } from '../../vae/projection.ts';
import { classColours } from './class-colours.ts';

/** Draws the codes (row-major [n, dims]) and says in words what the axes are. */
export function paintCodes(canvas: HTMLCanvasElement, codes: Float32Array, labels: Uint8Array, dims: number): string {
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const n = labels.length;
  if (n === 0) return '';
  let xy: Float32Array = codes;
  let axes = 'z₁ across, z₂ up';
  if (dims > 2) {
    const plane = principalPlane(codes, n, dims);
    xy = projectOnto(plane, codes, n);
    const share = ((plane.variance[0] + plane.variance[1]) / Math.max(plane.totalVariance, 1e-12)) * 100;
    axes = `the ${dims}-D codes seen along the two directions in which they spread most (${share.toFixed(0)}% of their variance)`;
  }
  const spread = Array.from(xy, Math.abs).sort((a, b) => a - b);
  const r = Math.max(0.05, 1.1 * (spread[Math.floor(0.99 * (spread.length - 1))] ?? 1));
  const palette = classColours();
  for (let i = 0; i < n; i++) {
    const px = ((xy[2 * i]! + r) / (2 * r)) * canvas.width;
    const py = ((r - xy[2 * i + 1]!) / (2 * r)) * canvas.height;
    ctx.fillStyle = palette[labels[i]!]!;
    ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
  }
  return `${axes}; both axes from −${r.toFixed(2)} to ${r.toFixed(2)}`;
}
