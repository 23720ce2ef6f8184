/**
 * The inference helpers: latentGrid's layout, decode as sigmoid of the decoder's logits,
 * reproducible sampling and reconstruction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decode, decodeAsync, decodeLogits, encode, latentGrid, reconstruct, sample } from '../../src/vae/infer.ts';
import { buildVae, disposeVae, type Vae } from '../../src/vae/model.ts';
import { MODEL_SPECS } from '../../src/vae/spec.ts';
import { assertClose, gaussianSampler, maxAbs, maxAbsDiff, tf, uniformSampler, useWasm } from './helpers.ts';

const spec = MODEL_SPECS['mnist-conv-z2'];
let vae: Vae;

before(async () => {
  await useWasm();
  // Random weights (biases included) at a scale that spreads the logits over several units,
  // so sigmoid is tested away from ½ as well.
  vae = buildVae(spec);
  const normal = gaussianSampler(4242);
  for (const model of [vae.encoder, vae.decoder]) {
    const weights = model.getWeights().map((w) => {
      const fanIn = w.shape.length > 1 ? w.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 16;
      return tf.tensor(Float32Array.from({ length: w.size }, () => (1.1 * normal()) / Math.sqrt(fanIn)), w.shape);
    });
    model.setWeights(weights);
    tf.dispose(weights);
  }
});

function someImages(n: number, seed: number): Float32Array {
  const u = uniformSampler(seed);
  return Float32Array.from({ length: n * 784 }, () => (u() < 0.7 ? 0 : u()));
}

describe('latentGrid', () => {
  test('runs row by row from the top-left (lo, hi) to the bottom-right (hi, lo), evenly spaced', () => {
    const side = 5;
    const [lo, hi] = [-2, 3];
    const z = latentGrid(side, lo, hi);
    assert.equal(z.length, side * side * 2);
    const point = (k: number): [number, number] => [z[2 * k]!, z[2 * k + 1]!];
    assert.deepEqual(point(0), [lo, hi], 'top-left');
    assert.deepEqual(point(side - 1), [hi, hi], 'top-right');
    assert.deepEqual(point(side * (side - 1)), [lo, lo], 'bottom-left');
    assert.deepEqual(point(side * side - 1), [hi, lo], 'bottom-right');
    const step = (hi - lo) / (side - 1);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const [x, y] = point(r * side + c);
        assertClose(x, lo + c * step, 1e-6, `x at row ${r}, column ${c}`);
        assertClose(y, hi - r * step, 1e-6, `y at row ${r}, column ${c}`);
      }
    }
  });

  test('a 2×2 grid is exactly the four corners', () => {
    assert.deepEqual(Array.from(latentGrid(2, -1, 1)), [-1, 1, 1, 1, -1, -1, 1, -1]);
  });

  test('a 1×1 grid is a finite point in the square', () => {
    const z = latentGrid(1, -2, 2);
    assert.ok(Array.from(z).every((v) => Number.isFinite(v) && v >= -2 && v <= 2), `got ${Array.from(z)}`);
  });
});

describe('decode', () => {
  test('gives probabilities in (0, 1) equal to sigmoid(decodeLogits) computed in float64', () => {
    const grid = latentGrid(6, -3, 3);
    const logits = decodeLogits(vae, grid);
    const probs = decode(vae, grid);
    assert.equal(logits.length, 36 * 784);
    assert.equal(probs.length, 36 * 784);
    // The test spans both tails of the sigmoid, not just its middle.
    assert.ok(maxAbs(logits) > 4 && maxAbs(logits) < 15, `logits reach ${maxAbs(logits)}: outside float32's open (0, 1) or too tame`);
    assert.ok(logits.some((l) => l > 2) && logits.some((l) => l < -2), 'logits of one sign only');
    for (let i = 0; i < probs.length; i++) {
      const p = probs[i]!;
      assert.ok(p > 0 && p < 1, `p[${i}] = ${p} (logit ${logits[i]})`);
      const want = 1 / (1 + Math.exp(-logits[i]!));
      if (!(Math.abs(p - want) <= 2e-7 + 1e-6 * want)) assert.fail(`p[${i}] = ${p}, sigmoid(${logits[i]}) = ${want}`);
    }
    // The decoder's output depends on z, and decoding is deterministic.
    assert.ok(maxAbsDiff(probs.subarray(0, 784), probs.subarray(35 * 784)) > 0.05);
    assert.deepEqual(decode(vae, grid), probs);
  });

  test('decodes each code independently of the batch it is in, and decodeAsync agrees', async () => {
    const grid = latentGrid(4, -2, 2);
    const batch = decode(vae, grid);
    const single = decode(vae, grid.subarray(10, 12));
    assert.ok(maxAbsDiff(single, batch.subarray(5 * 784, 6 * 784)) <= 1e-6);
    assert.deepEqual(await decodeAsync(vae, grid), batch);
  });
});

describe('sample', () => {
  test('is reproducible for a seed, differs between seeds, and decodes its own z', () => {
    const a = sample(vae, 6, 123);
    const b = sample(vae, 6, 123);
    const c = sample(vae, 6, 124);
    assert.equal(a.z.length, 12);
    assert.equal(a.images.length, 6 * 784);
    assert.deepEqual(b.z, a.z);
    assert.deepEqual(b.images, a.images);
    assert.notDeepEqual(c.z, a.z);
    assert.notDeepEqual(c.images, a.images);
    assert.deepEqual(decode(vae, a.z), a.images);
  });

  test('draws z from the prior N(0, I)', () => {
    const { z } = sample(vae, 200, 9);
    const n = z.length;
    const mean = z.reduce((s, v) => s + v, 0) / n;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
    // Four standard errors: 1/√n for the mean, √(2/n) for the variance.
    assertClose(mean, 0, 4 / Math.sqrt(n), 'sample mean');
    assertClose(variance, 1, 4 * Math.sqrt(2 / n), 'sample variance');
  });
});

describe('encode and reconstruct', () => {
  test('reconstruct(x) is decode(μ(x)); with a seed it is reproducible and differs from it', () => {
    const images = someImages(4, 3);
    const { mu, logVar } = encode(vae, images);
    assert.equal(mu.length, 8);
    assert.equal(logVar!.length, 8);
    assert.deepEqual(reconstruct(vae, images), decode(vae, mu));
    const noisy = reconstruct(vae, images, 17);
    assert.deepEqual(reconstruct(vae, images, 17), noisy);
    assert.notDeepEqual(noisy, reconstruct(vae, images));
    assert.notDeepEqual(noisy, reconstruct(vae, images, 18));
    // Encoding is per image: one image alone encodes as it does in the batch.
    const alone = encode(vae, images.subarray(2 * 784, 3 * 784));
    assert.ok(maxAbsDiff(alone.mu, mu.subarray(4, 6)) <= 1e-5 * Math.max(1, maxAbs(mu)));
  });
});

after(() => {
  disposeVae(vae);
});
