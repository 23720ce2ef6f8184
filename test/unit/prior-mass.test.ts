/** The prior's mass inside an ellipse, against closed forms and a Monte Carlo count. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { priorMassInEllipse } from '../../src/vae/prior-mass.ts';
import { assertClose, gaussianSampler } from './helpers.ts';

test('a circle of radius ρ at the origin holds 1 − exp(−ρ²/2) of N(0, I)', () => {
  for (const [s, k] of [[1, 1], [1, 2], [0.5, 2], [0.03, 2], [2, 1.5]] as const) {
    const rho = s * k;
    const exact = 1 - Math.exp(-(rho * rho) / 2);
    // The midpoint rule's error shrinks as 1/steps²: with 64 radial steps, under 2·10⁻⁴ of the value even for a wide circle.
    assertClose(priorMassInEllipse([0, 0], [s, s], k), exact, 2e-4 * exact, `σ = ${s}, k = ${k}`);
  }
});

test('a small ellipse anywhere holds about φ(μ) times its area, π k² σ₁σ₂', () => {
  const mu = [-0.41, 2.38];
  const sigma = [0.006, 0.008];
  const phi = Math.exp(-0.5 * (mu[0]! ** 2 + mu[1]! ** 2)) / (2 * Math.PI);
  const area = Math.PI * 4 * sigma[0]! * sigma[1]!;
  assertClose(priorMassInEllipse(mu, sigma) / (phi * area), 1, 1e-3, 'mass / (φ(μ)·area)');
});

test('a wide, off-centre ellipse agrees with counting prior draws that land inside it', () => {
  const mu = [0.8, -0.5];
  const sigma = [0.9, 0.4];
  const normal = gaussianSampler(21);
  const n = 200_000;
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const w1 = (normal() - mu[0]!) / sigma[0]!;
    const w2 = (normal() - mu[1]!) / sigma[1]!;
    if (w1 * w1 + w2 * w2 <= 4) inside++;
  }
  const p = inside / n;
  // Four standard errors of a binomial proportion.
  assertClose(priorMassInEllipse(mu, sigma), p, 4 * Math.sqrt((p * (1 - p)) / n), 'mass vs Monte Carlo');
});

test('refuses anything but two dimensions', () => {
  assert.throws(() => priorMassInEllipse([0, 0, 0], [1, 1, 1]), /two dimensions/);
});
