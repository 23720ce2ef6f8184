/**
 * One image's bounds against independent computations, on the shipped 2-D model and real test
 * digits: the Gauss–Hermite rule against the normal's moments, the quadrature loss against a
 * Monte Carlo estimate through another code path (logJoint), the per-image fit never worse
 * than the encoder and never better than the grid's −log p_θ(x), and the importance-weighted
 * bound 𝓛_k falling towards that exact value as k grows, within the grid's quadrature error.
 * The chapters' numbers (src/claims/gaps.json, recomputed by test/unit/claims.test.ts) are
 * checked here for the same orderings.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GAP_IMAGES, K_VALUES } from '../../scripts/lib/claims/gaps.ts';
import { readPublic, ROOT } from '../../scripts/lib/files.ts';
import { claimsDir, readClaimGroup } from '../../src/claims/read.ts';
import { loadSplit, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { encode } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { disposeVae, type Vae } from '../../src/vae/model.ts';
import { boundSpread, fitPosterior, gaussHermite, klToPrior, logWeightPool, lossByQuadrature, type FitStep, type GaussianCode } from '../../src/vae/posterior-fit.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { logJoint, truePosterior } from '../../src/vae/true-posterior.ts';
import { gaussianSampler, tf, useWasm } from './helpers.ts';

const ID = 'mnist-conv-z2';
let vae: Vae;
let testSet: ImageSet;

before(async () => {
  await useWasm();
  vae = await loadVae(getSpec(ID), readPublic, `weights/${ID}`);
  testSet = await loadSplit(readPublic, 'data/mnist', 'test');
});

after(() => disposeVae(vae));

function encoderCode(image: Float32Array): GaussianCode {
  const { mu, logVar } = encode(vae, image);
  return { mu: [mu[0]!, mu[1]!], logVar: [logVar![0]!, logVar![1]!] };
}

/** −log p_θ(x) on the figure's grid, and its quadrature error: the change when every grid has twice the cells per side. */
async function exactEvidence(image: Float32Array, code: GaussianCode): Promise<{ nll: number; error: number }> {
  const sigma = [Math.exp(0.5 * code.logVar[0]!), Math.exp(0.5 * code.logVar[1]!)];
  const evaluate = (z: Float32Array) => logJoint(vae, image, z);
  const usual = (await truePosterior(evaluate, code.mu, sigma))!.grid;
  const finer = (await truePosterior(evaluate, code.mu, sigma, { coarse: 64, fine: 80 }))!.grid;
  return { nll: -usual.logEvidence, error: Math.abs(usual.logEvidence - finer.logEvidence) };
}

describe('gaussHermite', () => {
  test('its weights sum to 1 and it gives the moments of N(0, 1) exactly up to degree 2n − 1', () => {
    const doubleFactorial = (m: number): number => (m <= 0 ? 1 : m * doubleFactorial(m - 2));
    for (const n of [1, 2, 5, 12, 20]) {
      const { nodes, weights } = gaussHermite(n);
      for (let degree = 0; degree <= 2 * n - 1; degree++) {
        let [sum, size] = [0, 0];
        for (let i = 0; i < n; i++) {
          sum += weights[i]! * nodes[i]! ** degree;
          size += weights[i]! * Math.abs(nodes[i]!) ** degree;
        }
        const want = degree % 2 === 1 ? 0 : doubleFactorial(degree - 1);
        // Rounding: the terms' sizes, not the moment, set the scale (odd moments cancel to 0).
        assert.ok(Math.abs(sum - want) <= 1e-12 * size + 1e-12, `n = ${n}: E[Z^${degree}] = ${sum}, want ${want}`);
      }
    }
    assert.throws(() => gaussHermite(0), /1 to 64 nodes/);
  });
});

describe('lossByQuadrature', () => {
  test('agrees with a Monte Carlo estimate through logJoint, and its KL with E_q[log q − log p]', () => {
    const image = toFloat(testSet, [0]);
    const code = encoderCode(image);
    const quad = lossByQuadrature(vae, image, code);
    const sigma = [Math.exp(0.5 * code.logVar[0]!), Math.exp(0.5 * code.logVar[1]!)];
    const normal = gaussianSampler(3);
    const n = 4000;
    const z = new Float32Array(2 * n);
    const eps = Float64Array.from({ length: 2 * n }, () => normal());
    for (let i = 0; i < 2 * n; i++) z[i] = code.mu[i % 2]! + sigma[i % 2]! * eps[i]!;
    const joint = logJoint(vae, image, z);
    // −log p(x|z) = −(log p(x, z) − log N(z; 0, I)); log q − log p(z) for the KL.
    const rec: number[] = [];
    const klTerms: number[] = [];
    for (let s = 0; s < n; s++) {
      const logPrior = -0.5 * (z[2 * s]! ** 2 + z[2 * s + 1]! ** 2) - Math.log(2 * Math.PI);
      const logQ = -0.5 * (eps[2 * s]! ** 2 + eps[2 * s + 1]! ** 2) - Math.log(2 * Math.PI) - 0.5 * (code.logVar[0]! + code.logVar[1]!);
      rec.push(-(joint[s]! - logPrior));
      klTerms.push(logQ - logPrior);
    }
    const meanSe = (xs: number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) / xs.length)] as const;
    };
    const [recMc, recSe] = meanSe(rec);
    const [klMc, klSe] = meanSe(klTerms);
    assert.ok(Math.abs(quad.reconstruction - recMc) < 4 * recSe + 0.02, `reconstruction: quadrature ${quad.reconstruction}, Monte Carlo ${recMc} ± ${recSe}`);
    assert.ok(Math.abs(quad.kl - klMc) < 4 * klSe + 0.01, `KL: closed form ${quad.kl}, Monte Carlo ${klMc} ± ${klSe}`);
    assert.equal(quad.kl, klToPrior(code));
    // More nodes change nothing that matters: the rule has converged.
    assert.ok(Math.abs(lossByQuadrature(vae, image, code, 20).loss - quad.loss) < 1e-3);
  });

  test('refuses a code that is not 2-D and an image of the wrong size', () => {
    const image = toFloat(testSet, [0]);
    assert.throws(() => lossByQuadrature(vae, image, { mu: [0], logVar: [0] }), /2 values each/);
    assert.throws(() => lossByQuadrature(vae, image.subarray(1), { mu: [0, 0], logVar: [0, 0] }), /784 pixels/);
  });
});

describe('fitPosterior', () => {
  for (const index of [0]) {
    test(`test image ${index}: encoder ≥ per-image optimum ≥ −log p_θ(x) (the two gaps), with no tensors left`, async () => {
      const image = toFloat(testSet, [index]);
      const start = encoderCode(image);
      const before = tf.memory().numTensors;
      const steps: FitStep[] = [];
      const run = fitPosterior(vae, image, start);
      let next = run.next();
      while (!next.done) {
        steps.push(next.value);
        next = run.next();
      }
      const best = next.value;
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
      assert.equal(steps[0]!.step, 0);
      assert.deepEqual(steps.map((s) => s.step).slice(-2), [190, 200]);
      const encoder = lossByQuadrature(vae, image, start);
      assert.ok(Math.abs(steps[0]!.loss - encoder.loss) < 1e-9, 'step 0 is the encoder’s Gaussian');
      assert.equal(best.loss, Math.min(...steps.map((s) => s.loss)));
      assert.ok(best.loss <= encoder.loss);
      const { nll, error } = await exactEvidence(image, start);
      const amortization = encoder.loss - best.loss;
      const approximation = best.loss - nll;
      console.log(`test image ${index}: encoder 𝓛 ${encoder.loss.toFixed(3)}, optimum ${best.loss.toFixed(3)} (step ${best.step}), −log p ${nll.toFixed(3)} (grid error ${error.toExponential(1)}): amortization gap ${amortization.toFixed(3)}, approximation gap ${approximation.toFixed(3)}`);
      assert.ok(error < 0.01, `the grid's quadrature error is ${error} nats`);
      assert.ok(approximation > -error - 1e-3, `the optimum's 𝓛 ${best.loss} lies below −log p(x) = ${nll}`);
    });
  }

  test('a run stopped early leaves no tensors behind', () => {
    const image = toFloat(testSet, [1]);
    const before = tf.memory().numTensors;
    const run = fitPosterior(vae, image, encoderCode(image));
    run.next();
    run.next();
    run.return(undefined as never);
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('boundSpread', () => {
  test('k = 1 gives the mean of −log w; equal weights give the same 𝓛_k for every k; a short pool is refused', () => {
    const logW = [-100, -101, -99.5, -102, -100.5, -98];
    assert.ok(Math.abs(boundSpread(logW, 1).mean - 100.1666666) < 1e-6);
    const whole = boundSpread(logW, 6);
    assert.equal(whole.repeats, 1);
    assert.equal(whole.sd, 0);
    const m = Math.max(...logW);
    assert.ok(Math.abs(whole.mean + (m + Math.log(logW.reduce((a, b) => a + Math.exp(b - m), 0) / 6))) < 1e-12);
    const flat = new Array(12).fill(-50);
    for (const k of [1, 3, 12]) assert.ok(Math.abs(boundSpread(flat, k).mean - 50) < 1e-12);
    assert.deepEqual([boundSpread(logW, 4).repeats, boundSpread(logW, 2).repeats], [1, 3]);
    assert.throws(() => boundSpread(logW, 7), /fewer than k = 7/);
  });

  test('the pool is drawn chunk by chunk and leaves no tensors; 𝓛_1 from it is the quadrature loss', () => {
    const image = toFloat(testSet, [0]);
    const q = encoderCode(image);
    const before = tf.memory().numTensors;
    const chunks = [...logWeightPool(vae, image, q, 2500, { chunk: 1000 })];
    assert.deepEqual(chunks.map((c) => c.length), [1000, 1000, 500]);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    const pool = Float32Array.from(chunks.flatMap((c) => Array.from(c)));
    const one = boundSpread(pool, 1);
    const quad = lossByQuadrature(vae, image, q).loss;
    assert.ok(Math.abs(one.mean - quad) < 4 * (one.sd / Math.sqrt(one.repeats)) + 0.01, `𝓛_1 ${one.mean} against the quadrature's ${quad}`);
  });
});

describe('the chapters’ numbers (src/claims/gaps.json)', () => {
  const stored = readClaimGroup('gaps', claimsDir(ROOT));
  const value = (id: string) => stored[id]!.value;

  test('for each digit: encoder ≥ fitted ≥ −log p_θ(x), and the gaps are the differences', () => {
    for (const index of GAP_IMAGES) {
      const id = `gaps.image${index}`;
      const [encoder, fitted, exact] = [value(`${id}.encoder`), value(`${id}.fitted`), value(`${id}.exact`)];
      assert.ok(encoder >= fitted && fitted > exact - 0.01, `test image ${index}: ${encoder}, ${fitted}, ${exact}`);
      assert.ok(Math.abs(value(`${id}.amortization`) - (encoder - fitted)) < 1e-9);
      assert.ok(Math.abs(value(`${id}.approximation`) - (fitted - exact)) < 1e-9);
    }
  });

  test('test image 0: 𝓛_k falls with k, stays above −log p_θ(x) and ends within reach of it; 𝓛_1 is the encoder’s 𝓛', () => {
    const exact = value('gaps.image0.exact');
    const rows = K_VALUES.map((k) => ({ k, mean: value(`gaps.image0.iwae${k}`), se: value(`gaps.image0.iwae${k}Sd`) / Math.sqrt(20_000 / k) }));
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i]!.mean <= rows[i - 1]!.mean + 3 * (rows[i]!.se + rows[i - 1]!.se), `𝓛_${rows[i]!.k} above 𝓛_${rows[i - 1]!.k}`);
    // The grid's quadrature error is under 0.01 nats (the fit test measures it); the rest is the runs' spread.
    for (const r of rows) assert.ok(r.mean >= exact - 0.01 - 3 * r.se, `𝓛_${r.k} = ${r.mean} below −log p(x) = ${exact}`);
    const last = rows.at(-1)!;
    assert.ok(last.mean - exact <= 0.01 + 3 * last.se + 0.05, `𝓛_1000 = ${last.mean} is not within reach of −log p(x) = ${exact}`);
    assert.ok(Math.abs(rows[0]!.mean - value('gaps.image0.encoder')) < 4 * rows[0]!.se + 0.01);
  });
});
