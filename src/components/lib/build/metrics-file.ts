/**
 * Build-time reading of the committed models' metrics (public/weights/<id>/metrics.json), so a
 * page states only numbers that training and evaluation produced. Server side only (node:fs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelMetrics } from '../../../vae/io';

export type ShippedMetrics = ModelMetrics & {
  recipe: ModelMetrics['recipe'] & { validationImages?: number; threads?: number; klWarmupSteps?: number; learningRateSchedule?: { kind: string; from?: number; to?: number } };
};

/** The metrics of a committed model, or undefined when it has none (not trained yet). */
export function readMetrics(id: string): ShippedMetrics | undefined {
  try {
    return JSON.parse(readFileSync(join(process.cwd(), 'public', 'weights', id, 'metrics.json'), 'utf8')) as ShippedMetrics;
  } catch {
    return undefined;
  }
}

/** n with exactly `digits` decimals and thousands separators. */
export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
