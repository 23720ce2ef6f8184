/**
 * Writes a loaded dataset as the site serves it: public/data/<id>/manifest.json plus shards of
 * raw uint8 images and labels (the format src/vae/data.ts reads), and tells whether a folder
 * already holds a given source.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_VERSION, type DatasetManifest, type ShardInfo } from '../../../src/vae/data.ts';
import { GREY_28, imageShapeProblem, imageValues, isDatasetId } from '../../../src/vae/spec.ts';
import { writeFiles } from '../files.ts';
import type { RawDataset } from './types.ts';

/** Images per shard file. */
const SHARD_SIZE = 10_000;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether `outDir` holds a complete dataset prepared from exactly `source`. */
export async function isUpToDate(outDir: string, source: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as DatasetManifest;
    if (manifest.version !== MANIFEST_VERSION || manifest.source !== source) return false;
    return Object.values(manifest.splits).every((s) => s.shards.every((sh) => existsSync(join(outDir, sh.images)) && existsSync(join(outDir, sh.labels))));
  } catch {
    return false;
  }
}

/**
 * Replaces `outDir` with the shards and manifest of `raw`, checking sizes and labels first.
 * Returns the manifest it wrote.
 */
export async function writeDataset(raw: RawDataset, id: string, outDir: string): Promise<DatasetManifest> {
  if (!isDatasetId(id)) throw new Error(`"${id}" is not a usable dataset id: use lower-case letters, digits and hyphens.`);
  const shape = raw.shape ?? GREY_28;
  const problem = imageShapeProblem(shape);
  if (problem) throw new Error(`${id}: the models cannot take its images: ${problem}`);
  const per = imageValues(shape);
  const splits = {} as DatasetManifest['splits'];
  const files: Record<string, Uint8Array | string> = {};
  for (const split of ['train', 'test'] as const) {
    const { images, labels } = raw[split];
    const count = labels.length;
    if (images.length !== count * per) throw new Error(`${id} ${split}: ${images.length} image bytes for ${count} labels (${per} per image)`);
    if (count === 0) throw new Error(`${id} ${split}: the split is empty`);
    const bad = labels.findIndex((y) => y >= raw.classes.length);
    if (bad >= 0) throw new Error(`${id} ${split}: image ${bad} has label ${labels[bad]}, but there are only ${raw.classes.length} classes`);
    const shards: ShardInfo[] = [];
    for (let start = 0, k = 0; start < count; start += SHARD_SIZE, k++) {
      const n = Math.min(SHARD_SIZE, count - start);
      const img = images.subarray(start * per, (start + n) * per);
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
    width: shape.width,
    height: shape.height,
    channels: shape.channels,
    classes: raw.classes,
    ...(raw.labelled === false ? { labelled: false as const } : {}),
    splits,
    ...(raw.preparation ? { preparation: raw.preparation } : {}),
  };
  if (raw.names) {
    for (const split of ['train', 'test'] as const) {
      if (raw.names[split].length !== raw[split].labels.length) throw new Error(`${id} ${split}: ${raw.names[split].length} names for ${raw[split].labels.length} images`);
    }
    files['names.json'] = JSON.stringify(raw.names) + '\n';
    manifest.names = 'names.json';
  }
  files['manifest.json'] = JSON.stringify(manifest, null, 2) + '\n';
  await rm(outDir, { recursive: true, force: true });
  await writeFiles(outDir, files);
  return manifest;
}
