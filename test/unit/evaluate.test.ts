/**
 * Model evaluation against independent float64 computations: the log-densities, log-mean-exp,
 * the importance weights and their bounds (per image, with the same draws), the tightening of
 * L_k in k, the active units, the entropy floor, and the whole `evaluateModel` on the shipped model.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readPublic } from '../../scripts/lib/files.ts';
import { activeUnits } from '../../src/vae/active-units.ts';
import { columnVariances } from '../../src/vae/code-stats.ts';
import { loadSplit, sliceSet, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { entropyFloorPerImage } from '../../src/vae/entropy-floor.ts';
import { evaluate, evaluateModel } from '../../src/vae/evaluate.ts';
import { decodeLogits, encode } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { importanceBounds, iwaeLoss, logDiagonalGaussian, logImportanceWeights, logMeanExp, logStandardNormal } from '../../src/vae/iwae.ts';
import { reconstructionLoss } from '../../src/vae/loss.ts';
import { buildVae, disposeVae, type Vae } from '../../src/vae/model.ts';
import { getSpec, MODEL_SPECS, PIXELS } from '../../src/vae/spec.ts';
import { assertClose, bce64, gaussianSampler, maxAbsDiff, take, tf, useWasm } from './helpers.ts';

const LOG_2PI = Math.log(2 * Math.PI);

let random: Vae;
let shipped: Vae;
let testSet: ImageSet;

before(async () => {
  await useWasm();
  random = buildVae(MODEL_SPECS['mnist-conv-z2']);
  shipped = await loadVae(getSpec('mnist-conv-z2'), readPublic, 'weights/mnist-conv-z2');
  testSet = await loadSplit(readPublic, 'data/mnist', 'test', { limit: 100 });
});

after(() => {
  disposeVae(random);
  disposeVae(shipped);
});

const first = (n: number): Float32Array => toFloat(testSet, Array.from({ length: n }, (_, i) => i));
const normals = (count: number, seed: number): Float32Array => Float32Array.from({ length: count }, gaussianSampler(seed));

/** log N(z; μ, diag e^{logVar}) in float64; μ = 0, logVar = 0 gives the standard normal. */
function logGaussian64(z: ArrayLike<number>, mu: ArrayLike<number>, logVar: ArrayLike<number>): number {
  let s = 0;
  for (let u = 0; u < z.length; u++) s += -0.5 * (LOG_2PI + logVar[u]! + (z[u]! - mu[u]!) ** 2 / Math.exp(logVar[u]!));
  return s;
}

/** Float32 sums of 784 pixel terms of ~0.7 nats each are good to a few 1e-6 relative; log q − log p is a few nats. */
const tolerance = (logWeight: number): number => 5e-6 * Math.abs(logWeight) + 1e-3;

/** log (1/k) Σ e^{a_j} in float64, shifted by the maximum. */
function logMeanExp64(a: number[]): number {
  const m = Math.max(...a);
  return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0) / a.length);
}

/** Binary entropy of grey levels in float64, straight from the definition, with 0·log 0 = 0. */
function entropy64(bytes: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) {
    const x = bytes[i]! / 255;
    if (x > 0) s -= x * Math.log(x);
    if (x < 1) s -= (1 - x) * Math.log(1 - x);
  }
  return s;
}

describe('log-densities', () => {
  test('log p(z) and log q(z|x) match float64 for 2-D and 16-D rows, σ² from e^{−3} to e^{2}', () => {
    for (const d of [2, 16]) {
      const rows = 7;
      const normal = gaussianSampler(10 + d);
      const z = Float32Array.from({ length: rows * d }, () => 2 * normal());
      const mu = Float32Array.from({ length: rows * d }, () => normal());
      const logVar = Float32Array.from({ length: rows * d }, (_, i) => -3 + (5 * (i % 11)) / 10);
      const t = (v: Float32Array) => tf.tensor2d(v, [rows, d]);
      const lp = take(tf.tidy(() => logStandardNormal(t(z))));
      const lq = take(tf.tidy(() => logDiagonalGaussian(t(z), t(mu), t(logVar))));
      for (let r = 0; r < rows; r++) {
        const row = (v: Float32Array) => v.subarray(r * d, (r + 1) * d);
        const wantP = logGaussian64(row(z), new Float32Array(d), new Float32Array(d));
        const wantQ = logGaussian64(row(z), row(mu), row(logVar));
        assertClose(lp[r]!, wantP, 1e-5 * Math.max(1, Math.abs(wantP)), `log p(z), d = ${d}, row ${r}`);
        assertClose(lq[r]!, wantQ, 1e-5 * Math.max(1, Math.abs(wantQ)), `log q(z|x), d = ${d}, row ${r}`);
      }
    }
  });
});

describe('logMeanExp', () => {
  test('matches float64 and stays finite for log-weights near −1e4, where e^{a} is 0 in float32', () => {
    const rows = [
      [-1e4, -1e4 - 1, -1e4 - 2, -1e4 - 30],
      [-2e4, -1e4, -1.5e4, -1e4 + 0.5],
      [-3.5, 0.25, 2, -1],
      [-800],
    ];
    for (const row of rows) {
      const got = take(tf.tidy(() => logMeanExp(tf.tensor2d([row]))))[0]!;
      assert.ok(Number.isFinite(got), `logMeanExp(${row}) = ${got}`);
      // float32 holds 1e4 to within 1e-3.
      assertClose(got, logMeanExp64(row), 2e-3, `logMeanExp(${row})`);
    }
    // The naive form underflows: that is what the shift is for.
    assert.equal(take(tf.tidy(() => tf.tensor2d([rows[0]!]).exp().mean(1).log()))[0], -Infinity);
  });

  test('a row of −∞ gives −∞, not NaN', () => {
    assert.equal(take(tf.tidy(() => logMeanExp(tf.tensor2d([[-Infinity, -Infinity]]))))[0], -Infinity);
  });
});

describe('importance weights', () => {
  test('log w = log p(x|z) + log p(z) − log q(z|x) matches a float64 computation from encode and decodeLogits, same ε', () => {
    const n = 6;
    const k = 4;
    const d = random.spec.latentDim;
    const images = first(n);
    const eps = normals(n * k * d, 77);
    const bounds = importanceBounds(random, images, { k, eps });
    const { mu, logVar: lvOrNull } = encode(random, images);
    const logVar = lvOrNull!;
    for (let i = 0; i < n; i++) {
      const m = mu.subarray(i * d, (i + 1) * d);
      const lv = logVar.subarray(i * d, (i + 1) * d);
      const want: number[] = [];
      for (let j = 0; j < k; j++) {
        const e = eps.subarray((i * k + j) * d, (i * k + j + 1) * d);
        const z = Array.from(m, (mv, u) => mv + Math.exp(0.5 * lv[u]!) * e[u]!);
        const logits = decodeLogits(random, z);
        want.push(-bce64(images.subarray(i * PIXELS, (i + 1) * PIXELS), logits) + logGaussian64(z, [0, 0], [0, 0]) - logGaussian64(z, m, lv));
        assertClose(bounds.logWeights[i * k + j]!, want[j]!, tolerance(want[j]!), `log w, image ${i}, draw ${j}`);
      }
      assertClose(bounds.iwae[i]!, -logMeanExp64(want), tolerance(want[0]!), `−L_k, image ${i}`);
    }
  });

  // The guarantee per image is against the mean of the k one-sample bounds of the same draws, not
  // against the first draw alone: when w_1 is the largest weight, log w_1 > log (1/k) Σ w_j. Against
  // −log w_1 the IWAE is tighter only in expectation (next tests and the shipped-model test).
  test('per image and with the same draws, −L_k ≤ the mean of the k one-sample bounds −log w_j (Jensen), exactly', () => {
    const k = 8;
    const images = first(30);
    const bounds = importanceBounds(shipped, images, { k, seed: 5 });
    for (let i = 0; i < 30; i++) {
      const row = Array.from(bounds.logWeights.subarray(i * k, (i + 1) * k));
      assertClose(bounds.elbo[i]!, -row.reduce((a, b) => a + b, 0) / k, 1e-9 * Math.abs(bounds.elbo[i]!), `elbo, image ${i}`);
      // Float32 rounding of the shifted sum is the only slack.
      assert.ok(bounds.iwae[i]! <= bounds.elbo[i]! + 1e-4, `image ${i}: −L_k ${bounds.iwae[i]} > mean −log w_j ${bounds.elbo[i]}`);
      // log (1/k) Σ w ≥ max_j log w_j − log k, so −L_k is within log k of the best single draw.
      assert.ok(bounds.iwae[i]! <= -Math.max(...row) + Math.log(k) + 1e-4, `image ${i}: −L_k beyond the best draw + log k`);
    }
  });

  test('with k = 1, −L_1 is the one-sample ELBO of that z: reconstructionLoss + log q(z|x) − log p(z)', () => {
    const n = 10;
    const d = random.spec.latentDim;
    const images = first(n);
    const eps = normals(n * d, 3);
    const bounds = importanceBounds(random, images, { k: 1, eps });
    assert.deepEqual(bounds.iwae, bounds.elbo);
    const { mu, logVar: lvOrNull } = encode(random, images);
    const logVar = lvOrNull!;
    const z = Float32Array.from(mu, (m, i) => m + Math.exp(0.5 * logVar[i]!) * eps[i]!);
    const rec = take(tf.tidy(() => reconstructionLoss(tf.tensor4d(images, [n, 28, 28, 1]), tf.tensor(decodeLogits(random, z), [n, 28, 28, 1]))));
    for (let i = 0; i < n; i++) {
      const row = (v: Float32Array) => v.subarray(i * d, (i + 1) * d);
      const want = rec[i]! + logGaussian64(row(z), row(mu), row(logVar)) - logGaussian64(row(z), [0, 0], [0, 0]);
      assertClose(bounds.iwae[i]!, want, tolerance(want), `image ${i}`);
      assertClose(bounds.iwae[i]!, -bounds.logWeights[i]!, 1e-9 * want, `image ${i}: −log w_1`);
    }
  });

  test('the bound tightens from k = 1 to 8 to 64 on average over 30 test images; the k draws nest', () => {
    const images = first(30);
    const [b1, b8, b64] = [1, 8, 64].map((k) => importanceBounds(shipped, images, { k, seed: 21 })) as [
      ReturnType<typeof importanceBounds>,
      ReturnType<typeof importanceBounds>,
      ReturnType<typeof importanceBounds>,
    ];
    const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
    assert.ok(mean(b8.iwae) < mean(b1.iwae), `k = 8: ${mean(b8.iwae)} not below k = 1: ${mean(b1.iwae)}`);
    assert.ok(mean(b64.iwae) < mean(b8.iwae), `k = 64: ${mean(b64.iwae)} not below k = 8: ${mean(b8.iwae)}`);
    // Image i's draws are one stream: with k = 8 they are the first 8 of its 64.
    for (let i = 0; i < 30; i++) {
      assert.ok(maxAbsDiff(b8.logWeights.subarray(i * 8, i * 8 + 8), b64.logWeights.subarray(i * 64, i * 64 + 8)) <= 1e-3, `image ${i}`);
      assertClose(b1.logWeights[i]!, b64.logWeights[i * 64]!, 1e-3, `image ${i}, first draw`);
    }
  });

  test('iwaeLoss does not depend on how the images are batched', () => {
    const data = sliceSet(testSet, 0, 20);
    const whole = iwaeLoss(random, data, { k: 8, seed: 4 });
    const pieces = iwaeLoss(random, data, { k: 8, seed: 4, samplesPerCall: 24 });
    assert.equal(whole.images, 20);
    assert.equal(whole.k, 8);
    assertClose(pieces.loss, whole.loss, 1e-4 * whole.loss, 'batched 3 images at a time');
    assert.ok(whole.loss <= whole.elbo, `−L_8 ${whole.loss} above the mean one-sample bound ${whole.elbo}`);
  });

  test('a label is refused: the engine has no conditional model yet', () => {
    const before = tf.memory().numTensors;
    assert.throws(
      () => tf.tidy(() => logImportanceWeights(random, tf.zeros([1, 28, 28, 1]) as tf.Tensor4D, tf.zeros([1, 2, 2]) as tf.Tensor3D, tf.tensor1d([3], 'int32'))),
      /not a conditional model/,
    );
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('activeUnits', () => {
  test('A_u is the variance over 50 images of μ_u from encode, computed in float64', () => {
    const data = sliceSet(testSet, 0, 50);
    const result = activeUnits(random, data, { batchSize: 16 });
    const { mu } = encode(random, toFloat(data, Array.from({ length: 50 }, (_, i) => i)));
    const d = random.spec.latentDim;
    assert.equal(result.variances.length, d);
    for (let u = 0; u < d; u++) {
      const values = Array.from({ length: 50 }, (_, i) => mu[i * d + u]!);
      const mean = values.reduce((a, b) => a + b, 0) / 50;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / 50;
      assertClose(result.variances[u]!, variance, 1e-5 * variance + 1e-9, `A_${u}`);
    }
    assert.equal(result.threshold, 0.01);
    assert.equal(result.count, result.variances.filter((a) => a > 0.01).length);
  });

  test('columnVariances divides by the number of rows and ignores a constant offset', () => {
    assert.deepEqual(columnVariances([1, 10, 2, 10, 3, 10, 4, 10], 4, 2), [1.25, 0]);
    const shifted = [1e8 + 1, 1e8 + 2, 1e8 + 3, 1e8 + 4];
    assertClose(columnVariances(shifted, 4, 1)[0]!, 1.25, 1e-6, 'variance around 1e8');
  });
});

describe('entropyFloorPerImage', () => {
  test('matches the float64 binary entropy of the pixels of 5 test images; 40–50 nats per MNIST image', () => {
    const data = sliceSet(testSet, 0, 5);
    const want = entropy64(data.images) / 5;
    assertClose(entropyFloorPerImage(data), want, 1e-9 * want, 'floor of 5 images');
    for (let i = 0; i < 5; i++) {
      assertClose(entropyFloorPerImage(sliceSet(testSet, i, i + 1)), entropy64(data.images.subarray(i * PIXELS, (i + 1) * PIXELS)), 1e-9 * want, `image ${i}`);
    }
    // About 45.5 on all 10,000 test images; the first 100 are close to it.
    const floor100 = entropyFloorPerImage(testSet);
    assert.ok(floor100 > 40 && floor100 < 50, `floor ${floor100} per image on 100 test images`);
  });

  test('is 0 for binary images and 784·ln 2 for an image of grey ½-ish', () => {
    const binary = Uint8Array.from(testSet.images.subarray(0, 3 * PIXELS), (v) => (v > 127 ? 255 : 0));
    assert.equal(entropyFloorPerImage({ count: 3, images: binary, labels: new Uint8Array(3) }), 0);
    const grey = entropyFloorPerImage({ count: 1, images: new Uint8Array(PIXELS).fill(128), labels: new Uint8Array(1) });
    assertClose(grey, 784 * entropy64([128]), 1e-9, 'uniform grey 128');
    assert.ok(grey > 784 * Math.LN2 - 0.01 && grey <= 784 * Math.LN2);
  });
});

describe('evaluateModel on the shipped model', () => {
  test('on 100 test images: floor < IWAE (k = 16) < one-sample loss, the parts agree, and no tensor leaks', () => {
    const before = tf.memory().numTensors;
    const result = evaluateModel(shipped, testSet, { k: 16, seed: 12345 });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    assert.equal(result.images, 100);
    assert.equal(result.seed, 12345);
    // The one-sample part is exactly `evaluate`, which scripts/train.ts reports.
    assert.deepEqual(result.oneSample, (({ loss, reconstruction, kl }) => ({ loss, reconstruction, kl }))(evaluate(shipped, testSet, { seed: 12345 })));
    assert.equal(result.iwae!.k, 16);
    assert.ok(result.iwae!.loss < result.oneSample.loss, `IWAE ${result.iwae!.loss} not below the one-sample loss ${result.oneSample.loss}`);
    assert.ok(result.iwae!.loss > result.floor.entropyPerImage, `IWAE ${result.iwae!.loss} below the floor ${result.floor.entropyPerImage}`);
    assertClose(result.gapToFloor!, result.iwae!.loss - result.floor.entropyPerImage, 1e-9, 'gap');
    assert.equal(result.activeUnits.variances.length, 2);
    assert.ok(result.activeUnits.count >= 0 && result.activeUnits.count <= 2);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test('the per-image and set-level functions leave no tensors behind', () => {
    const before = tf.memory().numTensors;
    importanceBounds(random, first(3), { k: 4, seed: 1 });
    iwaeLoss(random, sliceSet(testSet, 0, 3), { k: 2 });
    activeUnits(random, sliceSet(testSet, 0, 3));
    take(tf.tidy(() => logMeanExp(tf.tensor2d([[1, 2]]))));
    assert.equal(tf.memory().numTensors, before);
  });
});
