/**
 * The training panel's loss chart, drawn into an SVG of viewBox 0 0 320 200 that holds three
 * polylines ([data-series="total|reconstruction|kl"]), a [data-grid] group for tick labels and a
 * [data-test-points] group. Two stacked plots share the step axis: total and reconstruction
 * (nats per image) on top, the KL on its own scale below, where its start near zero shows.
 */
import type { LossHistory } from '../../../vae/bundle.ts';

const SVG = 'http://www.w3.org/2000/svg';
const LEFT = 36;
const RIGHT = 314;
const TOP = { y0: 8, y1: 118 };
const BOTTOM = { y0: 136, y1: 182 };

export interface TestPoint {
  step: number;
  loss: number;
}

function text(parent: Element, x: number, y: number, content: string, anchor: 'start' | 'end' | 'middle' = 'end'): void {
  const t = document.createElementNS(SVG, 'text');
  t.setAttribute('x', String(x));
  t.setAttribute('y', String(y));
  t.setAttribute('text-anchor', anchor);
  t.textContent = content;
  parent.append(t);
}

function rule(parent: Element, y: number): void {
  const l = document.createElementNS(SVG, 'line');
  for (const [k, v] of [['x1', LEFT], ['x2', RIGHT], ['y1', y], ['y2', y]] as const) l.setAttribute(k, String(v));
  parent.append(l);
}

/** A tidy number for a tick label. */
const tick = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function drawLossChart(svg: SVGSVGElement, h: LossHistory, beta: number, tests: TestPoint[]): void {
  const n = h.step.length;
  const grid = svg.querySelector('[data-grid]')!;
  const dots = svg.querySelector('[data-test-points]')!;
  grid.replaceChildren();
  dots.replaceChildren();
  for (const line of svg.querySelectorAll('[data-series]')) line.setAttribute('points', '');
  if (n === 0) return;
  const total = h.reconstruction.map((r, i) => r + beta * h.kl[i]!);
  const first = h.step[0]!;
  const last = Math.max(h.step[n - 1]!, first + 1);
  const x = (step: number) => LEFT + ((step - first) / (last - first)) * (RIGHT - LEFT);
  // The first steps fall from ~543 nats; past a tenth of the run, the scale follows the rest
  // and the start is cut off at the top.
  const settled = n >= 50 ? total.slice(Math.floor(n / 10)) : total;
  // The scale follows the training lines alone, so the same history always draws the same lines.
  const hi = Math.max(...settled);
  const lo = Math.min(...h.reconstruction);
  const span = Math.max(hi - lo, 1);
  const yTop = (v: number) => TOP.y1 - ((Math.min(Math.max(v, lo), hi) - lo) / span) * (TOP.y1 - TOP.y0);
  // The KL bursts in the first steps too; its scale also follows the rest, and the burst is cut off.
  const klMax = Math.max(...(n >= 50 ? h.kl.slice(Math.floor(n / 10)) : h.kl), 0.01) * 1.1;
  const yKl = (v: number) => BOTTOM.y1 - (Math.min(Math.max(0, v), klMax) / klMax) * (BOTTOM.y1 - BOTTOM.y0);
  const points = (values: number[], y: (v: number) => number) => values.map((v, i) => `${x(h.step[i]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  svg.querySelector('[data-series="total"]')!.setAttribute('points', points(total, yTop));
  svg.querySelector('[data-series="reconstruction"]')!.setAttribute('points', points(h.reconstruction, yTop));
  svg.querySelector('[data-series="kl"]')!.setAttribute('points', points(h.kl, yKl));
  for (const t of tests) {
    if (t.step < first) continue;
    const c = document.createElementNS(SVG, 'circle');
    c.setAttribute('cx', x(t.step).toFixed(1));
    c.setAttribute('cy', yTop(t.loss).toFixed(1));
    c.setAttribute('r', '2.2');
    dots.append(c);
  }
  rule(grid, TOP.y0);
  rule(grid, TOP.y1);
  rule(grid, BOTTOM.y0);
  rule(grid, BOTTOM.y1);
  text(grid, LEFT - 3, TOP.y0 + 3, tick(hi));
  text(grid, LEFT - 3, TOP.y1 + 3, tick(lo));
  text(grid, LEFT - 3, BOTTOM.y0 + 3, tick(klMax));
  text(grid, LEFT - 3, BOTTOM.y1 + 3, '0');
  text(grid, LEFT + 3, BOTTOM.y0 - 3, 'KL', 'start');
  text(grid, LEFT, 196, `step ${first}`, 'start');
  text(grid, RIGHT, 196, `step ${h.step[n - 1]}`);
  const i = n - 1;
  svg.setAttribute(
    'aria-label',
    `Loss per image over ${n} recorded steps, to step ${h.step[i]}: total ${total[i]!.toFixed(1)}, reconstruction ${h.reconstruction[i]!.toFixed(1)}, KL ${h.kl[i]!.toFixed(2)} nats` +
      (tests.length > 0 ? `; test loss ${tests[tests.length - 1]!.loss.toFixed(1)}` : ''),
  );
}
