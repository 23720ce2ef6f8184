/**
 * Paints test codes μ(x) as dots coloured by class. 2-D codes are drawn as they are; longer
 * codes along their principal plane (src/vae/projection.ts), the two directions in which they
 * spread most. The axes fit the codes (early in training they all sit near the origin).
 */
import { scatterView } from '../../../vae/panel-recipe.ts';
import { classColours } from './class-colours.ts';

/** Draws the codes (row-major [n, dims]) and says in words what the axes are. */
export function paintCodes(canvas: HTMLCanvasElement, codes: Float32Array, labels: Uint8Array, dims: number): string {
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const n = labels.length;
  if (n === 0) return '';
  const { xy, range: r, planeShare } = scatterView(codes, n, dims);
  const axes =
    planeShare === undefined ? 'z₁ across, z₂ up' : `the ${dims}-D codes seen along the two directions in which they spread most (${(planeShare * 100).toFixed(0)}% of their variance)`;
  const palette = classColours();
  for (let i = 0; i < n; i++) {
    const px = ((xy[2 * i]! + r) / (2 * r)) * canvas.width;
    const py = ((r - xy[2 * i + 1]!) / (2 * r)) * canvas.height;
    ctx.fillStyle = palette[labels[i]! % palette.length]!;
    ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
  }
  return `${axes}; both axes from −${r.toFixed(2)} to ${r.toFixed(2)}`;
}
