/**
 * One digit's approximate posterior: posteriorSamples agrees with encode and decode, its
 * samples have the mean and spread of q(z|x), and it leaves no tensors behind; loadImage reads
 * one image and its label exactly as the whole-split loader does.
 */
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { DataError, loadImage, loadManifest, loadSplit, type ReadRange } from '../../src/vae/data.ts';
import { decode, encode, posteriorSamples } from '../../src/vae/infer.ts';
import { buildVae, disposeVae, type Vae } from '../../src/vae/model.ts';
import { MODEL_SPECS, PIXELS } from '../../src/vae/spec.ts';
import { assertClose, gaussianSampler, maxAbsDiff, tf, uniformSampler, useWasm } from './helpers.ts';

let vae: Vae;

before(async () => {
  await useWasm();
  // Random weights scaled so that log σ² lands well away from 0 and differs between dimensions.
  vae = buildVae(MODEL_SPECS['mnist-conv-z2']);
  const normal = gaussianSampler(77);
  for (const model of [vae.encoder, vae.decoder]) {
    const weights = model.getWeights().map((w) => {
      const fanIn = w.shape.length > 1 ? w.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 16;
      return tf.tensor(Float32Array.from({ length: w.size }, () => (1.1 * normal()) / Math.sqrt(fanIn)), w.shape);
    });
    model.setWeights(weights);
    tf.dispose(weights);
  }
  // Different widths per dimension (σ ≈ e^−1 and e^0.5 before the input's share), so the test
  // below can tell a swapped or shared σ from the right one.
  const layer = vae.encoder.getLayer('z_log_var');
  const shifted = tf.tensor1d([-2, 1]);
  layer.setWeights([layer.getWeights()[0]!, shifted]);
  shifted.dispose();
});

after(() => disposeVae(vae));

function oneImage(seed: number): Float32Array {
  const u = uniformSampler(seed);
  return Float32Array.from({ length: PIXELS }, () => (u() < 0.75 ? 0 : u()));
}

describe('posteriorSamples', () => {
  test('μ and σ are encode’s μ and exp(½ log σ²); each sample decodes to its own image', () => {
    const image = oneImage(1);
    const { mu, logVar } = encode(vae, image);
    const p = posteriorSamples(vae, image, 5, 11);
    assert.ok(maxAbsDiff(p.mu, mu) <= 1e-6, 'μ');
    const sigma = Array.from(logVar!, (v) => Math.exp(0.5 * v));
    assert.ok(maxAbsDiff(p.sigma, sigma) <= 1e-6 * Math.max(...sigma), 'σ');
    assert.equal(p.z.length, 5 * 2);
    assert.equal(p.images.length, 5 * PIXELS);
    assert.ok(maxAbsDiff(p.images, decode(vae, p.z)) <= 1e-6, 'images = decode(z)');
  });

  test('the samples’ mean and standard deviation over many draws match μ and σ, per dimension', () => {
    const n = 1500;
    const p = posteriorSamples(vae, oneImage(2), n, 5);
    const d = 2;
    assert.ok(p.sigma[0]! > 0 && Math.abs(Math.log(p.sigma[0]! / p.sigma[1]!)) > 0.5, `σ = ${Array.from(p.sigma)}: the dimensions should differ for this test to mean something`);
    const standardised: number[][] = [[], []];
    for (let u = 0; u < d; u++) {
      let sum = 0;
      for (let s = 0; s < n; s++) sum += p.z[s * d + u]!;
      const mean = sum / n;
      let sq = 0;
      for (let s = 0; s < n; s++) sq += (p.z[s * d + u]! - mean) ** 2;
      const std = Math.sqrt(sq / (n - 1));
      const sigma = p.sigma[u]!;
      // Four standard errors: σ/√n for the mean, σ/√(2n) for the standard deviation.
      assertClose(mean, p.mu[u]!, (4 * sigma) / Math.sqrt(n), `mean of z_${u + 1}`);
      assertClose(std, sigma, (4 * sigma) / Math.sqrt(2 * n), `std of z_${u + 1}`);
      for (let s = 0; s < n; s++) standardised[u]!.push((p.z[s * d + u]! - p.mu[u]!) / sigma);
    }
    // A diagonal covariance: the standardised dimensions are uncorrelated.
    const r = standardised[0]!.reduce((acc, a, s) => acc + a * standardised[1]![s]!, 0) / n;
    assertClose(r, 0, 4 / Math.sqrt(n), 'correlation of the two dimensions');
  });

  test('a seed reproduces the draw; another seed gives other codes from the same q', () => {
    const image = oneImage(3);
    const a = posteriorSamples(vae, image, 6, 1);
    const b = posteriorSamples(vae, image, 6, 1);
    const c = posteriorSamples(vae, image, 6, 2);
    assert.deepEqual(b.z, a.z);
    assert.deepEqual(b.images, a.images);
    assert.deepEqual(c.mu, a.mu);
    assert.deepEqual(c.sigma, a.sigma);
    assert.notDeepEqual(c.z, a.z);
  });

  test('creates no lasting tensors, and refuses a wrong image size or sample count', () => {
    const image = oneImage(4);
    posteriorSamples(vae, image, 3, 1);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 5; k++) posteriorSamples(vae, image, 8, k);
    assert.equal(tf.memory().numTensors, before);
    assert.throws(() => posteriorSamples(vae, image.subarray(1), 3, 1), /one image of 784 pixels/);
    assert.throws(() => posteriorSamples(vae, image, 0, 1), /whole number of samples/);
    assert.equal(tf.memory().numTensors, before);
  });

  test('a plain autoencoder’s code has no spread: σ is 0 and every sample is μ', () => {
    const ae = buildVae(MODEL_SPECS['mnist-ae-z2']);
    try {
      const p = posteriorSamples(ae, oneImage(5), 4, 1);
      assert.deepEqual(Array.from(p.sigma), [0, 0]);
      for (let s = 0; s < 4; s++) assert.deepEqual(Array.from(p.z.subarray(2 * s, 2 * s + 2)), Array.from(p.mu));
    } finally {
      disposeVae(ae);
    }
  });
});

describe('loadImage', () => {
  const BASE = 'data/mnist';
  const ranges: [string, number, number][] = [];
  const readRange: ReadRange = async (path, start, end) => {
    ranges.push([path, start, end]);
    const file = await open(join(PUBLIC, path));
    try {
      const out = new Uint8Array(end - start);
      const { bytesRead } = await file.read(out, 0, out.length, start);
      return out.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  };

  test('reads exactly one image and its label, equal to the whole split’s, in any shard', async () => {
    const manifest = await loadManifest(readPublic, BASE);
    const test = await loadSplit(readPublic, BASE, 'test');
    for (const i of [0, 1, 4321, 9999]) {
      ranges.length = 0;
      const { image, label } = await loadImage(readRange, BASE, manifest, 'test', i);
      assert.deepEqual(image, test.images.subarray(i * PIXELS, (i + 1) * PIXELS), `test image ${i}`);
      assert.equal(label, test.labels[i], `test label ${i}`);
      assert.equal(ranges.reduce((s, [, a, b]) => s + b - a, 0), PIXELS + 1, 'bytes read');
    }
    // The training split spans several shards: image 10,000 is the second shard's first.
    const first = manifest.splits.train.shards[0]!.count;
    const train = await loadSplit(readPublic, BASE, 'train', { limit: first + 2 });
    const { image, label } = await loadImage(readRange, BASE, manifest, 'train', first + 1);
    assert.deepEqual(image, train.images.subarray((first + 1) * PIXELS, (first + 2) * PIXELS));
    assert.equal(label, train.labels[first + 1]);
  });

  test('refuses an index outside the split, and a short read, with a DataError that says why', async () => {
    const manifest = await loadManifest(readPublic, BASE);
    for (const i of [-1, 10_000, 2.5, Number.NaN]) {
      await assert.rejects(loadImage(readRange, BASE, manifest, 'test', i), (e: unknown) => e instanceof DataError && /images 0 to 9999/.test(e.message));
    }
    const short: ReadRange = async (path, start, end) => (await readRange(path, start, end)).subarray(1);
    await assert.rejects(loadImage(short, BASE, manifest, 'test', 3), (e: unknown) => e instanceof DataError && /expected 784 and 1/.test(e.message));
  });
});
