/**
 * One loader for the image datasets, in the page (fetch) and in Node (file system): callers
 * pass a `ReadBytes` that knows where the bytes live. The format is written by
 * scripts/prepare-data.ts: a manifest.json plus shards of raw uint8 images and labels.
 */
import { GREY_28, imageShapeProblem, imageValues, sameShape, type ImageShape } from './spec.ts';
import { bernoulliGrey } from './pixel-samples.ts';

export type ReadBytes = (path: string) => Promise<Uint8Array>;

export interface ShardInfo {
  images: string;
  labels: string;
  count: number;
  /** Hex SHA-256 of the images file, then of the labels file. */
  sha256: { images: string; labels: string };
}

interface SplitInfo {
  count: number;
  shards: ShardInfo[];
}

export interface DatasetManifest {
  format: 'latent-lab-images';
  version: number;
  dataset: string;
  source: string;
  width: number;
  height: number;
  channels: number;
  classes: string[];
  /** False when the images carry no labels: one class, and figures leave them uncoloured. */
  labelled?: false;
  splits: Record<'train' | 'test', SplitInfo>;
  /** How the source was cleaned and split, with the counts of each step. */
  preparation?: Record<string, unknown>;
  /** A file beside the manifest with each image's name: { train: string[], test: string[] }. */
  names?: string;
}

/**
 * A set of images as levels in [0, 255], row-major with the channels last (28 × 28 grey unless
 * `shape` says otherwise), with labels.
 */
export interface ImageSet {
  count: number;
  images: Uint8Array;
  labels: Uint8Array;
  /** Absent for 28 × 28 grey images. */
  shape?: ImageShape;
}

/** The shape of a set's images. */
export function setShape(set: Pick<ImageSet, 'shape'>): ImageShape {
  return set.shape ?? GREY_28;
}

/** The shape a manifest gives its images. */
export function manifestShape(manifest: Pick<DatasetManifest, 'width' | 'height' | 'channels'>): ImageShape {
  return { height: manifest.height, width: manifest.width, channels: manifest.channels };
}

/** `shape` as an ImageSet carries it: nothing for 28 × 28 grey. */
export function shapeField(shape: ImageShape): { shape?: ImageShape } {
  return sameShape(shape, GREY_28) ? {} : { shape };
}

export class DataError extends Error {
  override name = 'DataError';
}

export const MANIFEST_VERSION = 1;

export async function loadManifest(read: ReadBytes, base: string): Promise<DatasetManifest> {
  let bytes: Uint8Array;
  try {
    bytes = await read(`${base}/manifest.json`);
  } catch (err) {
    throw new DataError(
      `The dataset at ${base} has not been generated (${err instanceof Error ? err.message : String(err)}). Run \`npm run data\` to create it.`,
    );
  }
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes)) as DatasetManifest;
  } catch {
    throw new DataError(`${base}/manifest.json is not valid JSON. Run \`npm run data\` to regenerate it.`);
  }
  if (manifest.format !== 'latent-lab-images' || manifest.version !== MANIFEST_VERSION) {
    throw new DataError(`${base}/manifest.json has an unknown format. Run \`npm run data\` to regenerate it.`);
  }
  const problem = imageShapeProblem(manifestShape(manifest));
  if (problem) throw new DataError(`${base} holds images the models cannot take: ${problem}. Run \`npm run data\` to regenerate it.`);
  return manifest;
}

/** Loads one shard and checks its size against the manifest. */
async function loadShard(read: ReadBytes, base: string, shard: ShardInfo, shape: ImageShape): Promise<ImageSet> {
  const per = imageValues(shape);
  const [images, labels] = await Promise.all([read(`${base}/${shard.images}`), read(`${base}/${shard.labels}`)]);
  if (images.length !== shard.count * per || labels.length !== shard.count) {
    throw new DataError(
      `Shard ${shard.images} has ${images.length} bytes of images and ${labels.length} labels; expected ${shard.count * per} and ${shard.count}. Run \`npm run data\`.`,
    );
  }
  return { count: shard.count, images, labels, ...shapeField(shape) };
}

/**
 * Loads a whole split, shard by shard; `onShard` sees each shard as it arrives so a caller
 * can start before the rest is there.
 */
export async function loadSplit(
  read: ReadBytes,
  base: string,
  split: 'train' | 'test',
  options: { limit?: number; onShard?: (loaded: ImageSet, index: number) => void } = {},
): Promise<ImageSet> {
  const manifest = await loadManifest(read, base);
  const info = manifest.splits[split];
  const limit = Math.min(options.limit ?? info.count, info.count);
  const shape = manifestShape(manifest);
  const per = imageValues(shape);
  const images = new Uint8Array(limit * per);
  const labels = new Uint8Array(limit);
  let filled = 0;
  for (const [index, shardInfo] of info.shards.entries()) {
    if (filled >= limit) break;
    const shard = await loadShard(read, base, shardInfo, shape);
    const take = Math.min(shard.count, limit - filled);
    images.set(shard.images.subarray(0, take * per), filled * per);
    labels.set(shard.labels.subarray(0, take), filled);
    filled += take;
    options.onShard?.({ count: filled, images: images.subarray(0, filled * per), labels: labels.subarray(0, filled), ...shapeField(shape) }, index);
  }
  return { count: filled, images, labels, ...shapeField(shape) };
}

/** The given images as float levels in [0, 1]. */
export function toFloat(set: ImageSet, indices: ArrayLike<number>): Float32Array {
  const per = imageValues(setShape(set));
  const out = new Float32Array(indices.length * per);
  for (let k = 0; k < indices.length; k++) {
    const offset = indices[k]! * per;
    for (let p = 0; p < per; p++) out[k * per + p] = set.images[offset + p]! / 255;
  }
  return out;
}

/** The seed of the one fixed binarization of a test set that binarized models are evaluated on. */
export const BINARIZE_SEED = 20_160_301;

/**
 * The set with every pixel drawn black or white once: white (255) with its grey level as
 * probability, from the seeded generator of random.ts, image by image and pixel by pixel.
 */
export function binarizeSet(set: ImageSet, seed = BINARIZE_SEED): ImageSet {
  return { ...set, images: bernoulliGrey(set.images, seed) };
}

/** The contiguous range [start, end) of a set, sharing its memory. */
export function sliceSet(set: ImageSet, start: number, end: number): ImageSet {
  const per = imageValues(setShape(set));
  return { ...set, count: end - start, images: set.images.subarray(start * per, end * per), labels: set.labels.subarray(start, end) };
}

/** Reads bytes [start, end) of a file: a range request in the page, a file slice in Node. */
export type ReadRange = (path: string, start: number, end: number) => Promise<Uint8Array>;

/**
 * One image of a split (levels in [0, 255]) and its label, reading only its bytes (784 for a
 * 28 × 28 grey image) and one label byte, so a figure that shows a single test digit need not fetch a whole shard.
 */
export async function loadImage(
  read: ReadRange,
  base: string,
  manifest: DatasetManifest,
  split: 'train' | 'test',
  index: number,
): Promise<{ image: Uint8Array; label: number }> {
  const info = manifest.splits[split];
  if (!(Number.isInteger(index) && index >= 0 && index < info.count)) {
    throw new DataError(`The ${split} set has images 0 to ${info.count - 1}; there is no image ${index}.`);
  }
  const per = imageValues(manifestShape(manifest));
  let k = index;
  for (const shard of info.shards) {
    if (k >= shard.count) {
      k -= shard.count;
      continue;
    }
    const [image, label] = await Promise.all([
      read(`${base}/${shard.images}`, k * per, (k + 1) * per),
      read(`${base}/${shard.labels}`, k, k + 1),
    ]);
    if (image.length !== per || label.length !== 1) {
      throw new DataError(`Reading image ${index} of ${shard.images} gave ${image.length} bytes and ${label.length} labels; expected ${per} and 1.`);
    }
    return { image, label: label[0]! };
  }
  throw new DataError(`The shards of the ${split} set hold fewer than the ${info.count} images its manifest promises. Run \`npm run data\`.`);
}

/**
 * The first `count` images of a split and their labels, reading only their bytes (a range of
 * each shard it needs), not whole shards.
 */
export async function loadFirst(read: ReadRange, base: string, manifest: DatasetManifest, split: 'train' | 'test', count: number): Promise<ImageSet> {
  const info = manifest.splits[split];
  const n = Math.min(count, info.count);
  const shape = manifestShape(manifest);
  const per = imageValues(shape);
  const images = new Uint8Array(n * per);
  const labels = new Uint8Array(n);
  let filled = 0;
  for (const shard of info.shards) {
    if (filled >= n) break;
    const take = Math.min(shard.count, n - filled);
    const [im, lb] = await Promise.all([read(`${base}/${shard.images}`, 0, take * per), read(`${base}/${shard.labels}`, 0, take)]);
    if (im.length !== take * per || lb.length !== take) {
      throw new DataError(`Reading the first ${take} images of ${shard.images} gave ${im.length} bytes and ${lb.length} labels; expected ${take * per} and ${take}. Run \`npm run data\`.`);
    }
    images.set(im, filled * per);
    labels.set(lb, filled);
    filled += take;
  }
  return { count: n, images, labels, ...shapeField(shape) };
}
