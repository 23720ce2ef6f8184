/** Stores shared by the figures of a page. */
import type { ModelFiles } from '../../../vae/io.ts';
import type { ModelSpec } from '../../../vae/spec.ts';
import type { StoredDataset } from './own-store.ts';
import { store } from './store.ts';

/** The model the reader trained in this page, as files, once they hand it to the other figures. */
export interface TrainedModel {
  spec: ModelSpec;
  files: ModelFiles;
  /** Training steps it had when handed over, to tell versions apart. */
  step: number;
}

export const trainedModel = store<TrainedModel | undefined>(undefined);

/** The reader's own dataset, once the "your own data" figure has prepared it or read it back. */
export const ownDataset = store<StoredDataset | undefined>(undefined);
