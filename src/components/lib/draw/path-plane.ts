/**
 * The latent plane of the interpolation figure, painted on a canvas: faint test codes coloured by
 * class, the linear path (solid) and the spherical path (dashed) between two codes with a dot at
 * each decoded step and a ring at the chosen one, and the two ends marked A and B.
 */
import { classColours } from './class-colours.ts';
import { fitCanvas } from './fit-canvas.ts';
import { originAxes } from './paint.ts';
import { squareView } from './square-view.ts';
import { pathCodes, PATH_KINDS, type PathKind } from '../../../vae/interpolate.ts';
import type { LatentPoints } from '../../../vae/latents-file.ts';

export interface PathPlane {
  points: LatentPoints;
  za: ArrayLike<number>;
  zb: ArrayLike<number>;
  /** Decoded steps along each path, and the one marked. */
  steps: number;
  step: number;
  /** The plane shown is [−range, range]². */
  range: number;
  colours: { fg: string; bg: string; rule: string } & Record<PathKind, string>;
}

/** Points per drawn path: enough for a smooth arc. */
const CURVE = 65;

/** A CSS colour (custom properties may hold light-dark() pairs) resolved for the current theme, as a canvas needs it. */
export function cssColour(host: Element, name: string): string {
  const probe = document.createElement('span');
  probe.hidden = true;
  probe.style.color = `var(${name})`;
  host.append(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved;
}

/** Paints the plane at the canvas's CSS size and the screen's pixel ratio. */
export function paintPathPlane(canvas: HTMLCanvasElement, plane: PathPlane): void {
  const { points: p, za, zb, steps, step, range: r, colours } = plane;
  const [ctx, size] = fitCanvas(canvas);
  const { x, y } = squareView([0, 0], r, size);
  ctx.strokeStyle = colours.rule;
  ctx.lineWidth = 1;
  originAxes(ctx, x(0), y(0), size);
  // The test codes, faint, so the paths read over them.
  const dot = Math.max(1, size / 400);
  ctx.globalAlpha = 0.22;
  const palette = classColours();
  for (let label = 0; label < 10; label++) {
    ctx.fillStyle = palette[label]!;
    ctx.beginPath();
    for (let i = 0; i < p.count; i++) {
      if (p.labels[i] !== label) continue;
      ctx.moveTo(x(p.mu[2 * i]!) + dot, y(p.mu[2 * i + 1]!));
      ctx.arc(x(p.mu[2 * i]!), y(p.mu[2 * i + 1]!), dot, 0, 2 * Math.PI);
    }
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  for (const kind of PATH_KINDS) {
    const curve = pathCodes(kind, za, zb, CURVE);
    ctx.strokeStyle = colours[kind];
    ctx.lineWidth = 2.5;
    ctx.setLineDash(kind === 'spherical' ? [7, 5] : []);
    ctx.beginPath();
    for (let k = 0; k < CURVE; k++) ctx[k === 0 ? 'moveTo' : 'lineTo'](x(curve[2 * k]!), y(curve[2 * k + 1]!));
    ctx.stroke();
    ctx.setLineDash([]);
    const at = pathCodes(kind, za, zb, steps);
    ctx.fillStyle = colours[kind];
    for (let k = 1; k < steps - 1; k++) {
      ctx.beginPath();
      ctx.arc(x(at[2 * k]!), y(at[2 * k + 1]!), 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.beginPath();
    ctx.arc(x(at[2 * step]!), y(at[2 * step + 1]!), 8, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.font = `bold 13px ${getComputedStyle(canvas).fontFamily}`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  for (const [name, z] of [['A', za], ['B', zb]] as const) {
    const [px, py] = [x(z[0]!), y(z[1]!)];
    ctx.fillStyle = colours.bg;
    ctx.strokeStyle = colours.fg;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(px, py, 10, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = colours.fg;
    ctx.fillText(name, px, py + 0.5);
  }
}
