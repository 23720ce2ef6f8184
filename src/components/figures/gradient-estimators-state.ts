/**
 * The gradient-estimator figure's state without the page: what a shared link asks for, checked
 * and snapped to the controls; what goes back into the link; and the words under the controls.
 */
import type { FigureState } from '../lib/draw/estimator-plot.ts';
import { parseChoice, parseClamped } from '../lib/page/url-state.ts';

/** The figure's keys in the URL, after its prefix: `grad.f`, `grad.n`, `grad.mu`, `grad.sigma`. */
export const LINK_KEYS = ['f', 'n', 'mu', 'sigma'] as const;
export type LinkKey = (typeof LINK_KEYS)[number];

/** The slider step nearest to n on a log scale (of two equally near, the smaller). */
export function nearestStep(n: number, steps: readonly number[]): number {
  return steps.reduce((best, s) => (Math.abs(Math.log(s / n)) < Math.abs(Math.log(best / n)) ? s : best), steps[0]!);
}

export interface LinkedState {
  state: FigureState;
  /** What had to change, in words for the reader (empty when the link was fine or absent). */
  notes: string[];
  /** Whether the link carried any of the figure's keys. */
  linked: boolean;
}

/**
 * The state a link asks for: h one of `fns`, N in [1, 1000] snapped to a slider step, μ in
 * [−3, 3] and σ in [0.1, 3] clamped and rounded to the sliders' 0.1; each value that is missing
 * or unreadable falls back to `defaults`. `read` gives the link's raw value of a key.
 */
export function linkedState(read: (key: LinkKey) => string | undefined, options: { fns: readonly string[]; steps: readonly number[]; defaults: FigureState; seed: number }): LinkedState {
  const { fns, steps, defaults, seed } = options;
  const fn = parseChoice(read('f'), fns, defaults.fn, 'the function');
  const n = parseClamped(read('n'), 1, 1000, defaults.n, 'N');
  const mu = parseClamped(read('mu'), -3, 3, defaults.mu, 'μ');
  const sigma = parseClamped(read('sigma'), 0.1, 3, defaults.sigma, 'σ');
  const notes = [fn, n, mu, sigma].flatMap((p) => (p.note ? [p.note] : []));
  const snapped = nearestStep(n.value, steps);
  if (!n.note && snapped !== n.value) notes.push(`N = ${n.value} lies between the slider's steps; showing N = ${snapped}.`);
  const tenth = (v: number) => Math.round(v * 10) / 10;
  const state: FigureState = { fn: fn.value, n: snapped, mu: tenth(mu.value), sigma: tenth(sigma.value), seed };
  return { state, notes, linked: LINK_KEYS.some((k) => read(k) !== undefined) };
}

/** The link's values for a state (the seed stays out: "Draw again" is not shared). */
export function linkValues(state: FigureState): Record<LinkKey, string> {
  return { f: state.fn, n: String(state.n), mu: state.mu.toFixed(1), sigma: state.sigma.toFixed(1) };
}

/** Each slider's readout, also its aria-valuetext. */
export function sliderTexts(state: FigureState): { n: string; mu: string; sigma: string } {
  return { n: `N = ${state.n}`, mu: `μ = ${state.mu.toFixed(1)}`, sigma: `σ = ${state.sigma.toFixed(1)}` };
}

/** The status line: how many estimates of how many samples, and which draw from the first seed. */
export function drawText(state: FigureState, firstSeed: number, repeats: number): string {
  return `${repeats} estimates by each estimator, each from N = ${state.n} samples (draw ${state.seed - firstSeed + 1}, seed ${state.seed}).`;
}
