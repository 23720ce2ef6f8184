/**
 * The image shape is a property of the model's spec and the dataset: MNIST's grey 28 × 28 stays
 * as it was (specs without an `image` field), and a colour model of 32 × 32 × 3 images builds
 * with the layer sizes the architecture implies, scores an image by binary cross-entropy
 * summed over pixels and channels (checked against the same sum in plain arithmetic), trains
 * with a falling loss and no leaked tensor, loads its dataset from a manifest that says
 * 32 × 32 × 3, and refuses images of another shape with a message that says which.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { readPublic } from '../../scripts/lib/files.ts';
import { decodePngRgba, encodePng } from '../../scripts/lib/png.ts';
import { decodeBundle, encodeBundle } from '../../src/vae/bundle.ts';
import { loadSplit, setShape, sliceSet, toFloat, type ImageSet } from '../../src/vae/data.ts';
import { entropyFloorPerImage } from '../../src/vae/entropy-floor.ts';
import { evaluate } from '../../src/vae/evaluate.ts';
import { decode, decodeLogits, encode } from '../../src/vae/infer.ts';
import { manifoldCodes, manifoldMosaic, tileRows } from '../../src/vae/manifold.ts';
import { loadBundle, loadVae, vaeToFiles } from '../../src/vae/io.ts';
import { reconstructionLoss } from '../../src/vae/loss.ts';
import { buildVae, countParams, disposeVae } from '../../src/vae/model.ts';
import { createRng } from '../../src/vae/random.ts';
import { GREY_28, imageShape, imageShapeProblem, MODEL_SPECS, type ModelSpec } from '../../src/vae/spec.ts';
import { Trainer } from '../../src/vae/train.ts';
import { tf, useWasm } from './helpers.ts';

const COLOUR = { height: 32, width: 32, channels: 3 } as const;
const colourSpec: ModelSpec = { id: 'colour-test-z2', title: 'test', dataset: 'colour-test', arch: 'conv', kind: 'vae', latentDim: 2, beta: 1, hidden: 16, seed: 1, image: COLOUR };

/**
 * `count` colour pictures: a disc of one of three colours on a dark ground, at a random place,
 * so that a model has something to learn. Row-major 32 × 32 × 3, channels last.
 */
function colourSet(count: number, seed: number): ImageSet {
  const rng = createRng(seed);
  const images = new Uint8Array(count * 32 * 32 * 3);
  const labels = new Uint8Array(count);
  const colours = [[230, 40, 40], [40, 200, 60], [50, 80, 240]] as const;
  for (let n = 0; n < count; n++) {
    const label = Math.floor(rng() * 3);
    labels[n] = label;
    const [cx, cy, r] = [8 + rng() * 16, 8 + rng() * 16, 4 + rng() * 4];
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
        for (let c = 0; c < 3; c++) images[((n * 32 + y) * 32 + x) * 3 + c] = inside ? colours[label]![c]! : 10;
      }
    }
  }
  return { count, images, labels, shape: COLOUR };
}

before(useWasm);

describe('image shape', () => {
  test('grey models keep their specs: no image field, 28 × 28 × 1; the colour model says 32 × 32 × 3', () => {
    for (const spec of Object.values(MODEL_SPECS) as ModelSpec[]) {
      if (spec.dataset.startsWith('emoji')) assert.deepEqual(imageShape(spec), COLOUR);
      else {
        assert.equal('image' in spec, false, `${spec.id} has an image field`);
        assert.deepEqual(imageShape(spec), GREY_28);
      }
    }
  });

  test('grey models write the same bundle bytes as before images had a shape, and load from them', async () => {
    // SHA-256 of the bundles the code before this change wrote from the same weights and meta.
    const before: Record<string, string> = {
      'mnist-conv-z2': 'e898cb1a9a7b4b4dc223100e29fae4b11d0b76268a127b3b8ff485fb4e9ebd48',
      'mnist-mlp-z2': '6cefc7f49815d343b877384f95acc765ade6cad90bd6902206a3393ff0654bc5',
    };
    for (const [id, sha] of Object.entries(before)) {
      const spec = MODEL_SPECS[id as 'mnist-conv-z2'];
      const vae = await loadVae(spec, readPublic, `weights/${id}`);
      try {
        const bytes = encodeBundle({ spec, meta: { steps: 12870, savedAt: '2026-12-06T00:00:00.000Z', batchSize: 128 }, files: await vaeToFiles(vae) });
        assert.equal(createHash('sha256').update(bytes).digest('hex'), sha, `${id}: the bundle's bytes changed`);
        const again = await loadBundle(decodeBundle(bytes));
        try {
          assert.deepEqual(Array.from(decode(again, [0.5, -1])), Array.from(decode(vae, [0.5, -1])));
        } finally {
          disposeVae(again);
        }
      } finally {
        disposeVae(vae);
      }
    }
  });

  test('shapes a model cannot take are refused, each with its reason', () => {
    assert.equal(imageShapeProblem(COLOUR), undefined);
    assert.equal(imageShapeProblem(GREY_28), undefined);
    assert.match(imageShapeProblem({ height: 30, width: 32, channels: 3 })!, /multiple of 4/);
    assert.match(imageShapeProblem({ height: 32, width: 32, channels: 2 })!, /grey \(1\) or RGB \(3\)/);
    assert.match(imageShapeProblem({ height: 0, width: 32, channels: 1 })!, /whole positive/);
    assert.throws(() => buildVae({ ...colourSpec, image: { height: 30, width: 30, channels: 3 } }), /colour-test-z2: its image shape will not do: .*multiple of 4/);
  });

  test('a 32 × 32 × 3 conv VAE has the layers the architecture implies, for 32 × 32 × 3 in and out', () => {
    const vae = buildVae(colourSpec);
    try {
      assert.deepEqual(vae.encoder.inputs[0]!.shape, [null, 32, 32, 3]);
      assert.deepEqual(vae.decoder.outputs[0]!.shape, [null, 32, 32, 3]);
      // Weights and biases, layer by layer, for hidden h = 16 and a 2-D latent.
      const [h, d] = [16, 2];
      const encoder = 3 * 3 * 3 * 32 + 32 + (3 * 3 * 32 * 64 + 64) + (8 * 8 * 64 * h + h) + 2 * (h * d + d);
      const decoder = d * 8 * 8 * 64 + 8 * 8 * 64 + (3 * 3 * 64 * 64 + 64) + (3 * 3 * 64 * 32 + 32) + (3 * 3 * 32 * 3 + 3);
      assert.equal(countParams(vae), encoder + decoder);
    } finally {
      disposeVae(vae);
    }
    const mlp = buildVae({ ...colourSpec, arch: 'mlp', hidden: 32 });
    try {
      assert.deepEqual(mlp.decoder.outputs[0]!.shape, [null, 32, 32, 3]);
    } finally {
      disposeVae(mlp);
    }
  });

  test('the reconstruction term is the binary cross-entropy summed over every pixel and channel', () => {
    const vae = buildVae(colourSpec);
    const set = colourSet(3, 5);
    try {
      const z = [0.3, -0.7, 1.1, 0.2, -0.4, -1.5];
      const logits = decodeLogits(vae, z);
      assert.equal(logits.length, 3 * 32 * 32 * 3);
      const x = toFloat(set, [0, 1, 2]);
      const got = tf.tidy(() => reconstructionLoss(tf.tensor4d(x, [3, 32, 32, 3]), tf.tensor4d(logits, [3, 32, 32, 3])).arraySync());
      for (let n = 0; n < 3; n++) {
        // −[x log σ(l) + (1 − x) log(1 − σ(l))] = softplus(l) − x·l, in float64.
        let want = 0;
        for (let i = n * 3072; i < (n + 1) * 3072; i++) want += Math.log1p(Math.exp(-Math.abs(logits[i]!))) + Math.max(logits[i]!, 0) - x[i]! * logits[i]!;
        assert.ok(Math.abs(got[n]! - want) < 1e-3 * want, `image ${n}: ${got[n]} against ${want}`);
      }
    } finally {
      disposeVae(vae);
    }
  });

  test('a colour model trains with a falling loss, leaks no tensor, and refuses grey images', () => {
    const vae = buildVae(colourSpec);
    const data = colourSet(256, 7);
    const heldOut = colourSet(64, 8);
    try {
      const before = evaluate(vae, heldOut, { batchSize: 64, seed: 3 }).loss;
      const trainer = new Trainer(vae, data, { batchSize: 32, learningRate: 2e-3, seed: 4 });
      trainer.step();
      const tensors = tf.memory().numTensors;
      for (let i = 0; i < 40; i++) trainer.step();
      assert.equal(tf.memory().numTensors, tensors, 'training steps leaked tensors');
      const after = evaluate(vae, heldOut, { batchSize: 64, seed: 3 }).loss;
      assert.ok(after < 0.8 * before, `held-out loss ${before.toFixed(1)} → ${after.toFixed(1)}`);
      assert.equal(encode(vae, toFloat(heldOut, [0, 1])).mu.length, 4);
      const grey: ImageSet = { count: 64, images: new Uint8Array(64 * 784), labels: new Uint8Array(64) };
      assert.throws(() => new Trainer(vae, grey, { batchSize: 32, learningRate: 1e-3, seed: 1 }), /colour-test-z2 takes 32 × 32 × 3 images; these are 28 × 28 grey/);
      assert.throws(() => encode(vae, new Float32Array(784)), /multiple of 3072 values \(32 × 32 × 3\)/);
    } finally {
      disposeVae(vae);
    }
  });

  test('the entropy floor of colour images sums H(x) over every pixel and channel', () => {
    const set = colourSet(4, 12);
    // Some values strictly between 0 and 255, so that the floor is not 0.
    set.images.forEach((v, i) => (set.images[i] = (v + i) % 256));
    let want = 0;
    for (const v of set.images) {
      const x = v / 255;
      if (v > 0 && v < 255) want -= x * Math.log(x) + (1 - x) * Math.log(1 - x);
    }
    assert.ok(Math.abs(entropyFloorPerImage(set) - want / 4) < 1e-9 * want);
  });

  test('tiles and the manifold mosaic of a colour model keep each image’s channels in place', () => {
    // Two 2 × 3 RGB images, side by side: value (k, y, x, c) = (k·18 + y·9 + x·3 + c) / 255.
    const shape = { height: 2, width: 3, channels: 3 };
    const probs = Float32Array.from({ length: 2 * 18 }, (_, i) => i / 255);
    const tiled = tileRows(probs, 2, shape);
    assert.equal(tiled.length, 2 * 18);
    for (let k = 0; k < 2; k++) {
      for (let y = 0; y < 2; y++) {
        for (let x = 0; x < 3; x++) for (let c = 0; c < 3; c++) assert.equal(tiled[y * 18 + (k * 3 + x) * 3 + c], k * 18 + y * 9 + x * 3 + c, `(${k}, ${y}, ${x}, ${c})`);
      }
    }
    const vae = buildVae(colourSpec);
    try {
      const mosaic = manifoldMosaic(vae, 3, 2);
      assert.equal(mosaic.length, 96 * 96 * 3);
      // Cell (row 1, column 2) is the decode of the sixth code, at rows 32–63 and columns 64–95.
      const cell = decode(vae, manifoldCodes(3, 2).subarray(10, 12));
      for (const [y, x, c] of [[0, 0, 0], [5, 17, 2], [31, 31, 1]] as const) {
        assert.equal(mosaic[((32 + y) * 96 + 64 + x) * 3 + c], Math.round(255 * cell[(y * 32 + x) * 3 + c]!));
      }
    } finally {
      disposeVae(vae);
    }
  });

  test('a colour mosaic goes into a truecolour PNG and comes back byte for byte', () => {
    // Every value differs by channel and position, so a swapped channel or a transposed row fails.
    const [width, height] = [5, 3];
    const levels = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37 + (i % 3) * 11) % 256);
    const { rgba } = decodePngRgba(encodePng(levels, width, height, 3));
    for (let p = 0; p < width * height; p++) {
      assert.deepEqual([...rgba.subarray(4 * p, 4 * p + 4)], [levels[3 * p]!, levels[3 * p + 1]!, levels[3 * p + 2]!, 255], `pixel ${p}`);
    }
    assert.throws(() => encodePng(levels, width + 1, height, 3), /Expected 54 levels for 6 × 3 × 3, got 45/);
  });

  test('a dataset whose manifest says 32 × 32 × 3 loads with that shape; slices keep it', async () => {
    const set = colourSet(5, 9);
    const manifest = {
      format: 'latent-lab-images',
      version: 1,
      dataset: 'colour-test',
      source: 'test',
      width: 32,
      height: 32,
      channels: 3,
      classes: ['red', 'green', 'blue'],
      splits: { train: { count: 5, shards: [{ images: 'i.bin', labels: 'l.bin', count: 5, sha256: { images: '', labels: '' } }] }, test: { count: 0, shards: [] } },
    };
    const files: Record<string, Uint8Array> = { 'b/manifest.json': new TextEncoder().encode(JSON.stringify(manifest)), 'b/i.bin': set.images, 'b/l.bin': set.labels };
    const read = async (path: string) => files[path] ?? Promise.reject(new Error(`no ${path}`));
    const loaded = await loadSplit(read, 'b', 'train');
    assert.deepEqual(setShape(loaded), COLOUR);
    assert.deepEqual(Array.from(loaded.images), Array.from(set.images));
    const part = sliceSet(loaded, 1, 3);
    assert.deepEqual(setShape(part), COLOUR);
    assert.deepEqual(Array.from(toFloat(part, [1])), Array.from(set.images.subarray(2 * 3072, 3 * 3072), (v) => v / 255).map(Math.fround));
    // One byte short of the last image: the shard is refused, with the sizes.
    files['b/i.bin'] = set.images.subarray(1);
    await assert.rejects(loadSplit(read, 'b', 'train'), /expected 15360 and 5/);
    files['b/manifest.json'] = new TextEncoder().encode(JSON.stringify({ ...manifest, width: 30 }));
    await assert.rejects(loadSplit(read, 'b', 'train'), /images the models cannot take: 32 × 30 is not a multiple of 4/);
  });
});
