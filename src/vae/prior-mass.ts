/**
 * How much of the prior p(z) = N(0, I) lies inside the k-σ ellipse of a diagonal Gaussian
 * q = N(μ, diag σ²): the chance that a code drawn from the prior lands where q puts its mass.
 * Plain arithmetic, no TF.js, so a figure can say it before the engine has loaded.
 */

/**
 * P(z ∈ E) for z ~ N(0, I) and E = { μ + σ ⊙ w : ‖w‖ ≤ k } in two dimensions:
 *   ∫_{‖w‖≤k} φ(μ + σ ⊙ w) σ₁σ₂ dw,
 * by the midpoint rule in polar coordinates w = r (cos t, sin t), dw = r dr dt.
 */
export function priorMassInEllipse(mu: ArrayLike<number>, sigma: ArrayLike<number>, k = 2, steps = 64): number {
  if (mu.length !== 2 || sigma.length !== 2) throw new Error('priorMassInEllipse works in two dimensions');
  const [m1, m2, s1, s2] = [mu[0]!, mu[1]!, sigma[0]!, sigma[1]!];
  const dr = k / steps;
  const angles = 2 * steps;
  const dt = (2 * Math.PI) / angles;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const r = (i + 0.5) * dr;
    for (let j = 0; j < angles; j++) {
      const t = (j + 0.5) * dt;
      const z1 = m1 + s1 * r * Math.cos(t);
      const z2 = m2 + s2 * r * Math.sin(t);
      sum += Math.exp(-0.5 * (z1 * z1 + z2 * z2)) * r;
    }
  }
  return (sum * s1 * s2 * dr * dt) / (2 * Math.PI);
}
