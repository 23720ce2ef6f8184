/**
 * The reaches into TF.js's internals (src/vae/tf-internals.ts), each checked by what it does, so
 * that a TF.js upgrade that moves one fails here. Node has no WebGL: here the context getter
 * must say so on the cpu and wasm backends; losing a real context, and training moving to wasm
 * from the last copy, is the browser test "the GPU's WebGL context lost during training" in
 * test/e2e/trainer.spec.ts, and the page's own recovery the lost-context tests of the figures.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { tf } from '../../src/vae/backend.ts';
import { loadSplit, type ImageSet } from '../../src/vae/data.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { countKernels, loseWebglContext, pageTestHooks, setOptimizerLearningRate, tensorMemory, webglContext, webglContextLost, workerTestHooks } from '../../src/vae/tf-internals.ts';
import { Trainer } from '../../src/vae/train.ts';
import { readPublic } from '../../scripts/lib/files.ts';
import { useWasm } from './helpers.ts';

let data: ImageSet;

before(async () => {
  await useWasm();
  data = await loadSplit(readPublic, 'data/mnist', 'train', { limit: 128 });
});

/** One Adam step on (w − 3)² from w = 1, at the rate set through the module. */
function adamStep(rate: number): { before: number; after: number } {
  const w = tf.variable(tf.scalar(1));
  const optimizer = tf.train.adam(0.1);
  try {
    setOptimizerLearningRate(optimizer, rate);
    const before = w.dataSync()[0]!;
    optimizer.minimize(() => tf.square(tf.sub(w, 3)) as tf.Scalar);
    return { before, after: w.dataSync()[0]! };
  } finally {
    optimizer.dispose();
    w.dispose();
  }
}

test('the learning rate set on the optimizer is the one its next update uses', () => {
  const still = adamStep(0);
  assert.equal(still.after, still.before, 'a rate of 0 leaves the weight where it was');
  const moved = adamStep(0.5);
  // Adam's first step moves by the rate, towards the minimum at 3.
  assert.ok(Math.abs(moved.after - moved.before - 0.5) < 1e-4, `moved from ${moved.before} to ${moved.after}`);
});

test('a Trainer whose rate is set to 0 keeps its weights through a step; at its own rate they change', () => {
  const weights = (trainer: Trainer) => trainer.vae.encoder.getWeights().concat(trainer.vae.decoder.getWeights()).map((t) => Array.from(t.dataSync()));
  for (const [rate, changes] of [
    [0, false],
    [2e-3, true],
  ] as const) {
    const vae = buildVae(getSpec('mnist-mlp-z2'));
    const trainer = new Trainer(vae, data, { batchSize: 32, learningRate: 1e-3, seed: 4 });
    try {
      trainer.setLearningRate(rate);
      const before = weights(trainer);
      trainer.step();
      const after = weights(trainer);
      const same = after.every((w, i) => w.every((v, j) => v === before[i]![j]));
      assert.equal(same, !changes, `rate ${rate}: weights ${changes ? 'change' : 'stay'}`);
    } finally {
      trainer.dispose();
      disposeVae(vae);
    }
  }
});

test('the memory reading is tf.memory(), and one more tensor counts one more', () => {
  const reading = tensorMemory();
  const { numTensors, numBytes } = tf.memory();
  assert.deepEqual(reading, { numTensors, numBytes });
  const t = tf.tensor1d([1, 2, 3, 4]);
  try {
    const after = tensorMemory();
    assert.equal(after.numTensors, reading.numTensors + 1);
    assert.equal(after.numBytes, reading.numBytes + 16);
    assert.equal(workerTestHooks().latentLabMemory().numTensors, after.numTensors, 'the workers’ hook reads the same');
  } finally {
    t.dispose();
  }
  assert.equal(tensorMemory().numTensors, reading.numTensors);
});

test('the kernel count follows every kernel run from when it starts, and stops when asked', () => {
  const kernels = countKernels();
  try {
    const a = tf.tensor1d([1, 2]);
    const b = tf.add(a, a);
    const c = tf.mul(b, a);
    assert.equal(kernels.count(), 2, 'add and mul');
    tf.dispose([a, b, c]);
  } finally {
    kernels.stop();
  }
  const d = tf.neg(tf.scalar(1));
  d.dispose();
  assert.equal(kernels.count(), 2, 'nothing counted once stopped');
  const hooks = pageTestHooks();
  const e = tf.tensor1d([1]);
  const f = tf.abs(e);
  assert.equal(hooks.latentLabMainThreadKernels(), 1);
  assert.equal(hooks.latentLabTensors(), tf.memory().numTensors);
  tf.dispose([e, f]);
});

test('off WebGL there is no context: the getter says undefined, nothing is lost, and losing one does nothing', async () => {
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    assert.equal(tf.getBackend(), backend);
    assert.equal(webglContext(), undefined, backend);
    assert.equal(webglContextLost(), false, backend);
    assert.equal(loseWebglContext(), false, backend);
    assert.equal(workerTestHooks().latentLabLoseWebgl(), false, backend);
  }
});
