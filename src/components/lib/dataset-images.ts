/**
 * Single images of a dataset split, fetched from its shards by HTTP range request: 784 bytes for
 * a digit, where the whole test shard is 7.8 MB. A server that ignores the Range header answers
 * with the whole shard; it is kept, and later images of that shard come from memory.
 */
import { loadManifest, type DatasetManifest, type ReadBytes } from '../../vae/data.ts';
import { PIXELS } from '../../vae/spec.ts';

const manifests = new Map<string, Promise<DatasetManifest>>();
const wholeShards = new Map<string, Uint8Array>();

const readWhole: ReadBytes = async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
};

/** `dataBase` is the dataset's folder on the site, e.g. "/data/mnist". */
function manifestOf(dataBase: string): Promise<DatasetManifest> {
  let manifest = manifests.get(dataBase);
  if (!manifest) {
    manifest = loadManifest(readWhole, dataBase);
    manifest.catch(() => manifests.delete(dataBase));
    manifests.set(dataBase, manifest);
  }
  return manifest;
}

/** Image `index` of the split as grey levels in [0, 1], 784 values, row-major. */
export async function datasetImage(dataBase: string, split: 'train' | 'test', index: number): Promise<Float32Array> {
  const { splits } = await manifestOf(dataBase);
  const info = splits[split];
  if (!(Number.isInteger(index) && index >= 0 && index < info.count)) throw new Error(`There is no ${split} image ${index}; the split has ${info.count}.`);
  let first = 0;
  for (const shard of info.shards) {
    if (index < first + shard.count) return toGrey(await shardBytes(`${dataBase}/${shard.images}`, (index - first) * PIXELS));
    first += shard.count;
  }
  throw new Error(`The manifest of ${dataBase} counts ${info.count} ${split} images but its shards hold ${first}.`);
}

async function shardBytes(url: string, offset: number): Promise<Uint8Array> {
  const kept = wholeShards.get(url);
  if (kept) return kept.subarray(offset, offset + PIXELS);
  const response = await fetch(url, { headers: { Range: `bytes=${offset}-${offset + PIXELS - 1}` } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status === 206 && bytes.length === PIXELS) return bytes;
  // 200: the server sent the whole file.
  if (bytes.length < offset + PIXELS) throw new Error(`${url} has ${bytes.length} bytes, too few for an image at byte ${offset}.`);
  wholeShards.set(url, bytes);
  return bytes.subarray(offset, offset + PIXELS);
}

function toGrey(bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (v) => v / 255);
}
