/**
 * Two steps of preparing a reader's own images, shared by the page's worker and `npm run data`:
 * dropping exact duplicates, and a seeded train/test split stratified by label.
 */
import { createRng, permutation } from './random.ts';

/** The images that survive duplicate removal, and what each dropped one copied. */
export interface Deduplicated {
  /** Indices of the images kept, in their first-seen order. */
  keep: number[];
  /** For each dropped image, [its index, the index of the kept image it equals]. */
  dropped: [number, number][];
}

/** FNV-1a over one image's bytes: a bucket key; equality is then checked byte by byte. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Keeps the first of every set of byte-identical images (`images` holds `count` images of
 * `size` bytes each, back to back). Two images count as duplicates only when every byte agrees.
 */
export function dropDuplicates(images: Uint8Array, size: number, count: number = images.length / size): Deduplicated {
  if (!(Number.isInteger(size) && size > 0) || images.length < count * size) throw new Error(`dropDuplicates: ${images.length} bytes hold fewer than ${count} images of ${size} bytes`);
  const buckets = new Map<number, number[]>();
  const keep: number[] = [];
  const dropped: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const image = images.subarray(i * size, (i + 1) * size);
    const key = fnv1a(image);
    const bucket = buckets.get(key);
    const twin = bucket?.find((k) => same(images.subarray(k * size, (k + 1) * size), image));
    if (twin !== undefined) {
      dropped.push([i, twin]);
      continue;
    }
    if (bucket) bucket.push(i);
    else buckets.set(key, [i]);
    keep.push(i);
  }
  return { keep, dropped };
}

/** Which side of the split each image lands on. */
export type Side = 'train' | 'test';

export interface SplitOptions {
  /** The share of each class held out for testing, in (0, 1). */
  testShare: number;
  seed: number;
}

/** The default split: 10 % of each class held out, with a fixed seed. */
export const DEFAULT_SPLIT: SplitOptions = { testShare: 0.1, seed: 20161231 };

/**
 * A seeded split stratified by label: class c with n_c images holds out
 * round(testShare · n_c) of them, at least one when n_c ≥ 2 and never all, so every class with
 * two or more images appears on both sides and a class with one image trains. If that leaves the
 * test side empty (every class has a single image), one image, drawn with the seed, is held out.
 * The images of a class are shuffled with the seed; the same labels and options give the same
 * split. Needs at least two images.
 */
export function stratifiedSplit(labels: ArrayLike<number>, options: SplitOptions = DEFAULT_SPLIT): Side[] {
  const n = labels.length;
  if (n < 2) throw new Error(`A train/test split needs at least 2 images; there ${n === 1 ? 'is 1' : `are ${n}`}.`);
  if (!(options.testShare > 0 && options.testShare < 1)) throw new Error(`The test share must lie between 0 and 1, not ${options.testShare}.`);
  const rng = createRng(options.seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(labels[i]!);
    if (list) list.push(i);
    else byClass.set(labels[i]!, [i]);
  }
  const sides: Side[] = new Array<Side>(n).fill('train');
  let held = 0;
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(label)!;
    const order = permutation(members.length, rng);
    const count = members.length < 2 ? 0 : Math.min(members.length - 1, Math.max(1, Math.round(options.testShare * members.length)));
    for (let k = 0; k < count; k++) sides[members[order[k]!]!] = 'test';
    held += count;
  }
  if (held === 0) sides[Math.floor(rng() * n)] = 'test';
  return sides;
}

/** Images per class on each side, for `classes` classes. */
export function sideCounts(classes: number, labels: ArrayLike<number>, sides: readonly Side[]): { train: number[]; test: number[] } {
  const counts = { train: new Array<number>(classes).fill(0), test: new Array<number>(classes).fill(0) };
  sides.forEach((side, i) => counts[side][labels[i]!]!++);
  return counts;
}
