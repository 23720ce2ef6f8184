/**
 * Special functions for the numbers the prose quotes (scripts/lib/claims/), in double precision:
 * the log-gamma function and the regularised lower incomplete gamma function, both in log space
 * so that Γ(257) ≈ 10⁵⁰⁴ and probabilities of 10⁻²³ keep their digits.
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0. Shifts x up to at least 15 with Γ(x) = Γ(x + 1)/x, then takes Stirling's
 * series ln Γ(x) = (x − ½) ln x − x + ½ ln 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + …,
 * whose next term is below 10⁻¹⁷ there.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`logGamma needs x > 0, not ${x}`);
  let shift = 0;
  while (x < 15) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series - shift;
}

/**
 * ln P(a, x), where P(a, x) = γ(a, x)/Γ(a) = P(X ≤ x) for X ~ Gamma(a, 1), for a > 0 and x ≥ 0,
 * from the series P(a, x) = xᵃ e⁻ˣ / Γ(a + 1) · Σₙ xⁿ / ((a + 1)(a + 2)…(a + n)). Every term is
 * positive, so nothing cancels; it converges fastest for x < a + 1, the lower tail.
 */
export function logRegularizedLowerGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new Error(`P(a, x) needs a > 0 and x ≥ 0, not a = ${a}, x = ${x}`);
  if (x === 0) return -Infinity;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 100_000 && term > 1e-17 * sum; n++) {
    term *= x / (a + n);
    sum += term;
  }
  return a * Math.log(x) - x - logGamma(a + 1) + Math.log(sum);
}
