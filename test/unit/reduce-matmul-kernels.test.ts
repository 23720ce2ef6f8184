/**
 * The wasm BatchMatMul (transpose flags taken out) and Sum (over every axis but the last) that
 * the engine registers, against the reference `cpu` backend: outputs and gradients, the cases
 * they take over and the ones they hand to the stock kernels, and no leaked buffer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setWasmHelpersEnabled } from '../../src/vae/kernels/wasm-helpers.ts';
import { countWasmCalls, gaussianSampler, maxAbs, maxAbsDiff, tf, useWasm } from './helpers.ts';

interface Outcome {
  values: Float32Array[];
  tensors: number;
  dataIds: number;
}

/** Runs `fn` on `backend` over the same inputs; returns its outputs and what it left behind. */
async function on(backend: 'cpu' | 'wasm', inputs: { shape: number[]; seed: number; dtype?: 'float32' | 'int32' }[], fn: (...xs: tf.Tensor[]) => tf.Tensor[]): Promise<Outcome> {
  await tf.setBackend(backend);
  const be = tf.backend();
  const xs = inputs.map(({ shape, seed, dtype }) => {
    const normal = gaussianSampler(seed);
    const n = shape.reduce((a, b) => a * b, 1);
    return dtype === 'int32' ? tf.tensor(Int32Array.from({ length: n }, () => Math.round(5 * normal())), shape, 'int32') : tf.tensor(Float32Array.from({ length: n }, normal), shape);
  });
  const tensors = tf.memory().numTensors;
  const dataIds = be.numDataIds();
  const outs = fn(...xs);
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  const outcome = { values, tensors: tf.memory().numTensors - tensors, dataIds: be.numDataIds() - dataIds };
  tf.dispose(xs);
  return outcome;
}

async function expectSameAsCpu(inputs: Parameters<typeof on>[1], fn: Parameters<typeof on>[2]): Promise<void> {
  const want = await on('cpu', inputs, fn);
  const got = await on('wasm', inputs, fn);
  assert.equal(got.tensors, 0, 'wasm run leaked tensors');
  assert.equal(got.dataIds, 0, 'wasm kernels leaked backend buffers');
  assert.equal(got.values.length, want.values.length);
  got.values.forEach((g, i) => {
    const w = want.values[i]!;
    assert.equal(g.length, w.length, `output ${i}: length`);
    const scale = maxAbs(w);
    assert.ok(scale > 0, `output ${i}: reference is all zeros`);
    const err = maxAbsDiff(g, w);
    assert.ok(err <= 1e-5 * scale, `output ${i}: max|wasm − cpu| = ${err.toExponential(3)} > 1e-5 · ${scale.toExponential(3)}`);
  });
}

before(async () => {
  await useWasm();
  tf.env().set('IS_TEST', true);
});

after(async () => {
  await tf.setBackend('wasm');
});

describe('BatchMatMul on wasm matches cpu, with and without transpose flags', () => {
  const cases: { name: string; a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { name: 'dense layer gradient ∂y·Wᵀ', a: [64, 16], b: [300, 16], ta: false, tb: true },
    { name: 'dense layer gradient xᵀ·∂y', a: [64, 300], b: [64, 16], ta: true, tb: false },
    { name: 'both transposed', a: [7, 5], b: [9, 7], ta: true, tb: true },
    { name: 'batched, transposed b', a: [3, 4, 6], b: [3, 5, 6], ta: false, tb: true },
    { name: 'batched, transposed a', a: [3, 6, 4], b: [3, 6, 5], ta: true, tb: false },
    { name: 'no flags (stock kernel)', a: [8, 12], b: [12, 10], ta: false, tb: false },
  ];
  for (const [i, c] of cases.entries()) {
    test(`${c.name}: product and both gradients`, async () => {
      await expectSameAsCpu([{ shape: c.a, seed: 10 + i }, { shape: c.b, seed: 40 + i }], (a, b) => {
        const f = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, c.ta, c.tb);
        const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => f(x, y).square().sum())([a!, b!]);
        return [f(a!, b!), ga!, gb!];
      });
    });
  }
});

test('a flagged product transposes its operand first, so the stock kernel multiplies without flags', async () => {
  await tf.setBackend('wasm');
  const product = (ta: boolean, tb: boolean) => () => void tf.tidy(() => tf.matMul(tf.ones([4, 4]), tf.ones([4, 4]), ta, tb).dataSync());
  assert.equal(countWasmCalls('Transpose', product(true, false)), 1);
  assert.equal(countWasmCalls('Transpose', product(false, true)), 1);
  assert.equal(countWasmCalls('Transpose', product(true, true)), 2);
  assert.equal(countWasmCalls('Transpose', product(false, false)), 0);
});

describe('Sum on wasm matches cpu over every reduction the models and figures use', () => {
  const cases: { name: string; shape: number[]; axis: number | number[]; keepDims: boolean; dtype?: 'int32' }[] = [
    { name: 'conv bias gradient: axes 0, 1, 2 of NHWC, keepDims', shape: [16, 14, 14, 32], axis: [0, 1, 2], keepDims: true },
    { name: 'axes 0, 1, 2 without keepDims', shape: [4, 7, 7, 64], axis: [0, 1, 2], keepDims: false },
    { name: 'axes given out of order and negative', shape: [3, 5, 6, 4], axis: [-2, 0, 1], keepDims: false },
    { name: 'many rows (float32 blocks, float64 total), 3 channels', shape: [64, 28, 28, 3], axis: [0, 1, 2], keepDims: false },
    { name: 'many rows, 8 channels, the last block short', shape: [50, 27, 29, 8], axis: [0, 1, 2], keepDims: true },
    { name: 'dense bias gradient: axis 0 of a matrix', shape: [128, 16], axis: 0, keepDims: false },
    { name: 'inner axes (stock kernel)', shape: [4, 5, 6], axis: [1, 2], keepDims: false },
    { name: 'the last axis (stock kernel)', shape: [4, 5, 6], axis: -1, keepDims: true },
    { name: 'everything (stock kernel)', shape: [4, 5, 6], axis: [0, 1, 2], keepDims: false },
    { name: 'int32 (stock kernel)', shape: [6, 5], axis: 0, keepDims: false, dtype: 'int32' },
  ];
  // Each case twice: with the WebAssembly loop (four channels at a time) and with the JavaScript one.
  for (const js of [false, true]) for (const [i, c] of cases.entries()) {
    test(`${c.name}: sum and its gradient${js ? ' (JavaScript loop)' : ''}`, async (t) => {
      setWasmHelpersEnabled(!js);
      t.after(() => setWasmHelpersEnabled(true));
      await expectSameAsCpu([{ shape: c.shape, seed: 70 + i, ...(c.dtype ? { dtype: c.dtype } : {}) }], (x) => {
        const s = tf.sum(x!, c.axis, c.keepDims);
        if (c.dtype) return [s];
        const g = tf.grad((v: tf.Tensor) => tf.sum(v, c.axis, c.keepDims).square().sum())(x!);
        return [s, g];
      });
    });
  }

  test('the sum keeps TF.js’s output shapes', async () => {
    await tf.setBackend('wasm');
    tf.tidy(() => {
      assert.deepEqual(tf.sum(tf.ones([2, 3, 4, 5]), [0, 1, 2], true).shape, [1, 1, 1, 5]);
      assert.deepEqual(tf.sum(tf.ones([2, 3, 4, 5]), [0, 1, 2]).shape, [5]);
      assert.deepEqual(Array.from(tf.sum(tf.ones([2, 3, 4, 5]), [0, 1, 2]).dataSync()), [24, 24, 24, 24, 24]);
    });
  });
});
