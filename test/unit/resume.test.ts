/**
 * A run checkpointed and resumed (weights saved and reloaded, trainer state restored) follows
 * exactly the same trajectory as one that never stopped.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { tf } from '../../src/vae/backend.ts';
import { loadSplit, type ImageSet } from '../../src/vae/data.ts';
import { loadVae, vaeToFiles } from '../../src/vae/io.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { continueFrom } from '../../src/vae/data-parallel.ts';
import { Trainer } from '../../src/vae/train.ts';
import { readPublic } from '../../scripts/lib/files.ts';
import { useWasm, weightsOf } from './helpers.ts';

const spec = getSpec('mnist-conv-z2');
const options = { batchSize: 64, learningRate: 2e-3, seed: 9, klWarmupSteps: 4 };
let data: ImageSet;

before(async () => {
  await useWasm();
  // 200 images: 3 steps per epoch, so the run crosses a reshuffle after the checkpoint.
  data = await loadSplit(readPublic, 'data/mnist', 'train', { limit: 200 });
});

test('checkpoint → save weights → reload → restore → continue equals an uninterrupted run', async () => {
  const straight = new Trainer(buildVae(spec), data, options);
  const straightLosses = Array.from({ length: 7 }, () => straight.step().loss);

  const first = new Trainer(buildVae(spec), data, options);
  for (let i = 0; i < 4; i++) first.step();
  const checkpoint = JSON.parse(JSON.stringify(await first.checkpoint())) as Awaited<ReturnType<Trainer['checkpoint']>>;
  const files = await vaeToFiles(first.vae);
  first.dispose();
  disposeVae(first.vae);

  const before = tf.memory().numTensors;
  const vae = await loadVae(spec, async (path) => files[path.replace(/^\.\//, '')]!, '.');
  const resumed = new Trainer(vae, data, options);
  await resumed.restore(checkpoint);
  assert.equal(resumed.steps, 4);
  const resumedLosses = Array.from({ length: 3 }, () => resumed.step().loss);

  assert.deepEqual(resumedLosses, straightLosses.slice(4), 'losses of steps 5–7');
  assert.deepEqual(weightsOf(resumed.vae), weightsOf(straight.vae), 'weights after step 7');
  assert.ok(resumedLosses.every(Number.isFinite));

  resumed.dispose();
  disposeVae(vae);
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind by restore');
  straight.dispose();
  disposeVae(straight.vae);
});

test('a checkpoint made on another data set size is refused', async () => {
  const t = new Trainer(buildVae(spec), data, options);
  t.step();
  const checkpoint = await t.checkpoint();
  const other = new Trainer(buildVae(spec), { ...data, count: 128 }, options);
  await assert.rejects(other.restore(checkpoint), /made on 200 training images, not 128/);
  for (const x of [t, other]) {
    x.dispose();
    disposeVae(x.vae);
  }
});

test('continueFrom: with a copy’s checkpoint it goes on exactly, at the new trainer’s learning rate; without one it counts on from the steps', async () => {
  const straight = new Trainer(buildVae(spec), data, options);
  const straightLosses = Array.from({ length: 6 }, () => straight.step().loss);

  const first = new Trainer(buildVae(spec), data, options);
  for (let i = 0; i < 3; i++) first.step();
  const copy = { files: await vaeToFiles(first.vae), steps: first.steps, checkpoint: await first.checkpoint() };
  const load = () => loadVae(spec, async (path) => copy.files[path.replace(/^\.\//, '')]!, '.');

  const exact = new Trainer(await load(), data, options);
  await continueFrom(exact, copy);
  assert.equal(exact.steps, 3);
  assert.deepEqual(Array.from({ length: 3 }, () => exact.step().loss), straightLosses.slice(3), 'losses of steps 4–6');

  // The reader may have changed the rate before continuing: the copy's own rate does not win.
  const slower = new Trainer(await load(), data, { ...options, learningRate: 1e-4 });
  await continueFrom(slower, copy);
  assert.equal(slower.options.learningRate, 1e-4);
  assert.equal(slower.plan().learningRate, 1e-4);

  // An opened model has weights and steps but no trainer state: Adam starts afresh.
  const opened = new Trainer(await load(), data, options);
  await continueFrom(opened, { files: copy.files, steps: 3 });
  assert.equal(opened.steps, 3);
  const report = opened.step();
  assert.equal(report.step, 4);
  assert.ok(Number.isFinite(report.loss));
  assert.notEqual(report.loss, straightLosses[3], 'a fresh batch order and optimiser, not the copy’s');
  assert.throws(() => opened.continueAt(10), /not stepped yet/);

  for (const t of [straight, first, exact, slower, opened]) {
    t.dispose();
    disposeVae(t.vae);
  }
});

test('checkpoint() leaves no tensor behind, however often it is called', async () => {
  const t = new Trainer(buildVae(spec), data, options);
  t.step();
  await t.checkpoint();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) await t.checkpoint();
  assert.equal(tf.memory().numTensors, before, 'tensors after five more checkpoints');
  t.dispose();
  disposeVae(t.vae);
});
