/**
 * The MNIST assets in public/data/mnist and their loader: the manifest and checksums, real
 * MNIST label counts, loadSplit with limits across shards, and clear errors for missing or
 * damaged data.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { binarizeSet, BINARIZE_SEED, DataError, loadFirst, loadManifest, loadSplit, sliceSet, toFloat, type ReadBytes, type ReadRange } from '../../src/vae/data.ts';
import { PIXELS } from '../../src/vae/spec.ts';

const BASE = 'data/mnist';
const DIR = join(PUBLIC, BASE);

// The published per-digit counts of MNIST (LeCun et al.), digits 0–9.
const MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function histogram(labels: Uint8Array): number[] {
  const h = new Array<number>(10).fill(0);
  for (const l of labels) h[l]!++;
  return h;
}

async function expectDataError(promise: Promise<unknown>, message: RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DataError, `expected a DataError, got ${String(err)}`);
    assert.equal(err.name, 'DataError');
    assert.match(err.message, message);
    return true;
  });
}

describe('public/data/mnist', () => {
  test('the manifest describes 60,000 train and 10,000 test 28×28 images in shards', async () => {
    const manifest = await loadManifest(readPublic, BASE);
    assert.equal(manifest.format, 'latent-lab-images');
    assert.equal(manifest.dataset, 'mnist');
    assert.deepEqual([manifest.width, manifest.height, manifest.channels], [28, 28, 1]);
    assert.deepEqual(manifest.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.equal(manifest.splits.train.count, 60000);
    assert.equal(manifest.splits.test.count, 10000);
    for (const split of ['train', 'test'] as const) {
      const { count, shards } = manifest.splits[split];
      assert.equal(shards.reduce((n, s) => n + s.count, 0), count, `${split}: shard counts do not add up`);
      for (const shard of shards) {
        assert.equal((await stat(join(DIR, shard.images))).size, shard.count * PIXELS, shard.images);
        assert.equal((await stat(join(DIR, shard.labels))).size, shard.count, shard.labels);
      }
    }
  });

  test('every shard matches its SHA-256 checksum, and the labels are MNIST’s', async () => {
    const manifest = await loadManifest(readPublic, BASE);
    for (const [split, expected] of [['train', MNIST_TRAIN_COUNTS], ['test', MNIST_TEST_COUNTS]] as const) {
      const counts = new Array<number>(10).fill(0);
      for (const shard of manifest.splits[split].shards) {
        assert.match(shard.sha256.images, /^[0-9a-f]{64}$/);
        assert.equal(sha256(await readFile(join(DIR, shard.images))), shard.sha256.images, `${shard.images} checksum`);
        const labels = await readFile(join(DIR, shard.labels));
        assert.equal(sha256(labels), shard.sha256.labels, `${shard.labels} checksum`);
        histogram(labels).forEach((n, digit) => (counts[digit]! += n));
      }
      assert.deepEqual(counts, expected, `${split} label counts`);
    }
  });
});

describe('loadSplit', () => {
  test('with a limit returns the first images of the split, in order', async () => {
    const set = await loadSplit(readPublic, BASE, 'test', { limit: 100 });
    assert.equal(set.count, 100);
    assert.equal(set.images.length, 100 * PIXELS);
    assert.equal(set.labels.length, 100);
    const raw = await readFile(join(DIR, 'test-00.images.u8'));
    assert.deepEqual(set.images, new Uint8Array(raw.subarray(0, 100 * PIXELS)));
    assert.deepEqual(set.labels, new Uint8Array((await readFile(join(DIR, 'test-00.labels.u8'))).subarray(0, 100)));
    // Real digits: mostly background, some ink, nothing blank.
    for (let k = 0; k < 100; k++) {
      const img = set.images.subarray(k * PIXELS, (k + 1) * PIXELS);
      const ink = img.reduce((n, v) => n + (v > 128 ? 1 : 0), 0);
      assert.ok(ink > 20 && ink < 400, `image ${k} has ${ink} inked pixels`);
    }
  });

  test('a limit spanning two shards stitches them together; onShard sees each shard', async () => {
    const seen: [count: number, index: number][] = [];
    const set = await loadSplit(readPublic, BASE, 'train', { limit: 10_005, onShard: (s, i) => seen.push([s.count, i]) });
    assert.equal(set.count, 10_005);
    assert.deepEqual(seen, [[10_000, 0], [10_005, 1]]);
    const second = await readFile(join(DIR, 'train-01.images.u8'));
    assert.deepEqual(set.images.subarray(10_000 * PIXELS), new Uint8Array(second.subarray(0, 5 * PIXELS)));
    const secondLabels = await readFile(join(DIR, 'train-01.labels.u8'));
    assert.deepEqual(set.labels.subarray(10_000), new Uint8Array(secondLabels.subarray(0, 5)));
  });

  test('a limit above the split size is clamped to the split', async () => {
    const set = await loadSplit(readPublic, BASE, 'test', { limit: 1e9 });
    assert.equal(set.count, 10_000);
    assert.deepEqual(histogram(set.labels), MNIST_TEST_COUNTS);
  });

  test('toFloat scales to [0, 1] and sliceSet shares memory', async () => {
    const set = await loadSplit(readPublic, BASE, 'test', { limit: 10 });
    const f = toFloat(set, [3, 0]);
    assert.equal(f.length, 2 * PIXELS);
    for (let p = 0; p < PIXELS; p++) {
      assert.equal(f[p], Math.fround(set.images[3 * PIXELS + p]! / 255));
      assert.equal(f[PIXELS + p], Math.fround(set.images[p]! / 255));
    }
    const part = sliceSet(set, 2, 5);
    assert.equal(part.count, 3);
    assert.equal(part.labels[0], set.labels[2]);
    assert.equal(part.images.buffer, set.images.buffer);
  });

  test('a missing dataset folder gives a DataError that says to run `npm run data`', async () => {
    await expectDataError(loadSplit(readPublic, 'data/no-such-dataset', 'train'), /data\/no-such-dataset.*npm run data/s);
  });

  test('a truncated shard gives a DataError', async () => {
    const truncating: ReadBytes = async (path) => {
      const bytes = await readPublic(path);
      return path.endsWith('test-00.images.u8') ? bytes.subarray(0, bytes.length - PIXELS / 2) : bytes;
    };
    await expectDataError(loadSplit(truncating, BASE, 'test', { limit: 10 }), /test-00\.images\.u8.*npm run data/);
    const shortLabels: ReadBytes = async (path) => {
      const bytes = await readPublic(path);
      return path.endsWith('test-00.labels.u8') ? bytes.subarray(0, 10) : bytes;
    };
    await expectDataError(loadSplit(shortLabels, BASE, 'test', { limit: 10 }), /10 labels/);
  });

  test('a manifest that is not JSON, of another format, or of a shape the models cannot take gives a DataError', async () => {
    const fake = (text: string): ReadBytes => async (path) => (path.endsWith('manifest.json') ? new TextEncoder().encode(text) : readPublic(path));
    await expectDataError(loadSplit(fake('<html>'), BASE, 'test'), /not valid JSON.*npm run data/);
    await expectDataError(loadSplit(fake('{"format": "something-else", "version": 1}'), BASE, 'test'), /unknown format/);
    const manifest = JSON.parse(await readFile(join(DIR, 'manifest.json'), 'utf8'));
    await expectDataError(loadSplit(fake(JSON.stringify({ ...manifest, width: 30, height: 30 })), BASE, 'test'), /images the models cannot take: 30 × 30 is not a multiple of 4/);
    // A shape the models can take, but not the shards' size: the shard is refused with both sizes.
    await expectDataError(loadSplit(fake(JSON.stringify({ ...manifest, width: 32, height: 32 })), BASE, 'test'), /expected \d+ and \d+\. Run `npm run data`/);
  });
});

describe('loadFirst', () => {
  /** Byte ranges of the public files, recording what was read. */
  function rangeReader(log: string[]): ReadRange {
    return async (path, start, end) => {
      log.push(`${path.split('/').pop()} ${start}-${end}`);
      return (await readPublic(path)).subarray(start, end);
    };
  }

  test('reads only the bytes of the first images, across shards, and gives what loadSplit gives', async () => {
    const manifest = await loadManifest(readPublic, BASE);
    const log: string[] = [];
    const set = await loadFirst(rangeReader(log), BASE, manifest, 'train', 10_003);
    const whole = await loadSplit(readPublic, BASE, 'train', { limit: 10_003 });
    assert.equal(set.count, 10_003);
    assert.deepEqual(set.images, whole.images);
    assert.deepEqual(set.labels, whole.labels);
    assert.deepEqual(log.sort(), ['train-00.images.u8 0-7840000', 'train-00.labels.u8 0-10000', 'train-01.images.u8 0-2352', 'train-01.labels.u8 0-3'].sort());
  });

  test('a short read is a DataError', async () => {
    const manifest = await loadManifest(readPublic, BASE);
    const short: ReadRange = async (path, start, end) => (await readPublic(path)).subarray(start, end - 1);
    await expectDataError(loadFirst(short, BASE, manifest, 'test', 5), /first 5 images of test-00\.images\.u8/);
  });
});

describe('binarizeSet', () => {
  test('draws each pixel black or white once, white with its grey level as probability, the same for a prefix of the set', async () => {
    const grey = await loadSplit(readPublic, 'data/mnist', 'test', { limit: 200 });
    const binary = binarizeSet(grey);
    assert.equal(binary.count, 200);
    assert.equal(binary.labels, grey.labels);
    assert.ok(binary.images.every((v) => v === 0 || v === 255), 'every pixel is 0 or 255');
    // Black stays black and white stays white; grey levels go either way, in proportion.
    let white = 0;
    let expected = 0;
    let variance = 0;
    for (let i = 0; i < grey.images.length; i++) {
      const p = grey.images[i]! / 255;
      if (p === 0) assert.equal(binary.images[i], 0);
      if (p === 1) assert.equal(binary.images[i], 255);
      white += binary.images[i]! / 255;
      expected += p;
      variance += p * (1 - p);
    }
    assert.ok(variance > 1000, 'the images have grey pixels to draw');
    assert.ok(Math.abs(white - expected) < 5 * Math.sqrt(variance), `${white} white pixels, ${expected.toFixed(0)} expected (sd ${Math.sqrt(variance).toFixed(1)})`);
    assert.deepEqual(binarizeSet(grey, BINARIZE_SEED).images, binary.images, 'one seed, one draw');
    assert.notDeepEqual(binarizeSet(grey, BINARIZE_SEED + 1).images, binary.images, 'another seed, another draw');
    const first = binarizeSet(sliceSet(grey, 0, 50));
    assert.deepEqual(first.images, binary.images.subarray(0, 50 * PIXELS), 'the first 50 images are drawn as in the whole set');
  });
});
