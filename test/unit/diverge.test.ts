/**
 * A step whose loss or gradient is not finite is refused before it touches the weights, so a
 * run that diverges stops on the last good weights.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { tf } from '../../src/vae/backend.ts';
import { loadSplit, type ImageSet } from '../../src/vae/data.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { DivergedError, Trainer } from '../../src/vae/train.ts';
import { readPublic } from '../../scripts/lib/files.ts';
import { useWasm, weightsOf } from './helpers.ts';

let data: ImageSet;
before(async () => {
  await useWasm();
  data = await loadSplit(readPublic, 'data/mnist', 'train', { limit: 512 });
});

test('an absurd learning rate diverges; the diverged step is not applied and nothing leaks', () => {
  const trainer = new Trainer(buildVae(getSpec('mnist-conv-z2')), data, { batchSize: 64, learningRate: 1e4, seed: 1 });
  trainer.step(); // creates Adam's slots
  const tensors = tf.memory().numTensors;
  let diverged: DivergedError | undefined;
  let last = weightsOf(trainer.vae);
  for (let i = 0; i < 20 && !diverged; i++) {
    try {
      trainer.step();
      last = weightsOf(trainer.vae);
    } catch (err) {
      assert.ok(err instanceof DivergedError, String(err));
      diverged = err;
    }
  }
  assert.ok(diverged, 'the loss should become NaN within 20 steps at lr = 1e4');
  assert.equal(diverged.step, trainer.steps + 1, 'the step counter did not advance');
  assert.match(diverged.message, /not a finite number.*weights are those of step/);
  assert.deepEqual(weightsOf(trainer.vae), last, 'weights are those of the last good step');
  assert.ok(weightsOf(trainer.vae).every((w) => w.every(Number.isFinite)));
  assert.equal(tf.memory().numTensors, tensors);
  trainer.dispose();
  disposeVae(trainer.vae);
});

test('run() rejects with DivergedError and leaves the trainer idle, ready to go on', async () => {
  const trainer = new Trainer(buildVae(getSpec('mnist-conv-z2')), data, { batchSize: 64, learningRate: 1e4, seed: 1 });
  await assert.rejects(trainer.run(50), DivergedError);
  assert.equal(trainer.state, 'idle');
  trainer.setLearningRate(1e-3);
  assert.equal(trainer.options.learningRate, 1e-3);
  trainer.dispose();
  disposeVae(trainer.vae);
});

test('rollBack returns to the weights whose loss was finite, and a sane rate then trains on from there', () => {
  // At lr = 100 the first update is applied (its loss was finite) but ruins the weights: the
  // second step's loss is not finite. Keeping step 1's weights would fail again at any rate.
  const trainer = new Trainer(buildVae(getSpec('mnist-mlp-z2')), data, { batchSize: 64, learningRate: 100, seed: 1 });
  const initial = weightsOf(trainer.vae);
  assert.equal(trainer.rollBack(), 0, 'nothing to undo before the first update');
  assert.deepEqual(weightsOf(trainer.vae), initial);
  const good: number[][][] = [initial];
  let diverged: DivergedError | undefined;
  for (let i = 0; i < 20 && !diverged; i++) {
    try {
      trainer.step();
      good.push(weightsOf(trainer.vae));
    } catch (err) {
      assert.ok(err instanceof DivergedError, String(err));
      diverged = err;
    }
  }
  assert.ok(diverged, 'lr = 100 should diverge within 20 steps');
  const tensors = tf.memory().numTensors;
  const restored = trainer.rollBack();
  assert.equal(restored, diverged.step - 2, 'the update before the diverged step is undone');
  assert.equal(trainer.steps, restored);
  assert.deepEqual(weightsOf(trainer.vae), good[restored], 'the weights the last applied update started from');
  assert.ok(tf.memory().numTensors < tensors, 'the kept copy is freed once used');
  trainer.setLearningRate(1e-3);
  for (let i = 0; i < 3; i++) assert.ok(Number.isFinite(trainer.step().loss), 'training goes on at a sane rate');
  trainer.dispose();
  disposeVae(trainer.vae);
});
