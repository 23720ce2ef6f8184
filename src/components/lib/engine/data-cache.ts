/**
 * The images a training run needs, fetched once and kept in this browser (the Cache API), so
 * a second run, or a reload, does not download them again. Each entry holds the first `count`
 * images of a split, then their labels, under a made-up URL that names them; it is never
 * fetched from the network. Works in a page and in a worker; without the Cache API (an
 * insecure origin, private modes) it downloads every time.
 */
import { loadFirst, loadManifest, type ImageSet } from '../../../vae/data.ts';
import { PIXELS } from '../../../vae/spec.ts';
import { fetchRange, fetchWhole } from './fetch-range.ts';

const CACHE = 'latent-lab-data-v1';
const base = import.meta.env.BASE_URL.replace(/\/$/, '');

/** Bytes a subset takes: its images and one label byte each. */
export const subsetBytes = (count: number) => count * (PIXELS + 1);

function key(dataBase: string, split: 'train' | 'test', count: number): string {
  return new URL(`${base}/${dataBase}/cached-${split}-first-${count}.u8`, location.origin).href;
}

async function openCache(): Promise<Cache | undefined> {
  try {
    return typeof caches === 'undefined' ? undefined : await caches.open(CACHE);
  } catch {
    return undefined;
  }
}

/** Whether the first `count` images of a split are already kept in this browser. */
export async function hasSubset(dataBase: string, split: 'train' | 'test', count: number): Promise<boolean> {
  const cache = await openCache();
  return (await cache?.match(key(dataBase, split, count))) !== undefined;
}

async function fromCache(cache: Cache | undefined, url: string, count: number): Promise<ImageSet | undefined> {
  const response = await cache?.match(url);
  if (!response) return undefined;
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Fewer than `count` when the split is smaller; a damaged entry is dropped and fetched again.
  const n = bytes.length / subsetBytes(1);
  if (!Number.isInteger(n) || n === 0 || n > count) {
    await cache?.delete(url);
    return undefined;
  }
  return { count: n, images: bytes.subarray(0, n * PIXELS), labels: bytes.subarray(n * PIXELS) };
}

/**
 * The first `count` images of a split: from this browser's cache if it has them, otherwise
 * downloaded (only their bytes) and kept. `onlyCached` gives undefined instead of downloading.
 */
export async function loadSubset(dataBase: string, split: 'train' | 'test', count: number, onlyCached = false): Promise<{ set: ImageSet; fromCache: boolean } | undefined> {
  const cache = await openCache();
  const url = key(dataBase, split, count);
  const cached = await fromCache(cache, url, count);
  if (cached) return { set: cached, fromCache: true };
  if (onlyCached) return undefined;
  const manifest = await loadManifest(fetchWhole, dataBase);
  const set = await loadFirst(fetchRange, dataBase, manifest, split, count);
  const bytes = new Uint8Array(subsetBytes(set.count));
  bytes.set(set.images);
  bytes.set(set.labels, set.count * PIXELS);
  try {
    await cache?.put(url, new Response(bytes, { headers: { 'Content-Type': 'application/octet-stream' } }));
  } catch {
    // Out of quota or not allowed: the run goes on; the next one downloads again.
  }
  return { set, fromCache: false };
}
