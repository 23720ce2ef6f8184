/**
 * Single images of a dataset split for figures: the manifest is read once per dataset, and each
 * image by a range request for its bytes (784 for a 28 × 28 grey image, 3,072 for 32 × 32 × 3;
 * see fetch-range.ts for hosts that ignore ranges).
 */
import { loadImage, loadManifest, type DatasetManifest } from '../../../vae/data.ts';
import { fetchRange, fetchWhole } from './fetch-range.ts';

const manifests = new Map<string, Promise<DatasetManifest>>();

/** `dataBase` is the dataset's site-relative folder, e.g. "data/mnist". */
export function datasetManifest(dataBase: string): Promise<DatasetManifest> {
  let manifest = manifests.get(dataBase);
  if (!manifest) {
    manifest = loadManifest(fetchWhole, dataBase);
    manifest.catch(() => manifests.delete(dataBase));
    manifests.set(dataBase, manifest);
  }
  return manifest;
}

/** Image `index` of the split as stored: levels 0…255, row-major, channels last, with its label. */
export async function datasetGrey(dataBase: string, split: 'train' | 'test', index: number): Promise<{ grey: Uint8Array; label: number }> {
  const { image, label } = await loadImage(fetchRange, dataBase, await datasetManifest(dataBase), split, index);
  return { grey: image, label };
}

/** Image `index` of the split as levels in [0, 1], row-major, channels last, with its label. */
export async function datasetImage(dataBase: string, split: 'train' | 'test', index: number): Promise<{ image: Float32Array; label: number }> {
  const { grey, label } = await datasetGrey(dataBase, split, index);
  return { image: Float32Array.from(grey, (v) => v / 255), label };
}
