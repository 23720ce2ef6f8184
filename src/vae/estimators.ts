/**
 * Two Monte Carlo estimators of ∇ E[h(z)] for z ~ N(μ, σ²), with respect to μ and σ, on test
 * functions whose true gradient is known in closed form. Both take the same standard normal
 * draws ε and set z = μ + σε:
 *
 *   score function:  ∇ E[h(z)] = E[h(z) ∇ log q(z)],   ∂_μ log q = ε/σ,  ∂_σ log q = (ε² − 1)/σ
 *   pathwise:        ∇ E[h(z)] = E[h′(z) ∂z/∂·],       ∂z/∂μ = 1,        ∂z/∂σ = ε
 */
import { gaussian, type Rng } from './random.ts';

export interface Gradient {
  /** ∂/∂μ E[h(z)] */
  mu: number;
  /** ∂/∂σ E[h(z)] */
  sigma: number;
}

export interface TestFunction {
  id: string;
  /** How the page names it. */
  label: string;
  f(z: number): number;
  /** h′(z), where it exists (the step's derivative is 0 everywhere but at its jump). */
  df(z: number): number;
  /** The exact ∇ E[h(z)] for z ~ N(μ, σ²). */
  gradient(mu: number, sigma: number): Gradient;
}

/** The target of the bowl (z − t)². */
const T = 2;
/** The frequency of the wiggle sin(ωz). */
const OMEGA = 5;
/** The standard normal density φ. */
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

export const TEST_FUNCTIONS: readonly TestFunction[] = [
  {
    // E[(z − t)²] = (μ − t)² + σ²
    id: 'bowl',
    label: `bowl: (z − ${T})²`,
    f: (z) => (z - T) ** 2,
    df: (z) => 2 * (z - T),
    gradient: (mu, sigma) => ({ mu: 2 * (mu - T), sigma: 2 * sigma }),
  },
  {
    // E[sin ωz] = sin(ωμ) e^{−ω²σ²/2}
    id: 'wiggle',
    label: `wiggle: sin ${OMEGA}z`,
    f: (z) => Math.sin(OMEGA * z),
    df: (z) => OMEGA * Math.cos(OMEGA * z),
    gradient: (mu, sigma) => {
      const damp = Math.exp(-0.5 * OMEGA * OMEGA * sigma * sigma);
      return { mu: OMEGA * Math.cos(OMEGA * mu) * damp, sigma: -OMEGA * OMEGA * sigma * Math.sin(OMEGA * mu) * damp };
    },
  },
  {
    // E[1(z > 0)] = Φ(μ/σ)
    id: 'step',
    label: 'step: 1 if z > 0',
    f: (z) => (z > 0 ? 1 : 0),
    df: () => 0,
    gradient: (mu, sigma) => ({ mu: phi(mu / sigma) / sigma, sigma: (-mu / (sigma * sigma)) * phi(mu / sigma) }),
  },
];

export function testFunction(id: string): TestFunction {
  const fn = TEST_FUNCTIONS.find((t) => t.id === id);
  if (!fn) throw new Error(`No test function "${id}"; there are ${TEST_FUNCTIONS.map((t) => t.id).join(', ')}`);
  return fn;
}

/** (1/N) Σ f(z_k) ∇ log N(z_k; μ, σ²), z_k = μ + σε_k. */
export function scoreFunctionEstimate(fn: TestFunction, mu: number, sigma: number, eps: ArrayLike<number>): Gradient {
  let gMu = 0;
  let gSigma = 0;
  for (let k = 0; k < eps.length; k++) {
    const e = eps[k]!;
    const fz = fn.f(mu + sigma * e);
    gMu += (fz * e) / sigma;
    gSigma += (fz * (e * e - 1)) / sigma;
  }
  return { mu: gMu / eps.length, sigma: gSigma / eps.length };
}

/** (1/N) Σ_s h′(z⁽ˢ⁾) ∂z⁽ˢ⁾/∂(μ, σ) = (1/N) Σ_s h′(z⁽ˢ⁾) (1, ε⁽ˢ⁾), z⁽ˢ⁾ = μ + σε⁽ˢ⁾. */
export function pathwiseEstimate(fn: TestFunction, mu: number, sigma: number, eps: ArrayLike<number>): Gradient {
  let gMu = 0;
  let gSigma = 0;
  for (let k = 0; k < eps.length; k++) {
    const e = eps[k]!;
    const dfz = fn.df(mu + sigma * e);
    gMu += dfz;
    gSigma += dfz * e;
  }
  return { mu: gMu / eps.length, sigma: gSigma / eps.length };
}

/** `repeats` independent estimates of each component, by one estimator. */
export interface EstimateSpread {
  mu: Float64Array;
  sigma: Float64Array;
}

/**
 * Each estimator `repeats` times, every estimate from `n` fresh draws of ε. Both estimators see
 * the same draws, so their difference is the estimator's, not the luck of the sample.
 */
export function repeatEstimates(fn: TestFunction, mu: number, sigma: number, n: number, repeats: number, rng: Rng): { score: EstimateSpread; pathwise: EstimateSpread } {
  const score = { mu: new Float64Array(repeats), sigma: new Float64Array(repeats) };
  const pathwise = { mu: new Float64Array(repeats), sigma: new Float64Array(repeats) };
  const eps = new Float64Array(n);
  for (let r = 0; r < repeats; r++) {
    for (let k = 0; k < n; k++) eps[k] = gaussian(rng);
    const s = scoreFunctionEstimate(fn, mu, sigma, eps);
    const p = pathwiseEstimate(fn, mu, sigma, eps);
    score.mu[r] = s.mu;
    score.sigma[r] = s.sigma;
    pathwise.mu[r] = p.mu;
    pathwise.sigma[r] = p.sigma;
  }
  return { score, pathwise };
}

/** The mean and the sample standard deviation (divisor n − 1). */
export function meanAndSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}
