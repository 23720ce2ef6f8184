/**
 * Drawing for the posterior figure: a close-up of the latent plane around one digit's μ (test
 * codes, q's 1σ and 2σ ellipses, samples, the true posterior's contours) and an overview of the
 * whole plane. Plain functions of a canvas context and numbers; the figure owns the state.
 */
import { classColours } from './class-colours.ts';
import { ellipseRadii, gridToPlane, squareView } from './square-view.ts';
import type { LatentPoints } from '../../../vae/latents-file.ts';
import type { GridPosterior } from '../../../vae/true-posterior.ts';

/** Resolved CSS colours (the theme's light-dark() values, as the canvas needs them). */
export interface Colours {
  fg: string;
  muted: string;
  accent: string;
  bg: string;
  truth: string;
  /** The Gaussian fitted to this digit alone. */
  fit: string;
}

/** The true posterior on a grid, with the rings of each contour level in grid coordinates. */
export interface TrueContours {
  grid: GridPosterior;
  levels: [number, number][][][];
}

export interface CloseUp {
  /** The centre μ and the half-width h of the square shown, [μ₁ ± h] × [μ₂ ± h]. */
  mu: [number, number];
  half: number;
  /** The test codes, drawn faintly; `chosen` is left out (its μ is the cross). */
  points?: LatentPoints | undefined;
  chosen: number;
  /** q's σ and the codes drawn from it (row-major [S, 2]), once the encoder has run. */
  sigma?: ArrayLike<number> | undefined;
  z?: ArrayLike<number> | undefined;
  /** The sample drawn larger (the one whose decode the pointer is on), or −1. */
  hot: number;
  truth?: TrueContours | undefined;
  /** A Gaussian fitted to this image alone: its 1σ ellipse, dashed, with a dot at its mean. */
  fitted?: { mu: [number, number]; sigma: [number, number] } | undefined;
}

type Scale = (v: number) => number;

export function paintCloseUp(ctx: CanvasRenderingContext2D, size: number, view: CloseUp, colours: Colours): void {
  const { mu, half: h } = view;
  const { x: px, y: py, perUnit } = squareView(mu, h, size);
  const p = view.points;
  if (p) {
    ctx.globalAlpha = 0.45;
    const r = Math.max(1.5, size / 200);
    for (let label = 0; label < 10; label++) {
      ctx.fillStyle = classColours()[label]!;
      ctx.beginPath();
      for (let i = 0; i < p.count; i++) {
        if (p.labels[i] !== label || i === view.chosen) continue;
        const [a, b] = [p.mu[2 * i]!, p.mu[2 * i + 1]!];
        if (Math.abs(a - mu[0]) > h * 1.02 || Math.abs(b - mu[1]) > h * 1.02) continue;
        ctx.moveTo(px(a) + r, py(b));
        ctx.arc(px(a), py(b), r, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }
  // A scale bar of 0.1 latent units, bottom left.
  ctx.strokeStyle = colours.muted;
  ctx.fillStyle = colours.muted;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(12, size - 14);
  ctx.lineTo(12 + 0.1 * perUnit, size - 14);
  ctx.stroke();
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText('0.1', 12, size - 20);
  if (view.truth) paintTruth(ctx, px, py, view.truth, colours.truth);
  const [cx, cy] = [px(mu[0]), py(mu[1])];
  if (view.sigma) {
    const [rx, ry] = ellipseRadii(view.sigma, perUnit);
    // 2σ, dashed and lighter; then 1σ, solid in the text colour (the only pixels of exactly that colour, with μ's cross).
    ctx.strokeStyle = colours.fg;
    ctx.globalAlpha = 0.55;
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.ellipse(cx, cy, 2 * rx, 2 * ry, 0, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 0.08;
    ctx.fillStyle = colours.fg;
    ctx.beginPath();
    ctx.ellipse(cx, cy, rx, ry, 0, 0, 2 * Math.PI);
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.ellipse(cx, cy, rx, ry, 0, 0, 2 * Math.PI);
    ctx.stroke();
  }
  if (view.fitted) {
    const [rx, ry] = ellipseRadii(view.fitted.sigma, perUnit);
    const [fx, fy] = [px(view.fitted.mu[0]), py(view.fitted.mu[1])];
    ctx.strokeStyle = colours.fit;
    ctx.fillStyle = colours.fit;
    ctx.lineWidth = 2.5;
    ctx.setLineDash([7, 4]);
    ctx.beginPath();
    ctx.ellipse(fx, fy, rx, ry, 0, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.arc(fx, fy, 3.5, 0, 2 * Math.PI);
    ctx.fill();
  }
  // μ: a cross.
  ctx.strokeStyle = colours.fg;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(cx - 5, cy);
  ctx.lineTo(cx + 5, cy);
  ctx.moveTo(cx, cy - 5);
  ctx.lineTo(cx, cy + 5);
  ctx.stroke();
  const z = view.z;
  if (z) {
    for (let k = 0; k < z.length / 2; k++) {
      ctx.beginPath();
      ctx.arc(px(z[2 * k]!), py(z[2 * k + 1]!), k === view.hot ? 6 : 4, 0, 2 * Math.PI);
      ctx.fillStyle = colours.accent;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = colours.bg;
      ctx.stroke();
    }
  }
}

/** The true posterior's regions holding 39 % (solid) and 86 % (dotted) of its mass, and × at its mean. */
function paintTruth(ctx: CanvasRenderingContext2D, px: Scale, py: Scale, { grid, levels }: TrueContours, colour: string): void {
  const { box, side } = grid;
  // d3-contour's grid coordinate g is the cell edge g: cell c's centre is at c + ½.
  const at = (x: number, y: number): [number, number] => {
    const [z1, z2] = gridToPlane(box, side, x, y);
    return [px(z1), py(z2)];
  };
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  levels.forEach((rings, k) => {
    ctx.setLineDash(k === 0 ? [] : [2, 3]);
    ctx.beginPath();
    for (const ring of rings) {
      ring.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(...at(x, y)) : ctx.lineTo(...at(x, y))));
      ctx.closePath();
    }
    ctx.stroke();
  });
  ctx.setLineDash([]);
  const [mx, my] = [px(grid.mean[0]), py(grid.mean[1])];
  ctx.beginPath();
  ctx.moveTo(mx - 4, my - 4);
  ctx.lineTo(mx + 4, my + 4);
  ctx.moveTo(mx + 4, my - 4);
  ctx.lineTo(mx - 4, my + 4);
  ctx.stroke();
}

/** The whole plane [−range, range]² with every test code, and a square where the close-up is. */
export function paintOverview(ctx: CanvasRenderingContext2D, size: number, points: LatentPoints | undefined, view: { mu: [number, number]; half: number } | undefined, fg: string, range = 3.5): void {
  const { x: px, y: py } = squareView([0, 0], range, size);
  if (points) {
    ctx.globalAlpha = 0.5;
    for (let label = 0; label < 10; label++) {
      ctx.fillStyle = classColours()[label]!;
      ctx.beginPath();
      for (let i = 0; i < points.count; i++) {
        if (points.labels[i] === label) ctx.rect(px(points.mu[2 * i]!) - 0.5, py(points.mu[2 * i + 1]!) - 0.5, 1, 1);
      }
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }
  if (!view) return;
  const { mu, half: h } = view;
  ctx.strokeStyle = fg;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(px(mu[0] - h), py(mu[1] + h), px(mu[0] + h) - px(mu[0] - h), py(mu[1] - h) - py(mu[1] + h));
}
