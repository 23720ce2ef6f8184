/**
 * A pen stroke through sampled pointer positions, traced as a smooth line: quadratic curves
 * through the midpoints between samples, with the samples as their control points, so the line
 * turns without corners; a single sample is a dot as wide as the pen.
 */

/** The path calls a stroke makes (a canvas context has them all). */
export type StrokeContext = Pick<CanvasRenderingContext2D, 'beginPath' | 'arc' | 'fill' | 'moveTo' | 'quadraticCurveTo' | 'lineTo' | 'stroke'>;

/** Traces and paints one stroke; `points` is flat (x, y, x, y, …), `pen` the line's width. */
export function traceStroke(ctx: StrokeContext, points: readonly number[], pen: number): void {
  const p = points;
  ctx.beginPath();
  if (p.length <= 2) {
    ctx.arc(p[0]!, p[1]!, pen / 2, 0, 2 * Math.PI);
    ctx.fill();
    return;
  }
  ctx.moveTo(p[0]!, p[1]!);
  for (let k = 2; k + 2 < p.length; k += 2) ctx.quadraticCurveTo(p[k]!, p[k + 1]!, (p[k]! + p[k + 2]!) / 2, (p[k + 1]! + p[k + 3]!) / 2);
  ctx.lineTo(p.at(-2)!, p.at(-1)!);
  ctx.stroke();
}
