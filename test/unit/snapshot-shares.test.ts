/**
 * A snapshot's test work split over workers: the shares cover every image once, their merged
 * codes are the encoder's μ, their merged loss is the per-image loss computed here in float64
 * with the draws evaluate promises, whatever the number of workers; lossSums over ranges adds
 * up to evaluate's sums across batch boundaries; nothing leaks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readPublic } from '../../scripts/lib/files.ts';
import { loadSplit, sliceSet, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { evaluate, lossSums } from '../../src/vae/evaluate.ts';
import { decodeLogits, encode } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { disposeVae, type Vae } from '../../src/vae/model.ts';
import { computeTestShare, mergeTestShares, splitTestWork } from '../../src/vae/snapshot-shares.ts';
import { getSpec, PIXELS } from '../../src/vae/spec.ts';
import { bce64, maxAbsDiff, take, tf, useWasm } from './helpers.ts';

const SEED = 12345;
let vae: Vae;
let testSet: ImageSet;

before(async () => {
  await useWasm();
  vae = await loadVae(getSpec('mnist-conv-z2'), readPublic, 'weights/mnist-conv-z2');
  testSet = await loadSplit(readPublic, 'data/mnist', 'test', { limit: 120 });
});

after(() => disposeVae(vae));

/**
 * The loss terms of images [0, n) in float64, each with the ε evaluate promises: row i − b of
 * the standard normals drawn for the batch that starts at image b = batchSize·⌊i/batchSize⌋,
 * seeded by SEED + b.
 */
function reference(n: number, batchSize: number): { reconstruction: number; kl: number } {
  const d = vae.spec.latentDim;
  const images = toFloat(testSet, Array.from({ length: n }, (_, i) => i));
  const { mu, logVar } = encode(vae, images);
  let reconstruction = 0;
  let kl = 0;
  for (let b = 0; b < n; b += batchSize) {
    const rows = Math.min(batchSize, n - b);
    const eps = take(tf.randomNormal([rows, d], 0, 1, 'float32', SEED + b));
    const z = new Float32Array(rows * d);
    for (let k = 0; k < rows * d; k++) {
      const u = b * d + k;
      z[k] = mu[u]! + Math.exp(0.5 * logVar![u]!) * eps[k]!;
      kl += 0.5 * (mu[u]! ** 2 + Math.exp(logVar![u]!) - 1 - logVar![u]!);
    }
    const logits = decodeLogits(vae, z);
    for (let r = 0; r < rows; r++) {
      reconstruction += bce64(images.subarray((b + r) * PIXELS, (b + r + 1) * PIXELS), logits.subarray(r * PIXELS, (r + 1) * PIXELS));
    }
  }
  return { reconstruction, kl };
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 2e-5 * Math.abs(expected) + 1e-3, `${what}: ${actual} vs ${expected}`);

describe('splitTestWork', () => {
  test('every image falls in exactly one share, loss images and code images split evenly', () => {
    for (const [count, lossImages, workers] of [[1000, 500, 2], [1000, 500, 3], [120, 70, 4], [50, 0, 2], [10, 30, 3], [3, 2, 5]] as const) {
      const shares = splitTestWork(count, lossImages, workers);
      assert.equal(shares.length, workers);
      const n = Math.min(lossImages, count);
      const seen = new Uint8Array(count);
      for (const s of shares) {
        for (let i = s.loss[0]; i < s.loss[1]; i++) seen[i]!++;
        for (let i = s.codes[0]; i < s.codes[1]; i++) seen[i]!++;
        assert.ok(s.loss[1] <= n && s.codes[0] >= n, 'loss images come first, code-only images after');
      }
      assert.ok(seen.every((v) => v === 1), `${count}/${lossImages}/${workers}: every image once`);
      const sizes = shares.map((s) => s.loss[1] - s.loss[0]);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `even loss shares: ${sizes}`);
    }
  });
});

describe('lossSums', () => {
  test('ranges that cut across batches add up to evaluate and to the float64 reference', () => {
    const n = 100;
    const set = sliceSet(testSet, 0, n);
    const want = reference(n, 32);
    const before = tf.memory().numTensors;
    const cuts = [0, 7, 32, 33, 70, 100];
    let reconstruction = 0;
    let kl = 0;
    const mu: number[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const part = lossSums(vae, set, cuts[i]!, cuts[i + 1]!, { batchSize: 32, seed: SEED });
      assert.equal(part.mu.length, (cuts[i + 1]! - cuts[i]!) * vae.spec.latentDim);
      reconstruction += part.reconstruction;
      kl += part.kl;
      mu.push(...part.mu);
    }
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    close(reconstruction, want.reconstruction, 'reconstruction');
    close(kl, want.kl, 'KL');
    const whole = evaluate(vae, set, { batchSize: 32, seed: SEED });
    close(whole.reconstruction * n, reconstruction, 'evaluate vs the ranges');
    assert.ok(maxAbsDiff(mu, encode(vae, toFloat(set, Array.from({ length: n }, (_, i) => i))).mu) <= 1e-5, 'μ as the encoder gives it');
  });

  test('a range outside the set is refused', () => {
    assert.throws(() => lossSums(vae, sliceSet(testSet, 0, 10), 5, 11), /not within the 10 images/);
    assert.throws(() => lossSums(vae, sliceSet(testSet, 0, 10), 6, 5), /not within/);
  });
});

describe('computeTestShare and mergeTestShares', () => {
  test('any number of workers gives the one-worker snapshot: all μ in order and the test loss', () => {
    const count = testSet.count;
    const lossImages = 70;
    const want = reference(lossImages, 500);
    const allMu = encode(vae, toFloat(testSet, Array.from({ length: count }, (_, i) => i))).mu;
    const before = tf.memory().numTensors;
    for (const workers of [1, 2, 3]) {
      const shares = splitTestWork(count, lossImages, workers);
      const results = shares.map((s) => computeTestShare(vae, testSet, lossImages, s, SEED));
      const { codes, testLoss } = mergeTestShares(shares, results, count, lossImages, vae);
      assert.equal(codes.length, count * vae.spec.latentDim);
      assert.ok(maxAbsDiff(codes, allMu) <= 1e-5, `${workers} worker(s): the codes are the encoder's μ, in order`);
      assert.equal(testLoss!.images, lossImages);
      close(testLoss!.reconstruction * lossImages, want.reconstruction, `${workers} worker(s): reconstruction`);
      close(testLoss!.kl * lossImages, want.kl, `${workers} worker(s): KL`);
      close(testLoss!.loss, testLoss!.reconstruction + vae.spec.beta * testLoss!.kl, 'loss = reconstruction + β·KL');
    }
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  });

  test('no loss images: codes only, no test loss', () => {
    const shares = splitTestWork(testSet.count, 0, 2);
    const { codes, testLoss } = mergeTestShares(shares, shares.map((s) => computeTestShare(vae, testSet, 0, s, SEED)), testSet.count, 0, vae);
    assert.equal(testLoss, undefined);
    assert.equal(codes.length, testSet.count * vae.spec.latentDim);
  });

  test('a share that came back with the wrong number of codes is refused', () => {
    const shares = splitTestWork(testSet.count, 20, 2);
    const results = shares.map((s) => computeTestShare(vae, testSet, 20, s, SEED));
    results[1] = { ...results[1]!, mu: results[1]!.mu.subarray(2) };
    assert.throws(() => mergeTestShares(shares, results, testSet.count, 20, vae), /came back with 59 codes, not 60/);
  });
});
