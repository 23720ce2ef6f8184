/**
 * The loss terms against independent float64 computations: KL against a Monte Carlo estimate
 * of E_q[log q(z) − log p(z)], the Bernoulli reconstruction term against a direct computation
 * from probabilities, the ELBO's β-weighting, and free bits against Σ_u max(λ, KL_u) and its
 * gradient computed by hand.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { elbo, freeBitsMask, klDivergence, klTerm, reconstructionLoss } from '../../src/vae/loss.ts';
import { assertClose, gaussianSampler, take, tf, uniformSampler, useWasm } from './helpers.ts';

before(async () => {
  await useWasm();
});

/**
 * Monte Carlo KL(N(μ, σ²) ‖ N(0, I)) in float64 with our own sampler: with z = μ + σε,
 *   log q(z) − log p(z) = Σ_u [−½ log σ²_u − ½ ε²_u + ½ z²_u]   (the 2π terms cancel).
 * Returns the mean and its standard error.
 */
function monteCarloKl(mu: number[], logVar: number[], samples: number, seed: number): { mean: number; se: number } {
  const normal = gaussianSampler(seed);
  const sigma = logVar.map((lv) => Math.exp(0.5 * lv));
  let sum = 0;
  let sumSq = 0;
  for (let s = 0; s < samples; s++) {
    let v = 0;
    for (let u = 0; u < mu.length; u++) {
      const eps = normal();
      const z = mu[u]! + sigma[u]! * eps;
      v += -0.5 * logVar[u]! - 0.5 * eps * eps + 0.5 * z * z;
    }
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / samples;
  const variance = (sumSq - samples * mean * mean) / (samples - 1);
  return { mean, se: Math.sqrt(variance / samples) };
}

function engineKl(rows: { mu: number[]; logVar: number[] }[]): Float32Array {
  return take(
    tf.tidy(() => {
      const d = rows[0]!.mu.length;
      const mu = tf.tensor2d(rows.flatMap((r) => r.mu), [rows.length, d]);
      const logVar = tf.tensor2d(rows.flatMap((r) => r.logVar), [rows.length, d]);
      return klDivergence(mu, logVar);
    }),
  );
}

/** −[x log p + (1−x) log(1−p)] per element in float64, with p and 1−p each computed without cancellation. */
function bceReference(x: ArrayLike<number>, logits: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const l = logits[i]!;
    const p = 1 / (1 + Math.exp(-l)); // σ(ℓ)
    const q = 1 / (1 + Math.exp(l)); // 1 − σ(ℓ), not 1 − p, which loses every digit for ℓ ≫ 0
    out.push(-(x[i]! * Math.log(p) + (1 - x[i]!) * Math.log(q)));
  }
  return out;
}

function sumRows(values: number[], rows: number): number[] {
  const per = values.length / rows;
  return Array.from({ length: rows }, (_, r) => values.slice(r * per, (r + 1) * per).reduce((a, b) => a + b, 0));
}

describe('klDivergence', () => {
  const SAMPLES = 200_000;
  const rows = [
    { name: '2-D, μ ≠ 0, σ² < 1', mu: [0.8, -1.3], logVar: [-0.7, -2.1] },
    { name: '2-D, σ² > 1', mu: [-0.4, 0.25], logVar: [0.9, 0.3] },
    {
      name: '16-D, mixed',
      mu: Array.from({ length: 16 }, (_, u) => Math.sin(1.7 * u + 0.3) * 1.5),
      logVar: Array.from({ length: 16 }, (_, u) => Math.cos(0.9 * u + 1.1) * 1.2 - 0.3),
    },
  ];

  for (const [index, row] of rows.entries()) {
    test(`matches a ${SAMPLES}-sample Monte Carlo estimate within 4 standard errors (${row.name})`, () => {
      const [closed] = engineKl([row]);
      const mc = monteCarloKl(row.mu, row.logVar, SAMPLES, 1000 + index);
      // Four standard errors: a correct formula fails this about once in 16,000 seeds; the seed is fixed.
      assert.ok(mc.se > 0 && mc.se < 0.05 * Math.max(1, mc.mean), `MC standard error ${mc.se} is too loose to be a test`);
      assertClose(closed!, mc.mean, 4 * mc.se, `KL ${row.name} (MC ${mc.mean.toFixed(4)} ± ${mc.se.toFixed(4)})`);
    });
  }

  test('is one value per row, computed row by row, and 0 exactly at the prior', () => {
    const batch = [...rows.slice(0, 2), { mu: [0, 0], logVar: [0, 0] }];
    const together = engineKl(batch);
    assert.equal(together.length, 3);
    assert.equal(together[2], 0);
    for (let r = 0; r < 2; r++) assert.equal(together[r], engineKl([batch[r]!])[0]);
    // Not symmetric in μ ↔ log σ²: moving μ alone costs ½ μ².
    assertClose(engineKl([{ mu: [2, 0], logVar: [0, 0] }])[0]!, 2, 1e-6, 'KL of a shifted unit Gaussian');
  });
});

describe('reconstructionLoss', () => {
  test('matches −Σ[x log p + (1−x) log(1−p)] in float64 on MNIST-shaped grey-level batches', () => {
    const n = 3;
    const size = n * 28 * 28;
    const u = uniformSampler(7);
    const g = gaussianSampler(8);
    // Grey levels, with exact 0s and 1s as in MNIST, and logits of either sign up to |ℓ| ≈ 12.
    const x = Float32Array.from({ length: size }, () => {
      const v = u();
      return v < 0.3 ? 0 : v > 0.8 ? 1 : u();
    });
    const logits = Float32Array.from({ length: size }, () => 4 * g());
    const got = take(tf.tidy(() => reconstructionLoss(tf.tensor4d(x, [n, 28, 28, 1]), tf.tensor4d(logits, [n, 28, 28, 1]))));
    const want = sumRows(bceReference(x, logits), n);
    assert.equal(got.length, n);
    for (let r = 0; r < n; r++) assertClose(got[r]!, want[r]!, 1e-5 * want[r]!, `image ${r}`);
  });

  test('stays finite and accurate for large |logits| (±30, ±80) and grey levels', () => {
    const cases: [x: number, logit: number][] = [
      [1, 30], [0, 30], [1, -30], [0, -30], [0.5, 30], [0.5, -30], [0.25, 80], [0.75, -80], [0, 80], [1, -80],
      [0.3, 0], [1, 1e-3], [0, -1e-3], [0.9, 12], [0.1, -12],
    ];
    const x = cases.map((c) => c[0]);
    const logits = cases.map((c) => c[1]);
    // One pixel per row, so each row's loss is one element's loss.
    const got = take(tf.tidy(() => reconstructionLoss(tf.tensor2d(x, [x.length, 1]), tf.tensor2d(logits, [x.length, 1]))));
    const want = bceReference(x, logits);
    for (const [i, [xi, li]] of cases.entries()) {
      assert.ok(Number.isFinite(got[i]!), `loss(x=${xi}, ℓ=${li}) = ${got[i]} is not finite`);
      assertClose(got[i]!, want[i]!, 1e-6 * Math.max(1, want[i]!), `loss(x=${xi}, ℓ=${li})`);
    }
    // The float64 reference itself is right where it is easy to check by hand.
    assertClose(want[1]!, 30 + Math.log1p(Math.exp(-30)), 1e-12, 'reference at x=0, ℓ=30');
    assertClose(want[4]!, 15 + Math.log1p(Math.exp(-30)), 1e-12, 'reference at x=½, ℓ=30');
  });

  test('sums over all pixels of each image, whatever the image shape', () => {
    const x = tf.tensor4d([0, 1, 0.5, 0.2, 1, 1, 0, 0], [2, 2, 2, 1]);
    const logits = tf.tensor4d([-1, 2, 0.5, -0.3, 3, -2, 1, -4], [2, 2, 2, 1]);
    const got = take(reconstructionLoss(x, logits));
    const want = sumRows(bceReference(x.dataSync(), logits.dataSync()), 2);
    tf.dispose([x, logits]);
    for (let r = 0; r < 2; r++) assertClose(got[r]!, want[r]!, 1e-6 * want[r]!, `image ${r}`);
  });
});

describe('elbo', () => {
  test('is batch-mean reconstruction + β · batch-mean KL, for β = 0.25 and β = 4', () => {
    const n = 4;
    const d = 3;
    const u = uniformSampler(21);
    const g = gaussianSampler(22);
    const xs = Float32Array.from({ length: n * 784 }, () => u());
    const ls = Float32Array.from({ length: n * 784 }, () => 3 * g());
    const mus = Float32Array.from({ length: n * d }, () => g());
    const lvs = Float32Array.from({ length: n * d }, () => g() - 0.5);
    const rec = sumRows(bceReference(xs, ls), n).reduce((a, b) => a + b, 0) / n;
    let kl = 0;
    for (let i = 0; i < n * d; i++) kl += 0.5 * (mus[i]! ** 2 + Math.exp(lvs[i]!) - lvs[i]! - 1);
    kl /= n;
    for (const beta of [0.25, 4]) {
      const before = tf.memory().numTensors;
      const stacked = tf.tidy(() => {
        const terms = elbo(tf.tensor4d(xs, [n, 28, 28, 1]), tf.tensor4d(ls, [n, 28, 28, 1]), tf.tensor2d(mus, [n, d]), tf.tensor2d(lvs, [n, d]), beta);
        return tf.stack([terms.loss, terms.reconstruction, terms.kl]);
      });
      const [loss, r, k] = stacked.dataSync();
      stacked.dispose();
      assert.equal(tf.memory().numTensors, before, 'elbo leaked tensors');
      assertClose(r!, rec, 1e-5 * rec, 'reconstruction term');
      assertClose(k!, kl, 1e-5 * kl, 'KL term');
      assertClose(loss!, rec + beta * kl, 1e-5 * (rec + beta * kl), `loss with β = ${beta}`);
      // And β really weights the KL: the engine's own terms combine the same way.
      assertClose(loss!, r! + beta * k!, 1e-4, `loss = rec + ${beta}·KL from the engine's terms`);
    }
  });
});

describe('free bits', () => {
  // A batch of 6 images and 4 units whose batch-mean KLs straddle λ = 0.5: units 0 and 2 carry
  // information (their μ spread), units 1 and 3 sit near the prior.
  const n = 6;
  const d = 4;
  const lambda = 0.5;
  const g = gaussianSampler(31);
  const mus = Float32Array.from({ length: n * d }, (_, i) => (i % d === 0 || i % d === 2 ? 1.5 * g() : 0.1 * g()));
  const lvs = Float32Array.from({ length: n * d }, (_, i) => (i % d === 0 || i % d === 2 ? -2 + 0.3 * g() : -0.05 + 0.05 * g()));
  /** Batch-mean KL of each unit in float64. */
  const unitKl = Array.from({ length: d }, (_, u) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += 0.5 * (mus[i * d + u]! ** 2 + Math.exp(lvs[i * d + u]!) - lvs[i * d + u]! - 1);
    return sum / n;
  });

  test('the mask marks the units whose batch-mean KL exceeds λ', () => {
    const above = tf.tidy(() => freeBitsMask(tf.tensor2d(mus, [n, d]), tf.tensor2d(lvs, [n, d]), lambda));
    assert.deepEqual(Array.from(above), unitKl.map((kl) => (kl > lambda ? 1 : 0)));
    assert.deepEqual(Array.from(above), [1, 0, 1, 0], 'the batch was built with two units above λ and two below');
  });

  test('the KL term is Σ_u max(λ, KL_u), and a unit below λ gets no gradient while the others get the plain KL gradient', () => {
    const before = tf.memory().numTensors;
    const above = tf.tidy(() => freeBitsMask(tf.tensor2d(mus, [n, d]), tf.tensor2d(lvs, [n, d]), lambda));
    const mu = tf.tensor2d(mus, [n, d]);
    const logVar = tf.tensor2d(lvs, [n, d]);
    const objective = (m: tf.Tensor, lv: tf.Tensor) => klTerm(m as tf.Tensor2D, lv as tf.Tensor2D, { lambda, above }).mean();
    const value = tf.tidy(() => objective(mu, logVar).dataSync()[0]!);
    const expected = unitKl.reduce((sum, kl) => sum + Math.max(lambda, kl), 0);
    assertClose(value, expected, 1e-5 * expected, 'batch mean of the free-bits KL term');
    const [gMu, gLogVar] = tf.tidy(() => tf.grads(objective)([mu, logVar]).map((t) => t.dataSync() as Float32Array));
    for (let i = 0; i < n; i++) {
      for (let u = 0; u < d; u++) {
        const k = i * d + u;
        // ∂/∂μ of ½ μ² / n is μ / n; ∂/∂log σ² of ½ (e^{log σ²} − log σ²) / n is ½ (σ² − 1) / n.
        const wantMu = above[u] ? mus[k]! / n : 0;
        const wantLv = above[u] ? (0.5 * (Math.exp(lvs[k]!) - 1)) / n : 0;
        assertClose(gMu![k]!, wantMu, 1e-6, `∂/∂μ, image ${i}, unit ${u}`);
        assertClose(gLogVar![k]!, wantLv, 1e-6, `∂/∂log σ², image ${i}, unit ${u}`);
        if (!above[u]) assert.ok(gMu![k] === 0 && gLogVar![k] === 0, 'a unit below λ gets exactly no KL gradient');
      }
    }
    tf.dispose([mu, logVar]);
    assert.equal(tf.memory().numTensors, before, 'free bits leaked tensors');
  });

  test('split into parts with the whole batch’s mask, the parts add up to the whole batch’s objective', () => {
    const above = tf.tidy(() => freeBitsMask(tf.tensor2d(mus, [n, d]), tf.tensor2d(lvs, [n, d]), lambda));
    const sumOf = (from: number, to: number) =>
      tf.tidy(() => klTerm(tf.tensor2d(mus.subarray(from * d, to * d), [to - from, d]), tf.tensor2d(lvs.subarray(from * d, to * d), [to - from, d]), { lambda, above }).sum().dataSync()[0]!);
    const whole = sumOf(0, n) / n;
    assertClose((sumOf(0, 2) + sumOf(2, 5) + sumOf(5, 6)) / n, whole, 1e-5, 'three parts against the whole');
  });

  test('elbo charges β·Σ_u max(λ, KL_u) and still reports the plain KL', () => {
    const u = uniformSampler(32);
    const xs = Float32Array.from({ length: n * 784 }, () => u());
    const ls = Float32Array.from({ length: n * 784 }, () => 2 * g());
    const rec = sumRows(bceReference(xs, ls), n).reduce((a, b) => a + b, 0) / n;
    const plainKl = unitKl.reduce((a, b) => a + b, 0);
    const charged = unitKl.reduce((sum, kl) => sum + Math.max(lambda, kl), 0);
    const beta = 2;
    const [loss, r, k] = tf.tidy(() => {
      const mu = tf.tensor2d(mus, [n, d]);
      const logVar = tf.tensor2d(lvs, [n, d]);
      const terms = elbo(tf.tensor4d(xs, [n, 28, 28, 1]), tf.tensor4d(ls, [n, 28, 28, 1]), mu, logVar, beta, { lambda, above: freeBitsMask(mu, logVar, lambda) });
      return Array.from(tf.stack([terms.loss, terms.reconstruction, terms.kl]).dataSync());
    });
    assertClose(r!, rec, 1e-5 * rec, 'reconstruction');
    assertClose(k!, plainKl, 1e-5 * plainKl, 'the reported KL is the plain one');
    assertClose(loss!, rec + beta * charged, 1e-5 * (rec + beta * charged), 'the loss charges the free-bits KL');
    assert.ok(charged > plainKl, 'λ lifted the units below it');
  });
});
