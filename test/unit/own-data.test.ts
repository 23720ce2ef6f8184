/**
 * A reader's own images, prepared without the DOM (src/vae/prepare-image.ts, dataset-split.ts,
 * dataset-zip.ts), each step checked against a computation written here; and the round trip of
 * the page's download: its zip, read by `npm run data -- --folder <zip> --id <id>`, gives back
 * every pixel, label, split and class name, and `npm run train -- --dataset <id>` trains on it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { strToU8, zipSync } from 'fflate';
import { PUBLIC, readPublic, ROOT } from '../../scripts/lib/files.ts';
import { decodePng } from '../../scripts/lib/png.ts';
import { loadManifest, loadSplit } from '../../src/vae/data.ts';
import { DEFAULT_SPLIT, dropDuplicates, stratifiedSplit, type Side } from '../../src/vae/dataset-split.ts';
import { datasetZip, unzipChecked, ZipRefused, zipText } from '../../src/vae/dataset-zip.ts';
import { isSafePath } from '../../src/vae/labels-csv.ts';
import type { ModelMetrics } from '../../src/vae/io.ts';
import { COLOUR_32, colourOver, fitColour, fitLikeMnist, greyOver, invert, looksDarkOnLight, prepareImage, prepareRgba, resizeWhole } from '../../src/vae/prepare-image.ts';
import { preprocessDigit } from '../../src/vae/preprocess.ts';
import { createRng } from '../../src/vae/random.ts';

const run = promisify(execFile);
const dir = await mkdtemp(join(tmpdir(), 'latent-lab-own-data-'));
after(() => rm(dir, { recursive: true, force: true }));

/** Random bytes from a seeded stream. */
function bytes(n: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));
}

describe('preparing one picture', () => {
  test('greyOver composites over the background, then takes BT.601 luminance', () => {
    const rgba = bytes(4 * 50, 1);
    for (const background of [[255, 255, 255], [0, 0, 0], [10, 200, 30]] as const) {
      const grey = greyOver(rgba, background);
      for (let p = 0; p < 50; p++) {
        const [r, g, b, a] = Array.from(rgba.subarray(4 * p, 4 * p + 4));
        const over = (c: number, k: number) => (a! * c + (255 - a!) * background[k]!) / 255;
        const y = 0.299 * over(r!, 0) + 0.587 * over(g!, 1) + 0.114 * over(b!, 2);
        assert.ok(Math.abs(grey[p]! - y) <= 0.5 + 1e-9, `pixel ${p}: ${grey[p]} against ${y}`);
      }
    }
    // Fully transparent pixels take the background, opaque ones their own colour.
    assert.deepEqual(Array.from(greyOver([9, 9, 9, 0, 9, 9, 9, 255], [255, 255, 255])), [255, 9]);
  });

  test('looksDarkOnLight reads the border: ink on paper yes, MNIST-style no', () => {
    const paper = new Uint8Array(30 * 20).fill(240);
    paper.fill(10, 200, 260);
    assert.equal(looksDarkOnLight(paper, 30, 20), true);
    assert.equal(looksDarkOnLight(invert(paper), 30, 20), false);
    assert.deepEqual(Array.from(invert(Uint8Array.of(0, 1, 254, 255))), [255, 254, 1, 0]);
  });

  test('resizeWhole leaves a 28 × 28 picture as it is, byte for byte', () => {
    const picture = bytes(784, 2);
    assert.deepEqual(resizeWhole(picture, 28, 28), picture);
  });

  test('resizeWhole averages whole blocks when the size divides, and letterboxes other shapes onto 0', () => {
    // 56 × 112: the longer side 112 → 28 is a factor of 4, so each output pixel is the mean of a 4 × 4 block.
    const [w, h] = [56, 112];
    const picture = bytes(w * h, 3);
    const out = resizeWhole(picture, w, h);
    // 14 columns wide, centred: columns 7 to 20.
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const v = out[y * 28 + x]!;
        if (x < 7 || x >= 21) {
          assert.equal(v, 0, `margin pixel (${x}, ${y})`);
          continue;
        }
        let sum = 0;
        for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) sum += picture[(4 * y + dy) * w + 4 * (x - 7) + dx]!;
        assert.ok(Math.abs(v - sum / 16) <= 0.5 + 1e-9, `(${x}, ${y}): ${v} against ${sum / 16}`);
      }
    }
  });

  test('resizeWhole keeps the mean grey level of a picture that fills the square (area averaging)', () => {
    const picture = bytes(97 * 97, 4);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    assert.ok(Math.abs(mean(resizeWhole(picture, 97, 97)) - mean(picture)) < 0.5);
    // A tiny picture is blown up: 7 × 7 → each source pixel fills a 4 × 4 block.
    const tiny = bytes(49, 5);
    const big = resizeWhole(tiny, 7, 7);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) assert.equal(big[y * 28 + x], tiny[Math.floor(y / 4) * 7 + Math.floor(x / 4)]);
  });

  test('fitLikeMnist is preprocessDigit on the grey levels as ink, rounded to bytes; no ink gives null', () => {
    const [w, h] = [60, 45];
    const picture = new Uint8Array(w * h);
    for (let y = 10; y < 35; y++) for (let x = 20; x < 28; x++) picture[y * w + x] = 200 + ((x * y) % 50);
    const fitted = fitLikeMnist(picture, w, h)!;
    const reference = preprocessDigit(Float32Array.from(picture, (v) => v / 255), w, h);
    assert.ok(reference.drawn);
    assert.deepEqual(fitted, Uint8Array.from(reference.image, (v) => Math.round(v * 255)));
    assert.equal(fitLikeMnist(new Uint8Array(w * h), w, h), null);
  });

  test('prepareImage chains the steps, and refuses pixels that do not match the size', () => {
    const [w, h] = [40, 40];
    const rgba = new Uint8Array(w * h * 4).fill(255);
    for (let y = 5; y < 30; y++) for (let x = 12; x < 20; x++) rgba.fill(0, 4 * (y * w + x), 4 * (y * w + x) + 3);
    const grey = greyOver(rgba);
    assert.deepEqual(prepareImage(rgba, w, h, { fit: 'resize', invert: true }), resizeWhole(invert(grey), w, h));
    assert.deepEqual(prepareImage(rgba, w, h, { fit: 'mnist', invert: true }), fitLikeMnist(invert(grey), w, h));
    // Without inverting, the white page is the "ink": the whole picture goes into the 20 × 20 box.
    const page = prepareImage(rgba, w, h, { fit: 'mnist', invert: false })!;
    const lit = page.filter((v) => v > 0).length;
    assert.ok(lit > 300 && lit <= 400, `${lit} pixels lit`);
    assert.throws(() => prepareImage(rgba.subarray(4), w, h, { fit: 'resize', invert: false }), /Expected 6400 RGBA bytes/);
  });

  test('colourOver composites each channel over the background', () => {
    const rgba = Uint8Array.of(200, 100, 0, 255, 200, 100, 0, 0, 200, 100, 0, 51);
    // α = 1: the pixel; α = 0: the background; α = 0.2: 0.2·c + 0.8·b per channel.
    assert.deepEqual(Array.from(colourOver(rgba, [10, 20, 30])), [200, 100, 0, 10, 20, 30, 48, 36, 24]);
  });

  test('fitColour keeps a 32 × 32 picture, averages 2 × 2 blocks of a 64 × 64 one per channel, and letterboxes onto the background colour', () => {
    const same = bytes(32 * 32 * 3, 6);
    assert.deepEqual(fitColour(same, 32, 32), same);
    const big = bytes(64 * 64 * 3, 7);
    const half = fitColour(big, 64, 64);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) sum += big[((2 * y + dy) * 64 + 2 * x + dx) * 3 + c]!;
          assert.ok(Math.abs(half[(y * 32 + x) * 3 + c]! - sum / 4) <= 0.5 + 1e-9, `(${x}, ${y}, ${c})`);
        }
      }
    }
    // 64 × 32: halved to 32 × 16, rows 8 to 23 hold it, the rest is the background colour.
    const wide = bytes(64 * 32 * 3, 8);
    const boxed = fitColour(wide, 64, 32, [1, 2, 3]);
    for (let y = 0; y < 32; y++) {
      const inside = y >= 8 && y < 24;
      for (let x = 0; x < 32; x++) {
        const pixel = Array.from(boxed.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3));
        if (!inside) assert.deepEqual(pixel, [1, 2, 3], `margin (${x}, ${y})`);
        else {
          const c = 0;
          let sum = 0;
          for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) sum += wide[((2 * (y - 8) + dy) * 64 + 2 * x + dx) * 3 + c]!;
          assert.ok(Math.abs(pixel[c]! - sum / 4) <= 0.5 + 1e-9, `(${x}, ${y})`);
        }
      }
    }
    assert.throws(() => fitColour(big.subarray(3), 64, 64), /Expected 12288 levels \(3 per pixel\) for 64 × 64, got 12285/);
  });

  test('prepareImage in colour: 32 × 32 × 3 on the background, never inverted, whatever fit and invert say', () => {
    const [w, h] = [40, 40];
    const rgba = new Uint8Array(w * h * 4);
    for (let p = 0; p < w * h; p++) rgba.set(p % 7 === 0 ? [0, 0, 0, 0] : [200, 30, 90, 255], 4 * p);
    const expected = fitColour(colourOver(rgba), w, h);
    for (const options of [{ fit: 'mnist', invert: true }, { fit: 'resize', invert: 'auto' }] as const) {
      assert.deepEqual(prepareRgba(rgba, w, h, { ...options, colour: true }), { image: expected, inverted: false });
    }
    assert.equal(expected.length, 32 * 32 * 3);
  });
});

describe('duplicates and the split', () => {
  test('dropDuplicates keeps the first of every set of identical images, as a string comparison finds them', () => {
    const size = 16;
    const rng = createRng(6);
    const distinct = Array.from({ length: 12 }, (_, k) => bytes(size, 100 + k));
    // Two images differ in one byte only: not duplicates.
    distinct[11] = distinct[10]!.slice();
    distinct[11][3] = distinct[10]![3]! ^ 1;
    const order = Array.from({ length: 60 }, () => Math.floor(rng() * 12));
    const images = new Uint8Array(order.length * size);
    order.forEach((k, i) => images.set(distinct[k]!, i * size));
    const { keep, dropped } = dropDuplicates(images, size);
    const seen = new Map<string, number>();
    const expectKeep: number[] = [];
    const expectDropped: [number, number][] = [];
    order.forEach((k, i) => {
      const key = distinct[k]!.join(',');
      if (seen.has(key)) expectDropped.push([i, seen.get(key)!]);
      else {
        seen.set(key, i);
        expectKeep.push(i);
      }
    });
    assert.deepEqual(keep, expectKeep);
    assert.deepEqual(dropped, expectDropped);
    assert.equal(new Set(order).size, keep.length);
  });

  test('stratifiedSplit holds out about a tenth of each class, on both sides for every class of two or more', () => {
    const sizes = [100, 37, 10, 2, 1, 250];
    const labels = sizes.flatMap((n, c) => Array.from({ length: n }, () => c));
    // Shuffle the labels so that classes interleave.
    const rng = createRng(7);
    for (let i = labels.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [labels[i], labels[j]] = [labels[j]!, labels[i]!];
    }
    const sides = stratifiedSplit(labels);
    sizes.forEach((n, c) => {
      const test = labels.filter((y, i) => y === c && sides[i] === 'test').length;
      const expected = n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(0.1 * n)));
      assert.equal(test, expected, `class ${c} of ${n}`);
    });
    assert.deepEqual(stratifiedSplit(labels), sides, 'the same seed gives the same split');
    assert.notDeepEqual(stratifiedSplit(labels, { ...DEFAULT_SPLIT, seed: 1 }), sides, 'another seed another');
  });

  test('stratifiedSplit: only single-image classes still hold one out; fewer than two images or a bad share is refused', () => {
    const sides = stratifiedSplit([0, 1, 2, 3, 4]);
    assert.equal(sides.filter((s) => s === 'test').length, 1);
    assert.deepEqual(stratifiedSplit([0, 0]).sort(), ['test', 'train']);
    assert.throws(() => stratifiedSplit([3]), /needs at least 2 images; there is 1/);
    assert.throws(() => stratifiedSplit([]), /there are 0/);
    assert.throws(() => stratifiedSplit([0, 1], { testShare: 1, seed: 1 }), /between 0 and 1/);
  });
});

describe('zips, read without trusting them', () => {
  test('paths that leave the folder are unsafe', () => {
    for (const path of ['../x.png', 'a/../../x.png', '/etc/passwd', 'C:/x.png', 'a\\..\\x.png', '']) assert.equal(isSafePath(path), false, path);
    for (const path of ['x.png', 'a/b/c.png', 'a/..b.png']) assert.equal(isSafePath(path), true, path);
  });

  test('unzipChecked gives the files and leaves out folders and the clutter of zip tools', () => {
    const zip = zipSync({ 'set/a.png': strToU8('A'), 'set/b/c.png': strToU8('C'), '__MACOSX/set/._a.png': strToU8('x'), 'set/.DS_Store': strToU8('x') });
    const files = unzipChecked(zip);
    assert.deepEqual([...files.keys()].sort(), ['set/a.png', 'set/b/c.png']);
    assert.equal(zipText(files.get('set/b/c.png')!), 'C');
  });

  test('a path outside the folder, too many files, or a bomb is refused before anything is inflated', () => {
    assert.throws(() => unzipChecked(zipSync({ '../evil.png': strToU8('x') })), (err: Error) => err instanceof ZipRefused && /the path "\.\.\/evil\.png", which points outside its folder/.test(err.message));
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}.png`, strToU8('x')]));
    assert.throws(() => unzipChecked(zipSync(many), { files: 10, bytes: 1e9 }), /more than 10 files/);
    // 64 MB of zeros deflate to about 64 kB; the zip declares its size, which is over the limit.
    const bomb = zipSync({ 'zeros.png': new Uint8Array(64 << 20) }, { level: 9 });
    assert.ok(bomb.length < 1 << 20);
    assert.throws(() => unzipChecked(bomb, { files: 10, bytes: 32 << 20 }), /more than 32 MB once unpacked/);
  });

  test('a file that is not a zip, or a cut-off one, gets a message', () => {
    assert.throws(() => unzipChecked(strToU8('not a zip at all, just text')), /The zip cannot be read/);
    const whole = zipSync({ 'a.png': bytes(5000, 8) });
    assert.throws(() => unzipChecked(whole.subarray(0, whole.length - 30)), /The zip cannot be read/);
  });
});

describe('the page\'s download, read back by npm run data and trained on by npm run train', () => {
  /** A small labelled set: 3 classes of simple shapes with a seeded split. */
  function shapes(count: number, classes: string[] | null) {
    const rng = createRng(9);
    const images = new Uint8Array(count * 784);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const label = classes ? i % classes.length : 0;
      labels[i] = label;
      const [cx, cy, r] = [10 + rng() * 8, 10 + rng() * 8, 4 + rng() * 5];
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const d = label === 1 ? Math.max(Math.abs(x - cx), Math.abs(y - cy)) : label === 2 ? Math.abs(x - cx) + Math.abs(y - cy) : Math.hypot(x - cx, y - cy);
          images[i * 784 + y * 28 + x] = d < r ? 255 : d < r + 1 ? Math.round(255 * (r + 1 - d)) : 0;
        }
      }
    }
    return { images, labels, sides: stratifiedSplit(labels) as Side[] };
  }

  test('a labelled set: every pixel, label, split and class name comes back, and a model trains on it', async () => {
    const classes = ['ring, round', 'square', 'diamond ◇'];
    const id = `test-own-${process.pid}`;
    const set = { id, classes, ...shapes(90, classes) };
    const zipPath = join(dir, 'my-shapes.zip');
    await writeFile(zipPath, datasetZip(set));
    // What the zip holds, read with the PNG decoder of the Node side.
    const files = unzipChecked(await readFile(zipPath));
    assert.equal(zipText(files.get(`${id}/classes.txt`)!), classes.join('\n') + '\n');
    const rows = zipText(files.get(`${id}/labels.csv`)!).trim().split('\n');
    assert.equal(rows[0], 'file,label,split');
    assert.equal(rows.length, 91);
    const first = decodePng(files.get(`${id}/${rows[1]!.split(',')[0]}`)!);
    assert.deepEqual(first, { width: 28, height: 28, grey: set.images.subarray(0, 784) });

    const target = join(PUBLIC, 'data', id);
    try {
      const prepared = await run(process.execPath, ['scripts/prepare-data.ts', '--folder', zipPath, '--id', id], { cwd: ROOT });
      assert.match(prepared.stdout, /Wrote public\/data\/test-own-\d+: 81 training and 9 test images/);
      assert.match(prepared.stdout, new RegExp(`npm run train -- --model mnist-conv-z2 --dataset ${id}`));
      const manifest = await loadManifest(readPublic, `data/${id}`);
      assert.deepEqual(manifest.classes, classes);
      assert.equal(manifest.labelled, undefined);
      for (const side of ['train', 'test'] as const) {
        const expected = [...set.sides.keys()].filter((i) => set.sides[i] === side);
        const got = await loadSplit(readPublic, `data/${id}`, side);
        assert.equal(got.count, expected.length);
        expected.forEach((i, k) => {
          assert.equal(got.labels[k], set.labels[i]);
          assert.deepEqual(got.images.subarray(k * 784, (k + 1) * 784), set.images.subarray(i * 784, (i + 1) * 784), `${side} image ${k}`);
        });
      }
      // Again: the same zip is up to date and not rebuilt.
      assert.match((await run(process.execPath, ['scripts/prepare-data.ts', '--folder', zipPath, '--id', id], { cwd: ROOT })).stdout, /is up to date/);
      const out = join(dir, 'weights');
      const trained = await run(process.execPath, ['scripts/train.ts', '--model', 'mnist-mlp-z2', '--dataset', id, '--epochs', '1', '--batch-size', '16', '--out', out, '--checkpoints', join(dir, 'ck')], { cwd: ROOT });
      assert.match(trained.stdout, new RegExp(`Training ${id}-mlp-z2 .* on \\d+ images`));
      const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as ModelMetrics;
      assert.equal(metrics.spec.dataset, id);
      assert.equal(metrics.test.images, 9);
      assert.ok(Number.isFinite(metrics.test.loss));
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });

  test('a colour set: 32 × 32 RGB PNGs in the zip, read back as 32 × 32 × 3 with every byte, and a conv model trains on it', async () => {
    const id = `test-own-colour-${process.pid}`;
    const count = 30;
    const rng = createRng(11);
    const images = new Uint8Array(count * 3072);
    const labels = new Uint8Array(count);
    // A red or a blue disc on white, at a random place; every channel differs somewhere.
    for (let i = 0; i < count; i++) {
      labels[i] = i % 2;
      const [cx, cy] = [10 + rng() * 12, 10 + rng() * 12];
      for (let p = 0; p < 1024; p++) {
        const inside = Math.hypot((p % 32) - cx, Math.floor(p / 32) - cy) < 6;
        images.set(inside ? (labels[i] ? [30, 60, 220] : [230, 40, 20]) : [255, 255, 255], i * 3072 + 3 * p);
      }
    }
    const set = { id, classes: ['red', 'blue'], images, shape: COLOUR_32, labels, sides: stratifiedSplit(labels) as Side[] };
    const zipPath = join(dir, 'colour.zip');
    await writeFile(zipPath, datasetZip(set));
    const files = unzipChecked(await readFile(zipPath));
    const firstPng = files.get(`${id}/images/00001.png`)!;
    assert.equal(firstPng[25], 2, 'a truecolour PNG');
    const target = join(PUBLIC, 'data', id);
    try {
      await run(process.execPath, ['scripts/prepare-data.ts', '--folder', zipPath, '--id', id], { cwd: ROOT });
      const manifest = await loadManifest(readPublic, `data/${id}`);
      assert.deepEqual([manifest.height, manifest.width, manifest.channels], [32, 32, 3]);
      for (const side of ['train', 'test'] as const) {
        const expected = [...set.sides.keys()].filter((i) => set.sides[i] === side);
        const got = await loadSplit(readPublic, `data/${id}`, side);
        expected.forEach((i, k) => assert.deepEqual(got.images.subarray(k * 3072, (k + 1) * 3072), images.subarray(i * 3072, (i + 1) * 3072), `${side} image ${k}`));
      }
      const out = join(dir, 'colour-weights');
      const trained = await run(process.execPath, ['scripts/train.ts', '--model', 'mnist-conv-z2', '--dataset', id, '--epochs', '1', '--batch-size', '9', '--out', out, '--checkpoints', join(dir, 'colour-ck')], { cwd: ROOT });
      assert.match(trained.stdout, new RegExp(`Training ${id}-conv-z2 `));
      const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as ModelMetrics;
      assert.deepEqual(metrics.spec.image, { height: 32, width: 32, channels: 3 });
      assert.ok(Number.isFinite(metrics.test.loss));
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });

  test('an unlabelled set comes back as one class, marked unlabelled', async () => {
    const id = `test-own-plain-${process.pid}`;
    const zipPath = join(dir, 'plain.zip');
    await writeFile(zipPath, datasetZip({ id, classes: null, ...shapes(20, null) }));
    const files = unzipChecked(await readFile(zipPath));
    assert.equal(files.has(`${id}/classes.txt`), false);
    assert.match(zipText(files.get(`${id}/labels.csv`)!), /\nimages\/00001\.png,,(train|test)\n/);
    const target = join(PUBLIC, 'data', id);
    try {
      await run(process.execPath, ['scripts/prepare-data.ts', '--folder', zipPath, '--id', id], { cwd: ROOT });
      const manifest = await loadManifest(readPublic, `data/${id}`);
      assert.deepEqual(manifest.classes, ['unlabelled']);
      assert.equal(manifest.labelled, false);
      const train = await loadSplit(readPublic, `data/${id}`, 'train');
      assert.ok(train.labels.every((y) => y === 0));
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });

  test('the CLI refuses a missing id, a built-in id, a zip with a path outside, and a folder with no labels.csv', async () => {
    const fails = async (args: string[]) => {
      const err = await run(process.execPath, ['scripts/prepare-data.ts', ...args], { cwd: ROOT }).then(
        () => assert.fail(`${args.join(' ')} should fail`),
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal(err.code, 1);
      return err.stderr;
    };
    const evil = join(dir, 'evil.zip');
    await writeFile(evil, zipSync({ 'set/labels.csv': strToU8('file,label,split\n'), '../outside.png': strToU8('x') }));
    assert.match(await fails(['--folder', evil]), /--folder needs --id/);
    assert.match(await fails(['--folder', evil, '--id', 'mnist']), /--id mnist is one of the built-in datasets/);
    assert.match(await fails(['--folder', evil, '--id', 'evil']), /The zip was refused: it holds the path "\.\.\/outside\.png"/);
    assert.match(await fails(['--folder', dir, '--id', 'nothing']), /holds no labels\.csv/);
    assert.match(await fails(['--folder', join(dir, 'none'), '--id', 'nothing']), /no such file or folder/);
  });
});
