/**
 * The standard normal distribution in one dimension: density φ, cumulative distribution Φ and
 * its inverse Φ⁻¹ (the quantile function), in plain double-precision JavaScript. The manifold's
 * inverse-CDF grid places its cells at z = Φ⁻¹(p), so each cell holds the same prior mass.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** φ(x) = exp(−x²/2) / √(2π). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Φ(x) = P(Z ≤ x) for Z ~ N(0, 1), to a relative error of about 10⁻¹⁴ for x ≤ 0 (so small probabilities
 * keep their digits) and an absolute error of about 10⁻¹⁶ above. Below −2 it uses the continued
 * fraction of the Mills ratio; between −2 and 0 the series of Marsaglia (2004), whose terms are
 * all of one sign; above 0, Φ(x) = 1 − Φ(−x).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 0) return 1 - normalCdf(-x);
  if (x < -2) return normalPdf(x) * millsRatio(-x);
  // Φ(x) = 1/2 + φ(x) · (x + x³/3 + x⁵/(3·5) + x⁷/(3·5·7) + …)
  let term = x;
  let sum = x;
  const x2 = x * x;
  for (let k = 3; Math.abs(term) > 1e-17 * Math.abs(sum); k += 2) {
    term *= x2 / k;
    sum += term;
  }
  return 0.5 + normalPdf(x) * sum;
}

/**
 * The Mills ratio R(t) = (1 − Φ(t)) / φ(t) for t ≥ 2, from its continued fraction
 * R(t) = 1 / (t + 1 / (t + 2 / (t + 3 / (t + …)))), evaluated from a fixed depth upwards.
 */
function millsRatio(t: number): number {
  // 300 levels give full double precision at t = 2, and more than enough beyond.
  let f = t;
  for (let k = 300; k >= 1; k--) f = t + k / f;
  return 1 / f;
}

/**
 * Φ⁻¹(p), the z with Φ(z) = p, for p in [0, 1] (±∞ at the ends, NaN outside): Wichura's
 * algorithm AS 241 (PPND16, 1988), accurate to about 1 part in 10¹⁶.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num = ((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r +
      13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r + 3.387132872796366608;
    const den = ((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r +
      5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1;
    return (q * num) / den;
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    const num = ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r +
      3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734;
    const den = ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r +
      0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1;
    x = num / den;
  } else {
    r -= 5;
    const num = ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r +
      0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772;
    const den = ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
      0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1;
    x = num / den;
  }
  return q < 0 ? -x : x;
}
