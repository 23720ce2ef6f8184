/**
 * The digit classifier that counts what a decoder draws: the committed weights score the test
 * accuracy their metrics.json states, `classify` is the arg-max of a forward pass written out by
 * hand, training from scratch learns, a model of the wrong shape is refused in words, and no
 * tensor is left behind. The drawn digits' counts cover every draw.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { accuracy, classifierFolder, classify, loadClassifier, trainClassifier, type ClassifierMetrics } from '../../src/vae/classifier.ts';
import { loadSplit, sliceSet, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { drawnClassCounts, CLASS_DRAWS } from '../../src/vae/drawn-classes.ts';
import { layersModelToFiles, loadVae, WeightsError } from '../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE } from '../../src/vae/latents-file.ts';
import { disposeVae } from '../../src/vae/model.ts';
import { getSpec, PIXELS } from '../../src/vae/spec.ts';
import { tf, useWasm } from './helpers.ts';

let test10k: ImageSet;

before(async () => {
  await useWasm();
  test10k = await loadSplit(readPublic, 'data/mnist', 'test');
});

describe('the committed MNIST classifier', () => {
  test('scores the test accuracy its metrics.json states, well above 95 %', async () => {
    const metrics = JSON.parse(readFileSync(join(PUBLIC, classifierFolder('mnist'), 'metrics.json'), 'utf8')) as ClassifierMetrics;
    const before = tf.memory().numTensors;
    const model = await loadClassifier(readPublic, 'mnist');
    try {
      const measured = accuracy(model, test10k);
      assert.ok(Math.abs(measured - metrics.testAccuracy) < 5e-4, `measured ${measured}, metrics.json says ${metrics.testAccuracy}`);
      assert.ok(measured > 0.95, `${measured}`);
      assert.equal(metrics.parameters, model.countParams());
    } finally {
      model.dispose();
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test('classify is the arg-max of W₂ ReLU(W₁ x + b₁) + b₂, computed here without TF.js', async () => {
    const model = await loadClassifier(readPublic, 'mnist');
    try {
      const [w1, b1, w2, b2] = model.getWeights().map((w) => w.dataSync());
      const hidden = b1!.length;
      const images = toFloat(test10k, Array.from({ length: 50 }, (_, i) => i));
      const got = classify(model, images, 16);
      for (let k = 0; k < 50; k++) {
        const h = Array.from({ length: hidden }, (_, j) => {
          let a = b1![j]!;
          for (let p = 0; p < PIXELS; p++) a += images[k * PIXELS + p]! * w1![p * hidden + j]!;
          return Math.max(0, a);
        });
        const logits = Array.from({ length: 10 }, (_, c) => h.reduce((a, v, j) => a + v * w2![j * 10 + c]!, b2![c]!));
        const sorted = [...logits].sort((a, b) => b - a);
        // Skip a near tie, where float32 and float64 may pick different classes.
        if (sorted[0]! - sorted[1]! < 1e-4) continue;
        assert.equal(got[k], logits.indexOf(sorted[0]!), `image ${k}`);
      }
    } finally {
      model.dispose();
    }
  });
});

test('a classifier trained from scratch on 3,000 images for two epochs learns (cross-entropy falls, over 80 % right on 1,000 others)', () => {
  const before = tf.memory().numTensors;
  const losses: number[] = [];
  const model = trainClassifier(sliceSet(test10k, 0, 3000), { epochs: 2, batchSize: 64, learningRate: 1e-3, seed: 5, onEpoch: (_, loss) => losses.push(loss) });
  try {
    assert.ok(losses[1]! < losses[0]!, `${losses}`);
    assert.ok(accuracy(model, sliceSet(test10k, 5000, 6000)) > 0.8);
  } finally {
    model.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
});

test('a model that does not map 784 grey levels to 10 classes is refused in words', async () => {
  const wrong = tf.sequential({ layers: [tf.layers.dense({ inputShape: [PIXELS], units: 3 })] });
  const files = await layersModelToFiles(wrong);
  wrong.dispose();
  const read = async (path: string) => {
    const name = path.split('/').pop()!;
    if (!files[name]) throw new Error(`${path} is missing`);
    return files[name];
  };
  await assert.rejects(loadClassifier(read, 'mnist'), (e: Error) => e instanceof WeightsError && /not 784 grey levels to 10 classes/.test(e.message));
  await assert.rejects(loadClassifier(async () => new TextEncoder().encode('not json'), 'mnist'), (e: Error) => e instanceof WeightsError && /not valid JSON/.test(e.message));
});

test('the drawn digits’ counts cover every draw of each source, without leaking tensors', async () => {
  const vae = await loadVae(getSpec('mnist-conv-z2'), readPublic, 'weights/mnist-conv-z2');
  const classifier = await loadClassifier(readPublic, 'mnist');
  const points = decodeLatents(new Uint8Array(readFileSync(join(PUBLIC, 'weights', 'mnist-conv-z2', LATENTS_FILE))));
  const before = tf.memory().numTensors;
  try {
    for (const from of ['prior', 'aggregate'] as const) {
      const counts = drawnClassCounts(vae, classifier, { count: points.count, mu: points.mu, logVar: points.logVar! }, from);
      assert.equal(counts.length, 10);
      assert.equal(counts.reduce((a, b) => a + b, 0), CLASS_DRAWS);
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  } finally {
    classifier.dispose();
    disposeVae(vae);
  }
});
