/**
 * The training panel's per-unit KL chart, as numbers: one bar per latent unit, its height the
 * unit's mean KL on the test images (nats) on an axis from 0 to the largest KL (at least 0.5),
 * marked active when its activity A_u = Cov_x(E_q[z_u]) exceeds the threshold. Free of the DOM,
 * so the layout is unit-tested; unit-view.ts turns it into SVG.
 */
interface UnitBar {
  unit: number;
  kl: number;
  activity: number;
  active: boolean;
  x: number;
  width: number;
  /** Top of the bar; the bars stand on y = baseline. */
  y: number;
  height: number;
}

export interface UnitBarLayout {
  bars: UnitBar[];
  /** The KL at the top of the axis, nats. */
  top: number;
  baseline: number;
  /** Under free bits: where the line at λ goes (the axis always reaches λ). */
  lambdaY?: number;
}

/** Bars in a `width` × `height` box, leaving `labelHeight` below them for the unit numbers. */
export function unitBars(kl: readonly number[], activity: readonly number[], threshold: number, width: number, height: number, options: { labelHeight?: number; lambda?: number } = {}): UnitBarLayout {
  if (kl.length !== activity.length) throw new Error(`Expected a KL and an activity per unit: ${kl.length} KLs, ${activity.length} activities`);
  const labelHeight = options.labelHeight ?? 14;
  const baseline = height - labelHeight;
  const top = Math.max(0.5, ...kl.map((v) => (Number.isFinite(v) ? v : 0)), options.lambda ?? 0);
  const slot = width / Math.max(kl.length, 1);
  const bars = kl.map((v, unit) => {
    const h = Number.isFinite(v) ? (Math.max(0, v) / top) * (baseline - 2) : 0;
    return { unit, kl: v, activity: activity[unit]!, active: activity[unit]! > threshold, x: unit * slot + slot * 0.15, width: slot * 0.7, y: baseline - h, height: h };
  });
  const layout: UnitBarLayout = { bars, top, baseline };
  if (options.lambda && options.lambda > 0) layout.lambdaY = baseline - (options.lambda / top) * (baseline - 2);
  return layout;
}

/** "5 of 16 units active (Cov_x E_q[z_u] > 0.01)": the readout above the chart. */
export function activeUnitsText(active: number, units: number, threshold: number): string {
  return `${active} of ${units} ${units === 1 ? 'unit' : 'units'} active (Cov_x E_q[z_u] > ${threshold})`;
}
