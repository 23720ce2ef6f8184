/**
 * The committed models: each folder under public/weights re-measures, from its committed weights,
 * the numbers its metrics.json states (the check subset of `npm run evaluate`, within 0.05 nats),
 * and its precomputed latent points agree with the encoder. A binarized model is measured on the
 * test images binarized once, as `npm run evaluate` measures it, and ships no latent points (no
 * figure draws its codes). The flagship must be there.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { encodeSet } from '../../src/vae/encode-set.ts';
import { binarizeSet, loadSplit, sliceSet, type ImageSet } from '../../src/vae/data.ts';
import { evaluate } from '../../src/vae/evaluate.ts';
import { loadVae, type ModelMetrics } from '../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE } from '../../src/vae/latents-file.ts';
import { disposeVae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { maxAbsDiff, tf, useWasm } from './helpers.ts';

const WEIGHTS = join(PUBLIC, 'weights');
const shipped = readdirSync(WEIGHTS).filter((id) => existsSync(join(WEIGHTS, id, 'metrics.json')));
const tests = new Map<string, ImageSet>();

before(async () => {
  await useWasm();
});

async function testSet(dataset: string): Promise<ImageSet> {
  if (!tests.has(dataset)) tests.set(dataset, await loadSplit(readPublic, `data/${dataset}`, 'test'));
  return tests.get(dataset)!;
}

/** A loss as the cards and pages write it: two decimals, thousands separated (1,386.05). */
const shown = (v: number) => v.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('committed models', () => {
  test('the flagship mnist-conv-z2 is among them', () => {
    assert.ok(shipped.includes('mnist-conv-z2'), `public/weights holds ${shipped.join(', ')}`);
  });

  for (const id of shipped) {
    test(`${id}: the committed weights give the check-subset loss metrics.json states (±0.05), and its card and latent points agree`, async () => {
      const metrics = JSON.parse(readFileSync(join(WEIGHTS, id, 'metrics.json'), 'utf8')) as ModelMetrics;
      const spec = getSpec(id);
      assert.deepEqual(metrics.spec, spec, 'metrics.json was written for another spec');
      const check = metrics.evaluation?.checkSubset;
      assert.ok(check, `${id}/metrics.json has no evaluation.checkSubset: run npm run evaluate -- --model ${id}`);
      const grey = await testSet(spec.dataset);
      const data = spec.binarized ? binarizeSet(grey) : grey;
      const before = tf.memory().numTensors;
      const vae = await loadVae(spec, readPublic, `weights/${id}`);
      try {
        const again = evaluate(vae, sliceSet(data, 0, check.images), { seed: check.seed });
        assert.ok(Math.abs(again.loss - check.loss) <= 0.05, `re-evaluated ${again.loss}, metrics.json says ${check.loss}`);
        assert.ok(Math.abs(again.kl - check.kl) <= 0.05);
        const card = readFileSync(join(WEIGHTS, id, 'README.md'), 'utf8');
        assert.ok(card.includes(shown(metrics.test.loss)), 'the model card does not state the test loss of metrics.json');
        const e = metrics.evaluation!;
        if (e.iwae) {
          // Whatever β the model was trained with, −L_k ≤ −ELBO = reconstruction + KL ≥ … ≥ the entropy floor.
          const elbo = e.oneSample.reconstruction + e.oneSample.kl;
          assert.ok(e.iwae.loss <= elbo, `IWAE bound ${e.iwae.loss} above the one-sample −ELBO ${elbo}`);
          assert.ok(e.iwae.loss > e.floor.entropyPerImage, 'IWAE bound below the entropy floor');
          assert.ok(card.includes(`below the one-sample −ELBO (reconstruction + KL = ${shown(elbo)}`), 'the model card compares the IWAE bound with the −ELBO: rewrite it with npm run evaluate -- --card-only');
        }
        if (spec.binarized) assert.equal(existsSync(join(WEIGHTS, id, LATENTS_FILE)), false, 'a binarized model ships no latent points');
        else {
          const points = decodeLatents(new Uint8Array(readFileSync(join(WEIGHTS, id, LATENTS_FILE))));
          assert.equal(points.count, data.count);
          assert.equal(points.dims, spec.latentDim);
          assert.deepEqual(points.labels, data.labels);
          const first = encodeSet(vae, sliceSet(data, 0, 200));
          const stored = points.mu.subarray(0, 200 * spec.latentDim);
          assert.ok(maxAbsDiff(stored, first.mu) < 2e-3, `stored means differ by ${maxAbsDiff(stored, first.mu)}`);
          // A 2-D VAE's file holds each posterior's log σ² too; an autoencoder's or a larger code's, the means alone.
          if (first.logVar && spec.latentDim === 2) {
            assert.ok(points.logVar, `${LATENTS_FILE} has no log-variances: rewrite it with npm run evaluate -- --model ${id} --codes-only`);
            const storedVar = points.logVar.subarray(0, 200 * spec.latentDim);
            assert.ok(maxAbsDiff(storedVar, first.logVar) < 2e-3, `stored log-variances differ by ${maxAbsDiff(storedVar, first.logVar)}`);
          } else assert.equal(points.logVar, undefined);
        }
      } finally {
        disposeVae(vae);
      }
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });
  }
});
