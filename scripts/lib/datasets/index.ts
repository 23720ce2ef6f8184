/**
 * The datasets `npm run data` prepares, each into public/data/<id>/. A new dataset is one more
 * entry here: a DatasetSource of its own (see types.ts), or a folder of 28×28 PNGs with a
 * labels.csv through folderDataset (folder.ts). A folder or zip not listed here is prepared with
 * `npm run data -- --folder PATH --id ID` (openFolder in unpack.ts). The engine needs no change;
 * train a model on it with `npm run train -- --model mnist-conv-z2 --dataset <id>`.
 */
import { emojiDataset } from './emoji.ts';
import { fashion } from './fashion.ts';
import { mnist } from './mnist.ts';
import type { DatasetSource } from './types.ts';

// The emoji twice: labelled by category, and by artwork set for the conditional emoji model.
export const DATASETS: DatasetSource[] = [mnist, fashion, emojiDataset('category'), emojiDataset('artwork')];

/** The source with this id, or an error that lists the known ones. */
export function findDataset(id: string, list: DatasetSource[] = DATASETS): DatasetSource {
  const found = list.find((d) => d.id === id);
  if (!found) throw new Error(`Unknown dataset "${id}". Known: ${list.map((d) => d.id).join(', ')}`);
  return found;
}
