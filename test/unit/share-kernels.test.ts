/**
 * Identity and a same-dtype Cast on wasm share their input's buffer instead of copying it
 * (src/vae/kernels/share.ts): same values, one buffer until the last reference goes, and the
 * other casts still convert.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { tf, useWasm } from './helpers.ts';

before(async () => {
  await useWasm();
  await tf.setBackend('wasm');
});

test('tf.clone and a float32 → float32 cast share the buffer, which lives until the last reference is disposed', () => {
  const be = tf.backend();
  const before = be.numDataIds();
  const a = tf.tensor([1.5, -2, 3]);
  const b = tf.clone(a);
  const c = tf.cast(a, 'float32');
  assert.equal(be.numDataIds(), before + 1, 'a copy was made');
  a.dispose();
  assert.deepEqual(Array.from(b.dataSync()), [1.5, -2, 3]);
  b.dispose();
  assert.deepEqual(Array.from(c.dataSync()), [1.5, -2, 3]);
  c.dispose();
  assert.equal(be.numDataIds(), before, 'the shared buffer was not freed');
});

test('casts to another dtype still convert', () => {
  tf.tidy(() => {
    assert.deepEqual(Array.from(tf.cast(tf.tensor([1.7, -2.2]), 'int32').dataSync()), [1, -2]);
    assert.deepEqual(Array.from(tf.cast(tf.tensor([true, false], undefined, 'bool'), 'float32').dataSync()), [1, 0]);
  });
});

test('a gradient through saved (shared) tensors is unchanged: d/dx Σ relu(x)·x = 2x for x > 0, else 0', () => {
  const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.relu(x).mul(x).sum())(tf.tensor([-1, 0.5, 2])).arraySync() as number[]);
  assert.deepEqual(g, [0, 1, 4]);
});
