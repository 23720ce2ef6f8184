/**
 * Drawing for the posterior figure: a close-up of the latent plane around one digit's μ (test
 * codes, q's 1σ and 2σ ellipses, samples, the true posterior's contours) and an overview of the
 * whole plane. Plain functions of a canvas context and numbers; the figure owns the state.
 */
import { classColours } from './class-colours.ts';
import type { LatentPoints } from '../../../vae/latents-file.ts';
import type { GridPosterior } from '../../../vae/true-posterior.ts';

/** Resolved CSS colours (the theme's light-dark() values, as the canvas needs them). */
export interface Colours {
  fg: string;
  muted: string;
  accent: string;
  bg: string;
  truth: string;
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
}

/** Sizes a canvas to its CSS box at the device's pixel ratio and clears it; returns its context and side in CSS px. */
export function fitCanvas(canvas: HTMLCanvasElement): [CanvasRenderingContext2D, number] {
  const size = canvas.clientWidth;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(size * dpr)) {
    canvas.width = Math.round(size * dpr);
    canvas.height = Math.round(size * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size, size);
  return [ctx, size];
}

type Scale = (v: number) => number;

export function paintCloseUp(ctx: CanvasRenderingContext2D, size: number, view: CloseUp, colours: Colours): void {
  const { mu, half: h } = view;
  // z₂ upwards.
  const px: Scale = (z1) => ((z1 - mu[0] + h) / (2 * h)) * size;
  const py: Scale = (z2) => ((mu[1] + h - z2) / (2 * h)) * size;
  const perUnit = size / (2 * h);
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
    const [rx, ry] = [view.sigma[0]! * perUnit, view.sigma[1]! * perUnit];
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
  const gx = (g: number) => px(box.x0 + (g * (box.x1 - box.x0)) / side);
  const gy = (g: number) => py(box.y1 - (g * (box.y1 - box.y0)) / side);
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  levels.forEach((rings, k) => {
    ctx.setLineDash(k === 0 ? [] : [2, 3]);
    ctx.beginPath();
    for (const ring of rings) {
      ring.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(gx(x), gy(y)) : ctx.lineTo(gx(x), gy(y))));
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
  const px: Scale = (z1) => ((z1 + range) / (2 * range)) * size;
  const py: Scale = (z2) => ((range - z2) / (2 * range)) * size;
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
