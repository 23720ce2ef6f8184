/**
 * The posterior figure's bounds panel, in numbers and words: the stops of its k slider, the
 * sentences under it, and the scales of its small chart of 𝓛_k against k. No DOM.
 */
import type { BoundSpread } from '../../vae/posterior-fit.ts';

/** The k slider's stops: roughly even on a log scale, 1 to 1,000. */
export const K_STOPS = [1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000] as const;
/** Draws in the pool: 20 disjoint runs of the largest k. */
export const POOL_SIZE = 20 * K_STOPS[K_STOPS.length - 1]!;

const nats = (v: number) => v.toFixed(2);

/** The sentence for the slider's k, from what the pool holds so far. */
export function boundText(spread: BoundSpread, exact: number | undefined, drawn: number): string {
  const runs = spread.repeats === 1 ? 'one run' : `${spread.repeats.toLocaleString('en')} runs`;
  const spreadText = spread.repeats > 1 ? ` ± ${nats(spread.sd)}` : '';
  const exactText = exact === undefined ? '' : `; the grid’s −log p_θ(x) is ${nats(exact)}, ${nats(spread.mean - exact)} nats below`;
  const more = drawn < POOL_SIZE ? ` (${drawn.toLocaleString('en')} of ${POOL_SIZE.toLocaleString('en')} draws so far)` : '';
  return `𝓛_${spread.k} = ${nats(spread.mean)}${spreadText} nats: the mean and spread of ${runs} of k = ${spread.k.toLocaleString('en')} draws${more}${exactText}.`;
}

export interface Gaps {
  encoder: number;
  fitted: number;
  fittedStep: number;
  exact: number | undefined;
}

/** The two gaps in words, once the fit has run. */
export function gapsText({ encoder, fitted, fittedStep, exact }: Gaps): string {
  const amortization = `The amortization gap is ${nats(encoder - fitted)} nats: what one encoder for every image loses on this one (best q after ${fittedStep} of its steps).`;
  if (exact === undefined) return `${amortization} The true posterior could not be computed, so the approximation gap is unknown.`;
  return `${amortization} The approximation gap is ${nats(fitted - exact)} nats: what even the best axis-aligned Gaussian misses.`;
}

/** The chart's vertical range: every mean ± sd and the exact value, with a little room. */
export function chartRange(rows: readonly BoundSpread[], exact: number | undefined): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, r.mean - r.sd);
    hi = Math.max(hi, r.mean + r.sd);
  }
  if (exact !== undefined) {
    lo = Math.min(lo, exact);
    hi = Math.max(hi, exact);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  const pad = Math.max(0.05, 0.08 * (hi - lo));
  return [lo - pad, hi + pad];
}

/** x of stop k on a chart `width` wide (log scale, 1 at the left edge, 1,000 at the right). */
export function chartX(k: number, width: number, margin = 8): number {
  return margin + ((width - 2 * margin) * Math.log10(k)) / 3;
}

/** An error's message, for the figure's sentences. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
