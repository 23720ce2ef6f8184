/**
 * The words and numbers of `<posterior-ellipse>` that need no page: the test image a link asks
 * for, the odds rounded as they deserve, the ellipse's shape and its neighbours in words, and the
 * true posterior's summary. Plain functions, so Node can test them.
 */
import type { LabelledCodes } from '../../vae/class-shares.ts';
import { parseWhole, type Parsed } from '../lib/page/url-state.ts';

/**
 * The test image a shared link asks for (`raw`, the URL's value): a number out of range is
 * moved to the nearest image, with a note; one that is not a number gives the fallback, with a
 * note; none gives the fallback.
 */
export function imageFromLink(raw: string | undefined, count: number, fallback: number): Parsed<number> {
  const parsed = parseWhole(raw, 0, count - 1, fallback, 'test image');
  const n = Number(raw);
  if (parsed.note && raw !== undefined && raw.trim() !== '' && Number.isFinite(n)) {
    const value = Math.min(count - 1, Math.max(0, Math.round(n)));
    return { value, note: `The link asks for test image ${raw}, but the test images are numbered 0 to ${(count - 1).toLocaleString('en')}; showing ${value}, the nearest.` };
  }
  return parsed;
}

/** 1,276 → "about 1,300": two significant figures, which is all the odds deserve. */
export function roundish(n: number): string {
  if (n < 100) return `about ${Math.round(n)}`;
  const step = 10 ** (Math.floor(Math.log10(n)) - 1);
  return `about ${(Math.round(n / step) * step).toLocaleString('en')}`;
}

/** The shape of the ellipse with half-axes σ₁ (across) and σ₂ (up), in words. */
export function ellipseShape(s1: number, s2: number): string {
  return s1 > s2 * 1.2 ? 'wider than tall' : s2 > s1 * 1.2 ? 'taller than wide' : 'close to a circle';
}

/**
 * The classes of the codes inside the square μ ± half (strictly), leaving out code `skip`, with
 * how many of each: the three most frequent, most frequent first (ties in order of first appearance).
 */
export function classesNear(points: LabelledCodes, mu: ArrayLike<number>, half: number, skip: number): [number, number][] {
  const tally = new Map<number, number>();
  for (let i = 0; i < points.count; i++) {
    if (i !== skip && Math.abs(points.mu[2 * i]! - mu[0]!) < half && Math.abs(points.mu[2 * i + 1]! - mu[1]!) < half) tally.set(points.labels[i]!, (tally.get(points.labels[i]!) ?? 0) + 1);
  }
  return [...tally].sort((a, b) => b[1] - a[1]).slice(0, 3);
}

/** What `classesNear` found, in the words of the plane's text alternative. */
export function neighboursText(top: [number, number][], name: (label: number) => string): string {
  return top.length ? `test images of class ${top.map(([c, n]) => `${name(c)} (${n})`).join(', ')} in the close-up` : 'no other test images in the close-up';
}

/** The standard deviations and the correlation of a 2-D covariance [var₁, cov₁₂, var₂]. */
export function spreadOf(cov: readonly [number, number, number]): { sd: [number, number]; r: number } {
  const sd: [number, number] = [Math.sqrt(cov[0]), Math.sqrt(cov[2])];
  return { sd, r: cov[1] / (sd[0] * sd[1]) };
}

/** What the true posterior on a grid says, as the figure reports it. */
export interface TruthSummary {
  mean: readonly [number, number];
  cov: readonly [number, number, number];
  logEvidence: number;
  edgeMass: number;
  kl: number;
  /** Decoder passes, and the seconds they took. */
  decoded: number;
  seconds: number;
}

/** The sentence under the plane once the true posterior has been computed. */
export function truthText({ mean, cov, logEvidence, edgeMass, kl, decoded, seconds }: TruthSummary): string {
  const { sd, r } = spreadOf(cov);
  return (
    `True posterior from ${decoded.toLocaleString('en')} decoder passes (${seconds.toFixed(1)} s): its mean is (${mean[0].toFixed(3)}, ${mean[1].toFixed(3)}), ` +
    `its standard deviations (${sd[0].toFixed(3)}, ${sd[1].toFixed(3)}), correlation ${r.toFixed(2)}. ` +
    `−log p_θ(x) ≈ ${(-logEvidence).toFixed(1)} nats, and KL(q ‖ p_θ(z|x)) ≈ ${kl.toFixed(2)} nats: the loss 𝓛(x) exceeds −log p_θ(x) by that much for this digit.` +
    (edgeMass > 0.01 ? ` (${(100 * edgeMass).toFixed(0)} % of the posterior lies at the grid’s edge, so these numbers are rough.)` : '')
  );
}
