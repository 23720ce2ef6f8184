/**
 * The loss terms of a run, step by step, kept to a bounded length: once full, neighbouring
 * entries are averaged in pairs, so a long run keeps its whole shape at a coarser grain.
 */
import type { LossHistory } from '../../../vae/bundle.ts';

const HISTORY_CAP = 2000;

export function emptyHistory(): LossHistory {
  return { step: [], reconstruction: [], kl: [] };
}

export function pushLoss(h: LossHistory, step: number, reconstruction: number, kl: number): void {
  h.step.push(step);
  h.reconstruction.push(reconstruction);
  h.kl.push(kl);
  if (h.step.length < HISTORY_CAP) return;
  const half = (a: number[], pick: (x: number, y: number) => number) => Array.from({ length: Math.floor(a.length / 2) }, (_, i) => pick(a[2 * i]!, a[2 * i + 1]!));
  const mean = (x: number, y: number) => (x + y) / 2;
  h.step = half(h.step, (_, y) => y);
  h.reconstruction = half(h.reconstruction, mean);
  h.kl = half(h.kl, mean);
}

/** Drops the entries after `step` (training went back to it). */
export function truncateHistory(h: LossHistory, step: number): void {
  const keep = h.step.findIndex((s) => s > step);
  if (keep < 0) return;
  h.step.length = keep;
  h.reconstruction.length = keep;
  h.kl.length = keep;
}
