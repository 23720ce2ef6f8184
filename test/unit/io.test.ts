/**
 * Saving and loading: vaeToFiles → loadVae is lossless, the saved files are plain TF.js Layers
 * models, and bad inputs fail with a WeightsError that says what is wrong, without leaking.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ReadBytes } from '../../src/vae/data.ts';
import { decode, encode, latentGrid } from '../../src/vae/infer.ts';
import { loadVae, vaeToFiles, WeightsError, type ModelFiles } from '../../src/vae/io.ts';
import { buildVae, disposeVae, type Vae } from '../../src/vae/model.ts';
import { MODEL_SPECS, type ModelSpec } from '../../src/vae/spec.ts';
import { gaussianSampler, tf, uniformSampler, useWasm } from './helpers.ts';

const spec: ModelSpec = MODEL_SPECS['mnist-conv-z2'];
const BASE = 'weights/test-model';

/** A ReadBytes over in-memory files saved under `base`, failing like a file system for anything else. */
function memoryReader(files: ModelFiles, base = BASE): ReadBytes {
  return async (path) => {
    const prefix = `${base}/`;
    const bytes = path.startsWith(prefix) ? files[path.slice(prefix.length)] : undefined;
    if (!bytes) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return bytes.slice();
  };
}

/** A model whose every weight (biases included) is a distinct random value, so a lossy round trip shows. */
function randomisedVae(s: ModelSpec, seed: number): Vae {
  const vae = buildVae(s);
  const normal = gaussianSampler(seed);
  for (const model of [vae.encoder, vae.decoder]) {
    const weights = model.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => 0.05 * normal()), w.shape));
    model.setWeights(weights);
    tf.dispose(weights);
  }
  return vae;
}

function someImages(n: number, seed: number): Float32Array {
  const u = uniformSampler(seed);
  return Float32Array.from({ length: n * 784 }, () => (u() < 0.6 ? 0 : u()));
}

let vae: Vae;
let files: ModelFiles;

before(async () => {
  await useWasm();
  vae = randomisedVae(spec, 77);
  files = await vaeToFiles(vae);
});

describe('vaeToFiles → loadVae', () => {
  test('writes an encoder and a decoder, each a model.json with one weights.bin', () => {
    assert.deepEqual(Object.keys(files).sort(), ['decoder/model.json', 'decoder/weights.bin', 'encoder/model.json', 'encoder/weights.bin']);
    for (const part of ['encoder', 'decoder'] as const) {
      const model = part === 'encoder' ? vae.encoder : vae.decoder;
      // float32 weights, 4 bytes each, nothing more.
      assert.equal(files[`${part}/weights.bin`]!.length, model.countParams() * 4);
    }
  });

  test('round-trips exactly: identical decodes over a latent grid and identical encodes', async () => {
    const loaded = await loadVae(spec, memoryReader(files), BASE);
    try {
      assert.equal(loaded.spec, spec);
      const grid = latentGrid(9, -3, 3);
      const want = decode(vae, grid);
      const got = decode(loaded, grid);
      assert.equal(got.length, 81 * 784);
      assert.deepEqual(got, want);
      // The grid's decodes are not all alike, so equality above is not vacuous.
      assert.notDeepEqual(want.subarray(0, 784), want.subarray(80 * 784));

      const images = someImages(6, 5);
      const a = encode(vae, images);
      const b = encode(loaded, images);
      assert.deepEqual(b.mu, a.mu);
      assert.deepEqual(b.logVar, a.logVar);
    } finally {
      disposeVae(loaded);
    }
  });

  test('the saved files are standard TF.js Layers models that tf.loadLayersModel opens as they are', async () => {
    const inputs = { encoder: tf.tensor4d(someImages(3, 9), [3, 28, 28, 1]), decoder: tf.tensor2d([0, 0, 1.5, -2, -0.7, 0.3], [3, 2]) };
    try {
      for (const part of ['encoder', 'decoder'] as const) {
        const json = JSON.parse(new TextDecoder().decode(files[`${part}/model.json`]));
        assert.equal(json.format, 'layers-model');
        assert.ok(json.modelTopology);
        assert.deepEqual(json.weightsManifest.map((g: { paths: string[] }) => g.paths), [['weights.bin']]);
        const bytes = files[`${part}/weights.bin`]!;
        const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
        try {
          const original = part === 'encoder' ? vae.encoder : vae.decoder;
          const want = ([] as tf.Tensor[]).concat(original.predict(inputs[part]) as tf.Tensor | tf.Tensor[]);
          const got = ([] as tf.Tensor[]).concat(model.predict(inputs[part]) as tf.Tensor | tf.Tensor[]);
          assert.equal(got.length, part === 'encoder' ? 2 : 1);
          for (const [i, t] of got.entries()) assert.deepEqual(t.dataSync(), want[i]!.dataSync());
          tf.dispose([...want, ...got]);
        } finally {
          model.dispose();
        }
      }
    } finally {
      tf.dispose(Object.values(inputs));
    }
  });
});

describe('loadVae rejects bad input with a WeightsError', () => {
  /** Expects loadVae over `bad` files to reject with a WeightsError matching `message`, without leaking tensors. */
  async function rejects(bad: ModelFiles, message: RegExp, s: ModelSpec = spec) {
    const before = tf.memory().numTensors;
    await assert.rejects(loadVae(s, memoryReader(bad), BASE), (err: unknown) => {
      assert.ok(err instanceof WeightsError, `expected a WeightsError, got ${String(err)}`);
      assert.equal(err.name, 'WeightsError');
      assert.match(err.message, message);
      return true;
    });
    assert.equal(tf.memory().numTensors, before, 'a failed load leaked tensors');
  }

  const without = (name: string): ModelFiles => Object.fromEntries(Object.entries(files).filter(([k]) => k !== name));
  const replaced = (name: string, bytes: Uint8Array): ModelFiles => ({ ...files, [name]: bytes });

  test('a missing model.json names the path (encoder, and decoder after the encoder loaded)', async () => {
    await rejects(without('encoder/model.json'), /weights\/test-model\/encoder\/model\.json/);
    await rejects(without('decoder/model.json'), /weights\/test-model\/decoder\/model\.json/);
  });

  test('a missing weights.bin names the path', async () => {
    await rejects(without('encoder/weights.bin'), /weights\/test-model\/encoder\/weights\.bin/);
    await rejects(without('decoder/weights.bin'), /weights\/test-model\/decoder\/weights\.bin/);
  });

  test('a model.json that is not JSON, or not a Layers model', async () => {
    await rejects(replaced('encoder/model.json', new TextEncoder().encode('<!doctype html><p>Not found')), /encoder\/model\.json.*not valid JSON/);
    await rejects(replaced('decoder/model.json', new TextEncoder().encode('{"format": "layers-model"')), /decoder\/model\.json.*not valid JSON/);
    await rejects(replaced('decoder/model.json', new TextEncoder().encode('{"hello": 1}')), /not a TF\.js Layers model/);
  });

  test('a truncated or padded weights.bin is reported as truncated or corrupt', async () => {
    const enc = files['encoder/weights.bin']!;
    const dec = files['decoder/weights.bin']!;
    await rejects(replaced('encoder/weights.bin', enc.subarray(0, enc.length - 4)), /truncated or corrupt/);
    await rejects(replaced('decoder/weights.bin', dec.subarray(0, Math.floor(dec.length / 2))), /truncated or corrupt/);
    await rejects(replaced('decoder/weights.bin', new Uint8Array(0)), /truncated or corrupt/);
    await rejects(replaced('decoder/weights.bin', new Uint8Array(dec.length + 8)), /truncated or corrupt/);
  });

  /** The decoder's model.json with the first weight's shape reversed: the same byte count, a shape the topology rejects. */
  function misshapenDecoder(): ModelFiles {
    const json = JSON.parse(new TextDecoder().decode(files['decoder/model.json']));
    const first = json.weightsManifest[0].weights[0];
    assert.deepEqual(first.shape, [2, 7 * 7 * 64]);
    first.shape = [...first.shape].reverse();
    return replaced('decoder/model.json', new TextEncoder().encode(JSON.stringify(json)));
  }

  test('a manifest whose weight shapes do not fit the topology', async () => {
    await assert.rejects(loadVae(spec, memoryReader(misshapenDecoder()), BASE), (err: unknown) => {
      assert.ok(err instanceof WeightsError);
      assert.match(err.message, /decoder\/model\.json could not be built.*Shape mismatch/);
      return true;
    });
  });

  test(
    'a manifest whose weight shapes do not fit the topology leaks no tensors',
    async () => {
      await rejects(misshapenDecoder(), /Shape mismatch/);
    },
  );

  test('a model of the wrong latent size (3-D saved, loaded as the 2-D spec) is rejected for its shape', async () => {
    const wrong = buildVae({ ...spec, latentDim: 3 });
    const wrongFiles = await vaeToFiles(wrong);
    disposeVae(wrong);
    await rejects(wrongFiles, /does not fit mnist-conv-z2: its encoder gives \[\[-1,3\],\[-1,3\]\], expected \[\[-1,2\],\[-1,2\]\] \(a 2-D latent/);
    // And the same files load under a 3-D spec.
    const ok = await loadVae({ ...spec, latentDim: 3 }, memoryReader(wrongFiles), BASE);
    assert.equal(decode(ok, [0.5, -0.5, 1]).length, 784);
    disposeVae(ok);
  });
});
