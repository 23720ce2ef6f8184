/**
 * The training step's profile: every product of every weighted layer is found and named (the
 * forward pass, the input gradient of every layer but the first, and the weight gradient), each
 * kernel is counted once, Adam's update is what a separate Adam step runs, the parts add up to
 * the step, and no tensor is left behind. On a small batch, to keep it quick.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { profileStep, STEP_PARTS } from '../../src/vae/step-profile.ts';
import { tf, useWasm } from './helpers.ts';

before(async () => {
  await useWasm();
});

for (const model of ['mnist-conv-z2', 'emoji-conv-z2']) {
  test(`${model}: every layer's products are named, the parts add up to the step, nothing leaks`, async () => {
    const before = tf.memory().numTensors;
    const profile = await profileStep({ model, batch: 8, warmup: 1, steps: 2 });
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');

    assert.deepEqual(profile.parts.map((p) => p.part), [...STEP_PARTS]);
    const total = profile.parts.reduce((a, p) => a + p.ms, 0);
    // Each part is a median over steps, so the sum is the step's only up to their spread.
    assert.ok(Math.abs(total - profile.stepMs) < 0.25 * profile.stepMs + 1, `parts ${total} ms against a step of ${profile.stepMs} ms`);

    // No product escapes its layer: the rest holds no convolution or matrix product.
    // A layer's product has its speed (unless it ran below the timer's resolution), every
    // convolution's does, and nothing else claims one.
    for (const k of profile.kernels) {
      const product = k.role !== 'other' && k.role !== 'Adam';
      if (!product) assert.equal(k.gflops, undefined, k.role);
      else if (k.gflops !== undefined || /^Conv2D/.test(k.kernel)) assert.ok(Number.isFinite(k.gflops) && k.gflops! > 0, `${k.role}: ${k.gflops} GFLOP/s`);
    }
    const stray = profile.kernels.filter((k) => k.role === 'other' && /^(Conv2D|BatchMatMul|MatMul|_FusedMatMul)/.test(k.kernel));
    assert.deepEqual(stray.map((k) => k.kernel), []);

    const vae = buildVae(getSpec(model));
    try {
      const roles = profile.kernels.map((k) => k.role);
      // A role names its layers (two heads of one shape share theirs) and the direction.
      const has = (layer: string, direction: string) => roles.some((r) => r.endsWith(` ${direction}`) && r.slice(0, -direction.length - 1).split(' and ').includes(layer));
      const first = vae.encoder.layers.find((l) => l.getClassName() === 'Conv2D')!;
      for (const m of [vae.encoder, vae.decoder]) {
        for (const layer of m.layers) {
          const kind = layer.getClassName();
          if (kind !== 'Conv2D' && kind !== 'Conv2DTranspose' && kind !== 'Dense') continue;
          const name = `${m.name}/${layer.name}`;
          assert.ok(has(name, 'forward'), `${name} forward`);
          assert.ok(has(name, `${kind === 'Dense' ? 'weight' : 'filter'} gradient`), `${name}'s weight gradient`);
          // The images need no gradient, so the first convolution has no input gradient.
          assert.equal(has(name, 'input gradient'), layer !== first, `${name} input gradient`);
        }
      }
      const weights = [...vae.encoder.trainableWeights, ...vae.decoder.trainableWeights].length;
      const adam = profile.kernels.filter((k) => k.part === 'Adam update').reduce((a, k) => a + k.calls, 0);
      // Adam updates each weight with several kernels (its two moments, the step, the assignment).
      assert.ok(adam >= 4 * weights, `${adam} Adam kernels for ${weights} weights`);
    } finally {
      disposeVae(vae);
    }
  });
}
