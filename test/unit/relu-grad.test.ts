/**
 * The one-pass ReLU gradient on wasm (src/vae/kernels/relu-grad.ts) against TF.js's own
 * formula on the cpu backend, ∂L/∂y · step(x): zeros, signs, NaN and infinite upstream
 * gradients, a length that is not a multiple of 4, and no leaked tensor or buffer.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { setWasmHelpersEnabled } from '../../src/vae/kernels/wasm-helpers.ts';
import { countWasmCalls, gaussianSampler, tf, useWasm } from './helpers.ts';

before(async () => {
  await useWasm();
  tf.env().set('IS_TEST', true);
});

const X = [1.5, -2, 0, 3, Number.NaN, -0.5, 2, 0.25, -1, 4, 1e-30];
const DY = [0.5, 1, 2, Number.POSITIVE_INFINITY, 1, Number.NaN, -3, 7, Number.NEGATIVE_INFINITY, 1, 2];

function gradient(x: number[], dy: number[]): number[] {
  return tf.tidy(() => {
    const [g] = tf.grads((v: tf.Tensor) => tf.relu(v))([tf.tensor(x)], tf.tensor(dy));
    return Array.from(g!.dataSync());
  });
}

/** Object.is-equal, so NaN matches NaN and the test sees every lane. */
function assertSame(got: number[], want: number[], what: string): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => assert.ok(Object.is(g, want[i]) || (g === 0 && want[i] === 0), `${what}[${i}]: ${g}, want ${want[i]}`));
}

test('∂L/∂x = ∂L/∂y · step(x) as TF.js computes it, on the WebAssembly loop and without it', async () => {
  await tf.setBackend('cpu');
  const want = gradient(X, DY);
  await tf.setBackend('wasm');
  assertSame(gradient(X, DY), want, 'wasm');
  setWasmHelpersEnabled(false);
  try {
    assertSame(gradient(X, DY), want, 'wasm, TF.js formula');
  } finally {
    setWasmHelpersEnabled(true);
  }
});

test('a model-sized activation: same values as cpu, one pass instead of Step and Multiply, nothing leaked', async () => {
  const normal = gaussianSampler(5);
  const x = Array.from({ length: 4 * 28 * 28 * 32 + 3 }, normal);
  const dy = Array.from({ length: x.length }, normal);
  await tf.setBackend('cpu');
  const want = gradient(x, dy);
  await tf.setBackend('wasm');
  const be = tf.backend();
  const [tensors, ids] = [tf.memory().numTensors, be.numDataIds()];
  let got: number[] = [];
  const steps = countWasmCalls('Step', () => (got = gradient(x, dy)));
  assert.equal(steps, 0, 'the gradient ran TF.js’s Step kernel');
  assertSame(got, want, 'wasm');
  assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
  assert.equal(be.numDataIds(), ids, 'leaked buffers');
});
