/**
 * The Trainer on real MNIST: it learns (train and held-out loss fall), it is seedable, its
 * run loop pauses, resumes and stops, free bits charge Σ_u max(λ, KL_u) on the whole batch even
 * when its parts are computed apart, and neither it nor the inference helpers leak tensors.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { readPublic } from '../../scripts/lib/files.ts';
import { loadSplit, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { evaluate } from '../../src/vae/evaluate.ts';
import { decode, decodeAsync, decodeLogits, encode, latentGrid, reconstruct, sample } from '../../src/vae/infer.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { bernoulliSample } from '../../src/vae/pixel-samples.ts';
import { chosenSpec, MODEL_SPECS } from '../../src/vae/spec.ts';
import { Trainer, type StepReport, type TrainOptions } from '../../src/vae/train.ts';
import { assertClose, tf, useWasm, weightsOf } from './helpers.ts';

const spec = MODEL_SPECS['mnist-conv-z2'];
const options = (seed: number): TrainOptions => ({ batchSize: 64, learningRate: 1e-3, seed });

let train: ImageSet;
let heldOut: ImageSet;

before(async () => {
  await useWasm();
  train = await loadSplit(readPublic, 'data/mnist', 'train', { limit: 512 });
  heldOut = await loadSplit(readPublic, 'data/mnist', 'test', { limit: 256 });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Trainer', () => {
  test('20 Adam steps on 512 MNIST images lower the training loss and the loss on 256 held-out test images', () => {
    const vae = buildVae(spec);
    const trainer = new Trainer(vae, train, options(3));
    try {
      const evalBefore = evaluate(vae, heldOut, { batchSize: 256, seed: 99 });
      const reports: StepReport[] = [];
      for (let i = 0; i < 20; i++) reports.push(trainer.step());
      const evalAfter = evaluate(vae, heldOut, { batchSize: 256, seed: 99 });

      for (const [i, r] of reports.entries()) {
        assert.equal(r.step, i + 1);
        assertClose(r.epoch, ((i + 1) * 64) / 512, 1e-12, 'epoch');
        assert.ok(Number.isFinite(r.loss) && r.reconstruction > 0 && r.kl >= 0, `step ${r.step}: ${JSON.stringify(r)}`);
        assertClose(r.loss, r.reconstruction + spec.beta * r.kl, 1e-3, `step ${r.step}: loss = reconstruction + β·KL`);
      }
      assert.equal(trainer.steps, 20);
      // An untrained decoder outputs logits near 0, i.e. p ≈ ½ per pixel: ≈ 784·ln 2 ≈ 543 nats.
      assertClose(reports[0]!.loss, 784 * Math.LN2, 15, 'first-step loss of an untrained model');
      const first = reports[0]!.loss;
      const lastFive = reports.slice(-5).reduce((a, r) => a + r.loss, 0) / 5;
      assert.ok(lastFive < 0.9 * first, `mean loss of the last 5 steps ${lastFive.toFixed(1)} is not clearly below the first ${first.toFixed(1)}`);
      assert.equal(evalAfter.images, 256);
      assertClose(evalAfter.loss, evalAfter.reconstruction + spec.beta * evalAfter.kl, 1e-6 * evalAfter.loss, 'held-out loss terms');
      assert.ok(
        evalAfter.loss < 0.9 * evalBefore.loss,
        `held-out loss went from ${evalBefore.loss.toFixed(1)} to ${evalAfter.loss.toFixed(1)}, not clearly down`,
      );
    } finally {
      trainer.dispose();
      disposeVae(vae);
    }
  });

  test('the same seed gives identical losses and weights; another seed does not', () => {
    const vaes = [buildVae(spec), buildVae(spec), buildVae(spec)];
    const [a, b, c] = [new Trainer(vaes[0]!, train, options(11)), new Trainer(vaes[1]!, train, options(11)), new Trainer(vaes[2]!, train, options(12))];
    try {
      // The spec's seed fixes the initial weights.
      assert.deepEqual(weightsOf(vaes[0]!), weightsOf(vaes[2]!));
      const first = [a.step().loss, b.step().loss, c.step().loss];
      assert.equal(first[0], first[1], 'same seed, different first-step loss');
      assert.notEqual(first[0], first[2], 'different seeds, same first-step loss');
      for (let i = 0; i < 2; i++) {
        a.step();
        b.step();
        c.step();
      }
      const [wa, wb, wc] = vaes.map(weightsOf);
      assert.equal(wa!.length, 18); // 5 dense/conv layers in the encoder, 4 in the decoder, kernel + bias each
      assert.deepEqual(wa, wb, 'same seed, different weights after 3 steps');
      assert.notDeepEqual(wa, wc, 'different seeds, same weights after 3 steps');
    } finally {
      for (const t of [a, b, c]) t.dispose();
      vaes.forEach(disposeVae);
    }
  });

  test("a different spec seed gives different initial weights", () => {
    const [x, y] = [buildVae(spec), buildVae({ ...spec, seed: spec.seed + 1 })];
    try {
      const [wx, wy] = [weightsOf(x), weightsOf(y)];
      // Every kernel differs; biases start at zero in both.
      for (const [i, w] of wx.entries()) {
        if (w.some((v) => v !== 0)) assert.notDeepEqual(w, wy[i], `weight ${i} ignores the seed`);
      }
    } finally {
      disposeVae(x);
      disposeVae(y);
    }
  });

  test('run() pauses, resumes and stops early, resolving with the steps taken', async () => {
    const vae = buildVae(spec);
    const trainer = new Trainer(vae, train, options(5));
    try {
      let reachedFour: () => void = () => {};
      const atFour = new Promise<void>((resolve) => (reachedFour = resolve));
      const seen: number[] = [];
      const running = trainer.run(100, (r) => {
        seen.push(r.step);
        if (r.step === 2) trainer.pause();
        if (r.step === 4) reachedFour();
      });
      assert.equal(trainer.state, 'running');
      await assert.rejects(trainer.run(1), /already running/);

      // Paused after step 2, it takes no further steps.
      while (seen.length < 2) await sleep(5);
      await sleep(200);
      assert.equal(trainer.state, 'paused');
      assert.equal(trainer.steps, 2);
      assert.deepEqual(seen, [1, 2]);

      trainer.resume();
      assert.equal(trainer.state, 'running');
      await atFour;
      trainer.stop();
      const taken = await running;
      assert.equal(taken, 4, 'stop() after step 4 should end the run after 4 steps');
      assert.equal(trainer.steps, 4);
      assert.deepEqual(seen, [1, 2, 3, 4]);
      assert.equal(trainer.state, 'stopped');

      // stop() while paused also ends the run, without another step.
      const again = trainer.run(100, (r) => {
        if (r.step === 5) trainer.pause();
      });
      while (trainer.state !== 'paused') await sleep(5);
      trainer.stop();
      assert.equal(await again, 1);
      assert.equal(trainer.steps, 5);

      // A run that is not stopped takes exactly its steps and goes idle.
      assert.equal(await trainer.run(2), 2);
      assert.equal(trainer.state, 'idle');
      assert.equal(trainer.steps, 7);
    } finally {
      trainer.stop();
      trainer.dispose();
      disposeVae(vae);
    }
  });

  test(
    'stop() followed at once by run() ends the stopped run',
    async () => {
      const vae = buildVae(spec);
      const trainer = new Trainer(vae, train, { ...options(6), batchSize: 8 });
      try {
        let reachedTwo: () => void = () => {};
        const atTwo = new Promise<void>((resolve) => (reachedTwo = resolve));
        const first = trainer.run(6, (r) => r.step === 2 && reachedTwo());
        await atTwo; // The first loop now waits on its setTimeout(0).
        trainer.stop();
        const second = trainer.run(2);
        assert.equal(await first, 2, 'the stopped run went on stepping');
        assert.equal(await second, 2);
        assert.equal(trainer.steps, 4);
      } finally {
        trainer.stop();
        trainer.dispose();
        disposeVae(vae);
      }
    },
  );

  test('no tensors leak from training steps or from encode/decode/sample/reconstruct/evaluate', async () => {
    const baseline = tf.memory().numTensors;
    const vae = buildVae(spec);
    const trainer = new Trainer(vae, train, options(8));
    trainer.step(); // Adam creates its slot variables on the first step.
    const warm = tf.memory().numTensors;

    for (let i = 0; i < 3; i++) trainer.step();
    assert.equal(tf.memory().numTensors, warm, 'training steps leaked tensors');
    assert.equal(await trainer.run(2), 2);
    assert.equal(tf.memory().numTensors, warm, 'run() leaked tensors');

    const images = toFloat(heldOut, [0, 1, 2, 3]);
    const { mu, logVar } = encode(vae, images);
    assert.equal(mu.length, 8);
    assert.equal(logVar!.length, 8);
    assert.equal(decode(vae, mu).length, 4 * 784);
    assert.equal(decodeLogits(vae, latentGrid(3, -2, 2)).length, 9 * 784);
    assert.equal((await decodeAsync(vae, mu)).length, 4 * 784);
    assert.equal(sample(vae, 5, 1).images.length, 5 * 784);
    assert.equal(reconstruct(vae, images).length, 4 * 784);
    assert.equal(reconstruct(vae, images, 3).length, 4 * 784);
    evaluate(vae, heldOut, { batchSize: 100 });
    assert.throws(() => decode(vae, [1, 2, 3]), /multiple of 2/);
    assert.throws(() => encode(vae, new Float32Array(100)), /multiple of 784/);
    assert.equal(tf.memory().numTensors, warm, 'inference helpers leaked tensors');

    trainer.dispose();
    disposeVae(vae);
    assert.equal(tf.memory().numTensors, baseline, 'disposing the trainer and the model did not free everything');
  });
});

describe('Trainer with free bits', () => {
  test('the step charges β·Σ_u max(λ, KL_u) over the batch, and parts of the batch with its mask add up to the whole', () => {
    const mlp = chosenSpec({ dataset: 'mnist', arch: 'mlp', latentDim: 16, beta: 2 });
    // After ten steps the units' KLs spread from about 0.3 to 3 nats: λ = 1 splits them.
    const lambda = 1;
    const vae = buildVae(mlp);
    const trainer = new Trainer(vae, train, { ...options(4), freeBits: lambda });
    try {
      for (let i = 0; i < 10; i++) trainer.step();
      const plan = trainer.plan();
      assert.ok(plan.freeBits, 'a plan under free bits carries its mask');
      // The independent computation: every unit's batch-mean KL from the encoder's μ and log σ².
      const q = encode(vae, toFloat(train, plan.indices));
      const d = mlp.latentDim;
      const unitKl = Array.from({ length: d }, (_, u) => {
        let sum = 0;
        for (let i = 0; i < plan.indices.length; i++) sum += 0.5 * (q.mu[i * d + u]! ** 2 + Math.exp(q.logVar![i * d + u]!) - q.logVar![i * d + u]! - 1);
        return sum / plan.indices.length;
      });
      assert.deepEqual(Array.from(plan.freeBits.above), unitKl.map((kl) => (kl > lambda ? 1 : 0)));
      const below = unitKl.filter((kl) => kl <= lambda).length;
      assert.ok(below > 0 && below < d, `the test needs units on both sides of λ: ${below} of ${d} below`);
      const whole = trainer.gradients(plan);
      const parts = [trainer.gradients(plan, 0, 20), trainer.gradients(plan, 20, 64)];
      const charged = unitKl.reduce((sum, kl) => sum + Math.max(lambda, kl), 0);
      const plainKl = unitKl.reduce((a, b) => a + b, 0);
      assertClose(whole.klSum / whole.count, plainKl, 1e-4 * plainKl, 'the reported KL is the plain batch mean');
      assertClose(whole.lossSum / whole.count, whole.reconstructionSum / whole.count + 2 * charged, 1e-3, 'loss = reconstruction + β Σ_u max(λ, KL_u)');
      assertClose((parts[0]!.lossSum + parts[1]!.lossSum) / 64, whole.lossSum / 64, 1e-3, 'the parts’ losses add up to the whole');
      whole.grads.forEach((g, i) => {
        const sum = parts[0]!.grads[i]!.map((v, k) => v + parts[1]!.grads[i]![k]!);
        let worst = 0;
        let scale = 0;
        for (let k = 0; k < g.length; k++) {
          worst = Math.max(worst, Math.abs(g[k]! - sum[k]!));
          scale = Math.max(scale, Math.abs(g[k]!));
        }
        assert.ok(worst <= 1e-4 * Math.max(scale, 1e-3), `gradient ${i}: parts differ from the whole by ${worst} (scale ${scale})`);
      });
    } finally {
      trainer.dispose();
      disposeVae(vae);
    }
  });
});

describe('Trainer of a binarized model', () => {
  test('each step trains on a fresh black-and-white draw of its images, the same draw whichever part of the batch is computed', () => {
    const binary = { ...chosenSpec({ dataset: 'mnist', arch: 'mlp', latentDim: 8, beta: 1 }), binarized: true };
    const grey = { ...binary, binarized: false };
    const vae = buildVae(binary);
    const trainer = new Trainer(vae, train, options(5));
    const plain = buildVae(grey);
    try {
      plain.encoder.setWeights(vae.encoder.getWeights());
      plain.decoder.setWeights(vae.decoder.getWeights());
      const plan = trainer.plan();
      const next = trainer.plan();
      assert.ok(plan.binarizeSeed !== undefined && next.binarizeSeed !== undefined, 'a binarized model’s plan carries the seed of its draw');
      assert.notEqual(plan.binarizeSeed, next.binarizeSeed, 'each batch is drawn afresh');
      // The independent computation: the batch binarized by hand (pixel i white where u_i < grey
      // level, u from the plan's seed) as a dataset of its own, trained on as grey levels.
      const levels = toFloat(train, plan.indices);
      const drawn = bernoulliSample(levels, plan.binarizeSeed);
      const byHand: ImageSet = { count: 64, images: Uint8Array.from(drawn, (v) => v * 255), labels: new Uint8Array(64) };
      let white = 0;
      let expected = 0;
      for (let i = 0; i < levels.length; i++) {
        white += drawn[i]!;
        expected += levels[i]!;
      }
      // 64 · 784 draws: the count of white pixels is within 5 standard deviations of Σ p_i.
      assert.ok(Math.abs(white - expected) < 5 * Math.sqrt(expected), `${white} white pixels, ${expected.toFixed(0)} expected`);
      const byHandTrainer = new Trainer(plain, byHand, options(5));
      const { binarizeSeed: _drawn, ...greyPlan } = plan;
      const reference = byHandTrainer.gradients({ ...greyPlan, indices: Uint32Array.from({ length: 64 }, (_, i) => i) });
      byHandTrainer.dispose();
      const whole = trainer.gradients(plan);
      const parts = [trainer.gradients(plan, 0, 24), trainer.gradients(plan, 24, 64)];
      assertClose(whole.reconstructionSum, reference.reconstructionSum, 1e-3 * reference.reconstructionSum, 'reconstruction of the binarized batch');
      assertClose(parts[0]!.reconstructionSum + parts[1]!.reconstructionSum, whole.reconstructionSum, 1e-3 * whole.reconstructionSum, 'parts add up to the whole');
      whole.grads.forEach((g, i) => {
        let worst = 0;
        let scale = 0;
        for (let k = 0; k < g.length; k++) {
          worst = Math.max(worst, Math.abs(g[k]! - reference.grads[i]![k]!), Math.abs(g[k]! - parts[0]!.grads[i]![k]! - parts[1]!.grads[i]![k]!));
          scale = Math.max(scale, Math.abs(g[k]!));
        }
        assert.ok(worst <= 1e-4 * Math.max(scale, 1e-3), `gradient ${i}: ${worst} apart (scale ${scale})`);
      });
      // A grey-level model's plan has no draw, and its batch is the grey levels themselves.
      const greyTrainer = new Trainer(plain, train, options(5));
      assert.equal(greyTrainer.plan().binarizeSeed, undefined);
      greyTrainer.dispose();
    } finally {
      trainer.dispose();
      disposeVae(vae);
      disposeVae(plain);
    }
  });
});
