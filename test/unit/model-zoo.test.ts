/**
 * Every model of the zoo from one spec table: each builds, trains a few steps without leaking,
 * and behaves as its kind promises. A conditional VAE needs labels and uses them; a plain
 * autoencoder has no spread, no KL and no likelihood bound; loading weights into the wrong spec
 * is refused with a message that says what differs.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { readPublic } from '../../scripts/lib/files.ts';
import { loadSplit, type ImageSet } from '../../src/vae/data.ts';
import { evaluate, evaluateModel } from '../../src/vae/evaluate.ts';
import { decode, encode, reconstruct, sample } from '../../src/vae/infer.ts';
import { loadVae, vaeToFiles, WeightsError } from '../../src/vae/io.ts';
import { buildVae, countParams, disposeVae } from '../../src/vae/model.ts';
import { getSpec, imageShape, imageValues, MODEL_SPECS, type ModelSpec } from '../../src/vae/spec.ts';
import { Trainer, learningRateAt } from '../../src/vae/train.ts';
import { maxAbsDiff, tf, useWasm } from './helpers.ts';

let mnist: ImageSet;

before(async () => {
  await useWasm();
  mnist = await loadSplit(readPublic, 'data/mnist', 'train', { limit: 256 });
});

const specs = Object.values(MODEL_SPECS) as ModelSpec[];

describe('model zoo', () => {
  for (const spec of specs) {
    test(`${spec.id}: builds from its spec, trains 3 steps with a falling loss, and leaks no tensor`, async () => {
      // Each model on 256 images of its own data (its own shape); the grey models on MNIST's.
      const data = spec.image ? await loadSplit(readPublic, `data/${spec.dataset}`, 'train', { limit: 256 }) : mnist;
      const before = tf.memory().numTensors;
      const vae = buildVae(spec);
      const trainer = new Trainer(vae, data, { batchSize: 64, learningRate: 2e-3, seed: 5 });
      const losses = [0, 1, 2].map(() => trainer.step().loss);
      assert.ok(losses.every(Number.isFinite), `losses ${losses}`);
      assert.ok(losses[2]! < losses[0]!, `loss did not fall: ${losses}`);
      const z = new Float32Array(spec.latentDim);
      const label = spec.kind === 'cvae' ? 3 : undefined;
      assert.equal(decode(vae, z, label).length, imageValues(imageShape(spec)));
      trainer.dispose();
      disposeVae(vae);
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });
  }

  test('parameter counts: the flagship keeps the seed’s 134,165; z16 widens its hidden layer to 256', () => {
    const count = (id: string) => {
      const vae = buildVae(getSpec(id));
      const n = countParams(vae);
      disposeVae(vae);
      return n;
    };
    assert.equal(count('mnist-conv-z2'), 134_165);
    // hidden 16 → 256 in the encoder: 3136·256 + 256 + 2·(256·16 + 16); decoder 16 → 3136 inputs to 'project'.
    const enc = 320 + 18_496 + (3136 * 256 + 256) + 2 * (256 * 16 + 16);
    const dec = (16 * 3136 + 3136) + 36_928 + 18_464 + 289;
    assert.equal(count('mnist-conv-z16'), enc + dec);
    // The conditional model's label joins the encoder's hidden layer input and the decoder's z.
    assert.equal(count('mnist-cvae-z2'), 134_165 + 10 * 16 + 10 * 3136);
    // The same 10-wide label on the colour model, whose decoder projects to 8 · 8 · 64.
    assert.equal(count('emoji-cvae-z2'), count('emoji-conv-z2') + 10 * 16 + 10 * 4096);
    // The autoencoder has no log σ² head.
    assert.equal(count('mnist-ae-z2'), 134_165 - (16 * 2 + 2));
  });
});

describe('conditional VAE', () => {
  test('refuses to run without labels, or with labels out of range, in words', () => {
    const vae = buildVae(getSpec('mnist-cvae-z2'));
    try {
      assert.throws(() => decode(vae, [0, 0]), /conditional model: it needs each image's label/);
      assert.throws(() => decode(vae, [0, 0], 10), /Labels must be whole numbers from 0 to 9/);
      assert.throws(() => decode(vae, [0, 0, 1, 1], [1]), /Expected 2 labels, got 1/);
      const flagship = buildVae(getSpec('mnist-conv-z2'));
      assert.throws(() => decode(flagship, [0, 0], 3), /not a conditional model/);
      disposeVae(flagship);
    } finally {
      disposeVae(vae);
    }
  });

  test('the label changes what a code decodes to, and one label for all rows equals that label per row', () => {
    const vae = buildVae(getSpec('mnist-cvae-z2'));
    try {
      const z = [0.5, -0.5, 1, 1];
      const three = decode(vae, z, 3);
      assert.deepEqual(three, decode(vae, z, [3, 3]));
      assert.ok(maxAbsDiff(three, decode(vae, z, 7)) > 1e-4, 'label 7 decoded like label 3');
      assert.equal(sample(vae, 4, 1, 2).images.length, 4 * 784);
      assert.equal(reconstruct(vae, new Float32Array(2 * 784), 9, [1, 2]).length, 2 * 784);
    } finally {
      disposeVae(vae);
    }
  });

  test('evaluation and the IWAE bound use the labels: a bound given the true labels differs from one given shuffled labels', () => {
    const vae = buildVae(getSpec('mnist-cvae-z2'));
    try {
      const small = { count: 32, images: mnist.images.subarray(0, 32 * 784), labels: mnist.labels.subarray(0, 32) };
      const wrong = { ...small, labels: small.labels.map((y) => (y + 1) % 10) };
      const a = evaluateModel(vae, small, { k: 4 });
      const b = evaluateModel(vae, wrong, { k: 4 });
      assert.ok(a.iwae && b.iwae && a.iwae.loss !== b.iwae.loss);
      assert.ok(a.iwae.loss <= a.oneSample.loss + 1e-3);
    } finally {
      disposeVae(vae);
    }
  });
});

describe('plain autoencoder', () => {
  test('its code has no spread: no log σ², reconstruction is deterministic, KL is 0, and it has no IWAE bound', () => {
    const vae = buildVae(getSpec('mnist-ae-z2'));
    try {
      const images = new Float32Array(3 * 784).fill(0.2);
      assert.equal(encode(vae, images).logVar, null);
      assert.deepEqual(reconstruct(vae, images, 1), reconstruct(vae, images, 2));
      const r = evaluate(vae, mnist);
      assert.equal(r.kl, 0);
      assert.equal(r.loss, r.reconstruction);
      const e = evaluateModel(vae, { count: 16, images: mnist.images.subarray(0, 16 * 784), labels: mnist.labels.subarray(0, 16) });
      assert.equal(e.iwae, null);
      assert.equal(e.gapToFloor, null);
    } finally {
      disposeVae(vae);
    }
  });
});

describe('loading into the wrong spec', () => {
  for (const [from, into, message] of [
    ['mnist-conv-z2', 'mnist-conv-z16', /mnist-conv-z16: its encoder gives \[\[-1,2\],\[-1,2\]\], expected \[\[-1,16\],\[-1,16\]\]/],
    ['mnist-conv-z2', 'mnist-cvae-z2', /mnist-cvae-z2: its encoder takes \[\[-1,28,28,1\]\], expected \[\[-1,28,28,1\],\[-1,10\]\]/],
    ['mnist-conv-z2', 'mnist-ae-z2', /mnist-ae-z2: its encoder gives/],
    ['mnist-conv-z2', 'mnist-mlp-z2', /mnist-mlp-z2: its encoder's weights have shapes/],
  ] as const) {
    test(`weights of ${from} loaded as ${into} are refused with what differs`, async () => {
      const vae = buildVae(getSpec(from));
      const files = await vaeToFiles(vae);
      disposeVae(vae);
      const before = tf.memory().numTensors;
      const read = async (p: string) => {
        const f = files[p.replace(/^base\//, '')];
        if (f === undefined) throw new Error(`no ${p}`);
        return typeof f === 'string' ? new TextEncoder().encode(f) : f;
      };
      await assert.rejects(loadVae(getSpec(into), read, 'base'), (err: Error) => err instanceof WeightsError && message.test(err.message));
      assert.equal(tf.memory().numTensors, before, 'a refused model leaked tensors');
    });
  }
});

describe('learning-rate schedule', () => {
  test('cosine decay runs from the rate to the final rate over its steps, then stays', () => {
    const o = { batchSize: 1, seed: 1, learningRate: 1e-3, learningRateDecay: { steps: 100, final: 1e-5 } };
    assert.equal(learningRateAt(o, 0), 1e-3);
    assert.ok(Math.abs(learningRateAt(o, 50) - (1e-3 + 1e-5) / 2) < 1e-12);
    assert.equal(learningRateAt(o, 100), 1e-5);
    assert.equal(learningRateAt(o, 500), 1e-5);
    assert.equal(learningRateAt({ ...o, learningRateDecay: undefined } as never, 50), 1e-3);
  });

  test('each step reports the rate of the schedule it used', () => {
    const vae = buildVae(getSpec('mnist-mlp-z2'));
    const trainer = new Trainer(vae, mnist, { batchSize: 32, learningRate: 1e-3, seed: 2, learningRateDecay: { steps: 4, final: 1e-4 } });
    try {
      const rates = [0, 1, 2, 3, 4, 5].map(() => trainer.step().learningRate);
      assert.deepEqual(rates.map((r) => +r.toPrecision(6)), [1e-3, 0.00086819805, 0.00055, 0.00023180195, 1e-4, 1e-4].map((r) => +r.toPrecision(6)));
    } finally {
      trainer.dispose();
      disposeVae(vae);
    }
  });
});
