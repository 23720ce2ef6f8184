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
