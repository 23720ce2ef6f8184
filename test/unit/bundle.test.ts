/**
 * The one-file model bundle: encode → decode → load gives the same model and record back; a
 * file that is not a bundle, a damaged one and one whose weights do not fit its spec are
 * refused with a message that says which, and without leaking tensors.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { BundleError, bundleFileName, decodeBundle, encodeBundle, MAGIC, weightsChecksum, type ModelBundle } from '../../src/vae/bundle.ts';
import { decode, latentGrid } from '../../src/vae/infer.ts';
import { loadBundle, vaeToFiles, WeightsError } from '../../src/vae/io.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { MODEL_SPECS, type ModelSpec } from '../../src/vae/spec.ts';
import { tf, useWasm, weightsOf } from './helpers.ts';

const spec: ModelSpec = { ...MODEL_SPECS['mnist-mlp-z2'], id: 'yours', title: 'Your model', hidden: 32 };
let bundle: ModelBundle;
let bytes: Uint8Array;
let weights: number[][];
let grid: Float32Array;

before(async () => {
  await useWasm();
  const vae = buildVae(spec);
  weights = weightsOf(vae);
  grid = decode(vae, latentGrid(5, -2, 2));
  bundle = {
    spec,
    meta: { steps: 42, savedAt: '2025-01-02T03:04:05.000Z', batchSize: 64, learningRate: 0.002, testLoss: 201.5, history: { step: [1, 2], reconstruction: [540, 500], kl: [0.1, 0.3] } },
    files: await vaeToFiles(vae),
  };
  disposeVae(vae);
  bytes = encodeBundle(bundle);
});

/** Expects decoding (and then loading) `bad` to fail with `kind` and a message matching `message`. */
async function refused(bad: Uint8Array, kind: typeof BundleError | typeof WeightsError, message: RegExp): Promise<void> {
  const tensors = tf.memory().numTensors;
  await assert.rejects(
    (async () => loadBundle(decodeBundle(bad)))(),
    (err: unknown) => {
      assert.ok(err instanceof kind, `expected a ${kind.name}, got ${String(err)}`);
      assert.match((err as Error).message, message);
      return true;
    },
  );
  assert.equal(tf.memory().numTensors, tensors, 'a refused file leaked tensors');
}

/** A bundle whose header is replaced by `edit(header)`, with the same files after it. */
function withHeader(edit: (header: Record<string, unknown>) => unknown): Uint8Array {
  const start = MAGIC.length + 4;
  const length = new DataView(bytes.buffer).getUint32(MAGIC.length, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + length))) as Record<string, unknown>;
  const json = new TextEncoder().encode(JSON.stringify(edit(header)));
  const out = new Uint8Array(start + json.length + bytes.length - start - length);
  out.set(bytes.subarray(0, MAGIC.length));
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, start);
  out.set(bytes.subarray(start + length), start + json.length);
  return out;
}

describe('a bundle round-trips', () => {
  test('the same spec, record and weights come back, and the model decodes exactly as before', async () => {
    const back = decodeBundle(bytes);
    assert.deepEqual(back.spec, spec);
    assert.deepEqual(back.meta, bundle.meta);
    assert.deepEqual(Object.keys(back.files).sort(), Object.keys(bundle.files).sort());
    assert.equal(weightsChecksum(back.files), weightsChecksum(bundle.files));
    const tensors = tf.memory().numTensors;
    const vae = await loadBundle(back);
    assert.deepEqual(weightsOf(vae), weights);
    assert.deepEqual(decode(vae, latentGrid(5, -2, 2)), grid);
    disposeVae(vae);
    assert.equal(tf.memory().numTensors, tensors);
  });

  test('a file name that says what the model is', () => {
    assert.equal(bundleFileName(bundle), 'latent-lab-mnist-mlp-z2-42-steps.vae');
    assert.equal(bundleFileName({ ...bundle, spec: { ...spec, beta: 4, dataset: 'fashion' } }), 'latent-lab-fashion-mlp-z2-beta4-42-steps.vae');
  });

  test('a model of a dataset a fork added (a safe name) is accepted like MNIST\'s', () => {
    const back = decodeBundle(withHeader((h) => ({ ...h, spec: { ...spec, dataset: 'shapes-2' } })));
    assert.equal(back.spec.dataset, 'shapes-2');
    assert.equal(bundleFileName(back), 'latent-lab-shapes-2-mlp-z2-42-steps.vae');
  });

  test('the checksum changes with any weight byte', () => {
    const changed = { ...bundle.files, 'decoder/weights.bin': bundle.files['decoder/weights.bin']!.slice() };
    changed['decoder/weights.bin']![7]! ^= 1;
    assert.notEqual(weightsChecksum(changed), weightsChecksum(bundle.files));
  });
});

describe('bad files are refused with a message that says why', () => {
  test('garbage, an empty file and a lone model.json are not model files', async () => {
    await refused(Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251), BundleError, /not a Latent Lab model file/);
    await refused(new Uint8Array(), BundleError, /not a Latent Lab model file/);
    await refused(bundle.files['encoder/model.json']!, BundleError, /not a Latent Lab model file \(it is JSON/);
  });

  test('a file cut short, or with bytes added, is damaged', async () => {
    await refused(bytes.subarray(0, bytes.length - 100), BundleError, /cut short/);
    await refused(bytes.subarray(0, MAGIC.length + 10), BundleError, /cut short/);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    await refused(longer, BundleError, /damaged/);
  });

  test('a header that is not JSON, another format or a newer version', async () => {
    const broken = bytes.slice();
    broken[MAGIC.length + 4] = 0x5b; // "[" where "{" was: the JSON no longer parses
    await refused(broken, BundleError, /header is not valid JSON/);
    await refused(withHeader((h) => ({ ...h, format: 'something-else' })), BundleError, /not a Latent Lab model file/);
    await refused(withHeader((h) => ({ ...h, version: 2 })), BundleError, /version 2.*a newer version/);
  });

  test('a spec or record that makes no sense', async () => {
    await refused(withHeader((h) => ({ ...h, spec: { ...spec, dataset: '../cifar' } })), BundleError, /dataset is "\.\.\/cifar"/);
    await refused(withHeader((h) => ({ ...h, spec: { ...spec, dataset: 'Shapes 2' } })), BundleError, /dataset is "Shapes 2"/);
    await refused(withHeader((h) => ({ ...h, spec: { ...spec, latentDim: 0 } })), BundleError, /latentDim/);
    await refused(withHeader((h) => ({ ...h, meta: { ...bundle.meta, steps: -3 } })), BundleError, /step count/);
    await refused(withHeader((h) => ({ ...h, meta: { ...bundle.meta, history: { step: [1], reconstruction: [], kl: [] } } })), BundleError, /loss history/);
    await refused(withHeader((h) => ({ ...h, files: (h['files'] as { path: string }[]).filter((f) => f.path !== 'decoder/weights.bin') })), BundleError, /no decoder\/weights\.bin/);
  });

  test('weights that do not fit the spec (a 2-D model that claims 16 dimensions) are a WeightsError', async () => {
    await refused(withHeader((h) => ({ ...h, spec: { ...spec, latentDim: 16 } })), WeightsError, /do not fit the model it describes.*expected/);
  });
});
