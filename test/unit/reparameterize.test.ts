/**
 * The reparameterisation z = μ + σ ⊙ ε: its value for a fixed ε, and its gradients with respect
 * to μ and log σ² (through a non-linear f) against float64 central finite differences.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { reparameterize } from '../../src/vae/reparameterize.ts';
import { assertClose, gaussianSampler, maxAbs, take, tf, useWasm } from './helpers.ts';

before(async () => {
  await useWasm();
});

const N = 3;
const D = 4;
const normal = gaussianSampler(31);
const MU = Array.from({ length: N * D }, () => normal());
const LOG_VAR = Array.from({ length: N * D }, () => 0.8 * normal() - 0.4);
const EPS = Array.from({ length: N * D }, () => normal());

/** f(z) = Σ sin(z) · z², in float64, for z = μ + exp(½ log σ²) · ε. */
function f64(mu: number[], logVar: number[]): number {
  let sum = 0;
  for (let i = 0; i < mu.length; i++) {
    const z = mu[i]! + Math.exp(0.5 * logVar[i]!) * EPS[i]!;
    sum += Math.sin(z) * z * z;
  }
  return sum;
}

function centralDifferences(which: 'mu' | 'logVar', h = 1e-6): number[] {
  return MU.map((_, i) => {
    const shifted = (delta: number) => {
      const mu = [...MU];
      const logVar = [...LOG_VAR];
      (which === 'mu' ? mu : logVar)[i]! += delta;
      return f64(mu, logVar);
    };
    return (shifted(h) - shifted(-h)) / (2 * h);
  });
}

test('for a fixed ε, z = μ + exp(½ log σ²) · ε to float32 rounding', () => {
  const before = tf.memory().numTensors;
  const z = take(
    tf.tidy(() => reparameterize(tf.tensor2d(MU, [N, D]), tf.tensor2d(LOG_VAR, [N, D]), tf.tensor2d(EPS, [N, D]))),
  );
  assert.equal(tf.memory().numTensors, before, 'reparameterize leaked tensors');
  assert.equal(z.length, N * D);
  for (let i = 0; i < N * D; i++) {
    const sigmaEps = Math.exp(0.5 * LOG_VAR[i]!) * EPS[i]!;
    const want = MU[i]! + sigmaEps;
    // A few float32 ulps of the magnitudes involved.
    assertClose(z[i]!, want, 4 * 2 ** -23 * (Math.abs(MU[i]!) + Math.abs(sigmaEps)) + 1e-12, `z[${i}]`);
  }
  // ε = 0 leaves μ exactly.
  const exact = take(tf.tidy(() => reparameterize(tf.tensor2d(MU, [N, D]), tf.tensor2d(LOG_VAR, [N, D]), tf.zeros([N, D]))));
  assert.deepEqual(Array.from(exact), Array.from(Float32Array.from(MU)));
});

test('tf.grads through reparameterize match float64 central differences for μ and log σ²', () => {
  const before = tf.memory().numTensors;
  const eps = tf.tensor2d(EPS, [N, D]);
  const f = (mu: tf.Tensor, logVar: tf.Tensor) => {
    const z = reparameterize(mu as tf.Tensor2D, logVar as tf.Tensor2D, eps);
    return z.sin().mul(z.square()).sum();
  };
  const [value, gMu, gLogVar] = tf.tidy(() => {
    const mu = tf.tensor2d(MU, [N, D]);
    const logVar = tf.tensor2d(LOG_VAR, [N, D]);
    return [f(mu, logVar), ...tf.grads(f)([mu, logVar])];
  });
  eps.dispose();
  const v = take(value!)[0]!;
  const dMu = take(gMu!);
  const dLogVar = take(gLogVar!);
  assert.equal(tf.memory().numTensors, before, 'gradient computation leaked tensors');

  assertClose(v, f64(MU, LOG_VAR), 1e-5 * Math.max(1, Math.abs(f64(MU, LOG_VAR))), 'f');
  const fdMu = centralDifferences('mu');
  const fdLogVar = centralDifferences('logVar');
  assert.ok(maxAbs(fdMu) > 0.1 && maxAbs(fdLogVar) > 0.1, 'degenerate test point: the gradients are all ~0');
  for (let i = 0; i < N * D; i++) {
    // Central differences with h = 1e-6 in float64 are good to ~1e-9; the engine runs in float32.
    assertClose(dMu[i]!, fdMu[i]!, 1e-4 * Math.max(1, Math.abs(fdMu[i]!)), `∂f/∂μ[${i}]`);
    assertClose(dLogVar[i]!, fdLogVar[i]!, 1e-4 * Math.max(1, Math.abs(fdLogVar[i]!)), `∂f/∂log σ²[${i}]`);
  }
  // The log σ² gradient is the μ gradient times ½σε (chain rule): a check of the structure, not just values.
  for (let i = 0; i < N * D; i++) {
    const halfSigmaEps = 0.5 * Math.exp(0.5 * LOG_VAR[i]!) * EPS[i]!;
    assertClose(dLogVar[i]!, dMu[i]! * halfSigmaEps, 1e-4 * Math.max(1, Math.abs(dLogVar[i]!)), `chain rule at ${i}`);
  }
});
