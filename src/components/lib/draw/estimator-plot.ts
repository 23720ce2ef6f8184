/**
 * The gradient-estimator figure of chapter 3 as plain data: run both estimators many times,
 * summarise them, and lay the estimates out as shapes (dots on two strips per gradient, a shared
 * axis, the true gradient). The build renders the shapes as static SVG; the page redraws them
 * with D3 from the same layout, so the picture does not jump when the script takes over.
 */
import { scaleLinear } from 'd3-scale';
import { meanAndSd, repeatEstimates, testFunction, type EstimateSpread, type Gradient } from '../../../vae/estimators.ts';
import { createRng } from '../../../vae/random.ts';

/** The slider's values of N, roughly even on a log scale. */
export const N_STEPS = [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000] as const;
/** Estimates per estimator per draw. */
export const REPEATS = 200;
export const ESTIMATORS = ['score', 'pathwise'] as const;
export const PARTS = ['mu', 'sigma'] as const;
export type Estimator = (typeof ESTIMATORS)[number];
export type Part = (typeof PARTS)[number];

export interface FigureState {
  fn: string;
  n: number;
  mu: number;
  sigma: number;
  seed: number;
}

export const DEFAULT_STATE: FigureState = { fn: 'bowl', n: 10, mu: 0, sigma: 1, seed: 1 };

export interface Result {
  state: FigureState;
  truth: Gradient;
  spread: Record<Estimator, EstimateSpread>;
  summary: Record<Estimator, Record<Part, { mean: number; sd: number }>>;
  /** Each gradient's axis: fixed for a function, μ and σ, so that changing N shows the spread shrink. */
  domains: Record<Part, [number, number]>;
}

/** The axis spans the true gradient ± the 97th percentile of both estimators' distance from it at N = 1. */
function domains(state: FigureState, truth: Gradient): Record<Part, [number, number]> {
  const one = repeatEstimates(testFunction(state.fn), state.mu, state.sigma, 1, REPEATS, createRng(0x5eed));
  const domain = (p: Part): [number, number] => {
    const off = [...one.score[p], ...one.pathwise[p]].map((g) => Math.abs(g - truth[p])).sort((a, b) => a - b);
    const half = 1.1 * off[Math.floor(0.97 * (off.length - 1))]! || 1;
    return scaleLinear()
      .domain([truth[p] - half, truth[p] + half])
      .nice()
      .domain() as [number, number];
  };
  return { mu: domain('mu'), sigma: domain('sigma') };
}

export function simulate(state: FigureState): Result {
  const fn = testFunction(state.fn);
  const truth = fn.gradient(state.mu, state.sigma);
  const spread = repeatEstimates(fn, state.mu, state.sigma, state.n, REPEATS, createRng(state.seed));
  const summarise = (e: Estimator) => ({ mu: meanAndSd(spread[e].mu), sigma: meanAndSd(spread[e].sigma) });
  return { state, truth, spread, summary: { score: summarise('score'), pathwise: summarise('pathwise') }, domains: domains(state, truth) };
}

/** `v` with `digits` decimals, a true minus sign and no "−0". */
function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return (Number(s) === 0 ? s.replace('-', '') : s).replace('-', '−');
}

/** A number for the page, to about three significant digits. */
export function fmt(v: number): string {
  return fixed(v, Math.max(0, Math.min(4, 2 - Math.floor(Math.log10(Math.abs(v) || 1)))));
}

/** A mean and its sd, both to the decimal of the sd's second significant digit. */
export function fmtSpread(mean: number, sd: number): [string, string] {
  const digits = sd > 0 ? Math.max(0, Math.min(4, 1 - Math.floor(Math.log10(sd)))) : 2;
  return [fixed(mean, digits), fixed(sd, digits)];
}

/** The score function's standard deviation over the pathwise one, in words when the latter is 0. */
export function sdRatio(result: Result, p: Part): string {
  const { score, pathwise } = result.summary;
  if (pathwise[p].sd === 0) return score[p].sd === 0 ? '—' : '∞ (pathwise sd is 0)';
  const ratio = score[p].sd / pathwise[p].sd;
  return `${ratio.toFixed(ratio < 10 ? 1 : 0)}×`;
}

export const NAMES: Record<Estimator, string> = { score: 'score function', pathwise: 'pathwise' };
export const PART_NAMES: Record<Part, string> = { mu: '∂/∂μ', sigma: '∂/∂σ' };

/** What the plot shows, for a screen reader. */
export function describe(result: Result): string {
  const { n } = result.state;
  const parts = PARTS.map((p) => {
    const [s, w] = ESTIMATORS.map((e) => fmtSpread(result.summary[e][p].mean, result.summary[e][p].sd).join(' ± '));
    return `${PART_NAMES[p]}: true value ${fmt(result.truth[p])}; score-function estimates ${s}; pathwise ${w}.`;
  });
  return `Strip plots of ${REPEATS} estimates by each estimator, each from N = ${n} samples. ${parts.join(' ')}`;
}

export interface Line {
  cls: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
export interface Dot {
  cls: string;
  cx: number;
  cy: number;
}
export interface Label {
  cls: string;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  text: string;
}
export interface Shapes {
  width: number;
  height: number;
  /** Axes and the true gradient, under the dots. */
  under: Line[];
  dots: Dot[];
  /** Each estimator's mean ± sd, over the dots. */
  over: Line[];
  labels: Label[];
}

const PAD = 10;
const ROW = 46;
const PANEL = 36 + 2 * ROW + 30;
/** Each dot's vertical offset in its strip, fixed so that a redraw moves dots only sideways. */
const JITTER = (() => {
  const rng = createRng(7);
  return Float64Array.from({ length: 2 * REPEATS }, () => 2 * rng() - 1);
})();

export function layout(result: Result, width: number): Shapes {
  const shapes: Shapes = { width, height: 2 * PANEL, under: [], dots: [], over: [], labels: [] };
  PARTS.forEach((p, j) => {
    const top = j * PANEL;
    const x = scaleLinear().domain(result.domains[p]).range([PAD, width - PAD]);
    const [lo, hi] = result.domains[p];
    const axisY = top + 36 + 2 * ROW + 4;
    shapes.labels.push({ cls: 'panel-title', x: PAD, y: top + 18, anchor: 'start', text: `${PART_NAMES[p]} E[h(z)]` });
    ESTIMATORS.forEach((e, r) => {
      const labelY = top + 40 + r * ROW;
      const cy = labelY + 17;
      const values = result.spread[e][p];
      let beyond = 0;
      values.forEach((g, i) => {
        if (g < lo || g > hi) beyond++;
        shapes.dots.push({ cls: `dot est-${e}`, cx: x(Math.min(hi, Math.max(lo, g))), cy: cy + 10 * JITTER[r * REPEATS + i]! });
      });
      const { mean, sd } = result.summary[e][p];
      const clamp = (v: number) => x(Math.min(hi, Math.max(lo, v)));
      shapes.over.push({ cls: `sd-bar`, x1: clamp(mean - sd), y1: cy, x2: clamp(mean + sd), y2: cy });
      shapes.over.push({ cls: `mean-tick`, x1: clamp(mean), y1: cy - 9, x2: clamp(mean), y2: cy + 9 });
      const off = beyond > 0 ? ` · ${beyond} off the scale, drawn at its edge` : '';
      shapes.labels.push({ cls: `row-label est-${e}`, x: PAD, y: labelY, anchor: 'start', text: `${NAMES[e]}${off}` });
    });
    shapes.under.push({ cls: 'axis', x1: PAD, y1: axisY, x2: width - PAD, y2: axisY });
    const count = width < 420 ? 4 : 8;
    const tickText = x.tickFormat(count);
    for (const t of x.ticks(count)) {
      shapes.under.push({ cls: 'tick', x1: x(t), y1: axisY, x2: x(t), y2: axisY + 5 });
      shapes.labels.push({ cls: 'tick-label', x: x(t), y: axisY + 18, anchor: 'middle', text: tickText(t) });
    }
    shapes.under.push({ cls: 'truth', x1: x(result.truth[p]), y1: top + 26, x2: x(result.truth[p]), y2: axisY });
  });
  return shapes;
}
