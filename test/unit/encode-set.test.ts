/**
 * encodeSet: a whole set encoded in batches gives what one call of encode() gives, passes a
 * conditional model its labels, and leaves no tensor behind.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ImageSet } from '../../src/vae/data.ts';
import { encodeSet } from '../../src/vae/encode-set.ts';
import { encode } from '../../src/vae/infer.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { MODEL_SPECS, PIXELS } from '../../src/vae/spec.ts';
import { maxAbsDiff, tf, uniformSampler, useWasm } from './helpers.ts';

before(async () => {
  await useWasm();
});

function someSet(count: number, seed: number): ImageSet {
  const u = uniformSampler(seed);
  return {
    count,
    images: Uint8Array.from({ length: count * PIXELS }, () => (u() < 0.7 ? 0 : Math.floor(256 * u()))),
    labels: Uint8Array.from({ length: count }, () => Math.floor(10 * u())),
  };
}

const asFloat = (set: ImageSet) => Float32Array.from(set.images, (v) => v / 255);

for (const id of ['mnist-conv-z2', 'mnist-ae-z2', 'mnist-cvae-z2'] as const) {
  test(`${id}: batches of 3 over 7 images give encode()'s μ and log σ², and tf.memory() stays flat`, () => {
    const vae = buildVae(MODEL_SPECS[id]);
    try {
      const set = someSet(7, 17);
      const labels = vae.spec.kind === 'cvae' ? set.labels : undefined;
      const whole = encode(vae, asFloat(set), labels);
      const before = tf.memory().numTensors;
      const bytes = tf.memory().numBytes;
      const got = encodeSet(vae, set, 3);
      encodeSet(vae, set, 500);
      assert.equal(tf.memory().numTensors, before, 'tensors alive after encodeSet');
      assert.equal(tf.memory().numBytes, bytes, 'bytes held after encodeSet');
      assert.equal(got.mu.length, 7 * vae.spec.latentDim);
      assert.ok(maxAbsDiff(got.mu, whole.mu) < 1e-5, 'μ');
      if (whole.logVar) assert.ok(maxAbsDiff(got.logVar!, whole.logVar) < 1e-5, 'log σ²');
      else assert.equal(got.logVar, null, 'a plain autoencoder has no log σ²');
    } finally {
      disposeVae(vae);
    }
  });
}

test('encodeSet refuses a batch size that is not a whole number of at least 1', () => {
  const vae = buildVae(MODEL_SPECS['mnist-conv-z2']);
  try {
    assert.throws(() => encodeSet(vae, someSet(2, 1), 0), /batch size/);
  } finally {
    disposeVae(vae);
  }
});
