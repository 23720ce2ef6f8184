/**
 * What chapter 5's training panel trains and measures, in one place for the page
 * (src/components/lib/panel/train-settings.ts, train-panel.ts, train.worker.ts, code-scatter.ts) and
 * for Node, which repeats the panel's runs to compute the numbers the chapter quotes
 * (scripts/lib/claims/panel.ts): its default settings, its seeds, and the scatter's axes.
 */
import { principalPlane, projectOnto } from './projection.ts';
import type { ModelChoice } from './spec.ts';
import type { TrainOptions } from './train.ts';

/** A model the reader picks, and how it trains. */
export interface PanelChoice extends ModelChoice {
  learningRate: number;
  batchSize: number;
  /** Steps over which the KL weight rises from 0 to β (0: no warm-up). */
  warmup: number;
  /** Free bits λ, nats per latent unit (0: off). */
  freeBits: number;
}

/** The panel's settings before the reader changes any. The MLP trains an order of magnitude faster than the conv model on a CPU (chapter 5). */
export const PANEL_DEFAULTS: Readonly<PanelChoice> = { dataset: 'mnist', arch: 'mlp', latentDim: 2, beta: 1, learningRate: 0.002, batchSize: 64, warmup: 0, freeBits: 0 };

/**
 * Chapter 5's two links on posterior collapse, each a full-panel setting: the same MLP with a
 * 16-D code and β = 4, trained without help (most units switch off) and with a KL warm-up and
 * free bits (most stay in use). `steps` is where the chapter compares them; the claims group
 * "collapse" (scripts/lib/claims/collapse.ts) trains both in Node and counts their active units.
 */
export const COLLAPSE_PRESETS = {
  collapsed: { ...PANEL_DEFAULTS, latentDim: 16, beta: 4 },
  kept: { ...PANEL_DEFAULTS, latentDim: 16, beta: 4, warmup: 500, freeBits: 0.25 },
} as const satisfies Record<string, PanelChoice>;

/** The step at which chapter 5 compares the two collapse presets. */
export const COLLAPSE_STEPS = 1000;

/** The Trainer options of a panel run with these settings (the seed is PANEL_SEED). */
export function panelTrainOptions(settings: PanelChoice): TrainOptions {
  return {
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    seed: PANEL_SEED,
    ...(settings.warmup > 0 ? { klWarmupSteps: settings.warmup } : {}),
    ...(settings.freeBits > 0 ? { freeBits: settings.freeBits } : {}),
  };
}

/** The seed of every run's initial weights, batch order and ε (Trainer's `seed`). */
export const PANEL_SEED = 1;

/**
 * Chapter 1's short panel warms the KL weight up from 0 to 1 over this many steps (so that the
 * decoder learns to read z before the KL term charges full price); the full panel does not.
 */
export const SHORT_PANEL_KL_WARMUP_STEPS = 150;

/** The seed of the test loss's ε: the same draws at every snapshot, so changes are the model's. */
export const PANEL_TEST_SEED = 12345;

/** The scatter's view of `count` codes of `dims` values: the plane it draws and the range of both axes. */
export interface ScatterView {
  /** Each code's two plotted coordinates, row-major [count, 2]. */
  xy: ArrayLike<number>;
  /** Both axes run from −range to range. */
  range: number;
  /** For codes of more than 2 dimensions, drawn on their principal plane: the share of their variance it holds. */
  planeShare?: number;
}

/**
 * 2-D codes as they are; longer ones on their principal plane (the two directions in which they
 * spread most). The axes fit the codes: range = 1.1 × the 99th percentile of |coordinate| over
 * both coordinates of every code, and at least 0.05 (early in training all codes sit near 0).
 */
export function scatterView(codes: ArrayLike<number>, count: number, dims: number): ScatterView {
  let xy: ArrayLike<number> = codes;
  let planeShare: number | undefined;
  if (dims > 2) {
    const plane = principalPlane(codes, count, dims);
    xy = projectOnto(plane, codes, count);
    planeShare = (plane.variance[0] + plane.variance[1]) / Math.max(plane.totalVariance, 1e-12);
  }
  const spread = Array.from(xy, Math.abs).sort((a, b) => a - b);
  const range = Math.max(0.05, 1.1 * (spread[Math.floor(0.99 * (spread.length - 1))] ?? 1));
  return planeShare === undefined ? { xy, range } : { xy, range, planeShare };
}
