/**
 * The reader's own dataset, and the model trained on it, kept in this browser (IndexedDB) in a
 * slot of their own: the database `latent-lab-own`, apart from the model the MNIST panel keeps
 * (page/saved-model.ts). Nothing here crosses the network. One dataset at a time: saving a new
 * one replaces the old and forgets the model trained on it.
 */
import type { Side } from '../../../vae/dataset-split.ts';
import { setShape, type ImageSet } from '../../../vae/data.ts';
import type { Skipped } from '../../../vae/own-dataset.ts';
import { imageValues, type ImageShape } from '../../../vae/spec.ts';
import type { Store } from './store.ts';

const DB = 'latent-lab-own';
const STORE = 'slot';
const DATASET = 'dataset';
const MODEL = 'model';

/** What the slot keeps of a prepared dataset. */
export interface StoredDataset {
  /** Seconds since 1970 when it was prepared: tells one dataset from the next. */
  prepared: number;
  /** What the reader called it (the folder's or zip's name, or what they drew). */
  name: string;
  classes: string[];
  labelled: boolean;
  /** count images' levels: 784 grey each, unless `shape` says otherwise. */
  images: Uint8Array;
  /** The images' shape when not 28 × 28 grey (colour: 32 × 32 × 3). */
  shape?: ImageShape;
  labels: Uint8Array;
  sides: Side[];
  /** Whether labels.csv gave the split, or a seeded one was drawn. */
  split: 'labels.csv' | 'seeded';
  /** The preparation's choices and what it skipped, to show again after a reload. */
  fit: 'mnist' | 'resize';
  inverted: boolean;
  skipped: Skipped[];
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('this browser keeps no data for pages (no IndexedDB)'));
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('another tab holds an older version of this site’s storage open'));
  });
}

/** Runs `act` in one transaction and resolves with its last request's result once it is done. */
async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      let request: IDBRequest<T>;
      try {
        request = act(tx.objectStore(STORE));
      } catch (err) {
        tx.abort();
        return reject(quotaMessage(err as DOMException) ?? err);
      }
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(quotaMessage(tx.error ?? request.error) ?? new Error('IndexedDB failed'));
      tx.onabort = () => reject(quotaMessage(tx.error) ?? new Error('IndexedDB aborted the write'));
    });
  } finally {
    db.close();
  }
}

/** A quota error in words a reader can act on. */
function quotaMessage(err: DOMException | null | undefined): Error | undefined {
  if (err?.name === 'QuotaExceededError') return new Error('this browser’s storage for the site is full (free some, or allow more)');
  return err ?? undefined;
}

/** Keeps a dataset, replacing the one before and forgetting its model, in one transaction. */
export async function saveDataset(set: StoredDataset): Promise<void> {
  await run('readwrite', (s) => {
    s.delete(MODEL);
    return s.put(set, DATASET);
  });
}

export async function storedDataset(): Promise<StoredDataset | undefined> {
  const value = (await run('readonly', (s) => s.get(DATASET) as IDBRequest<unknown>)) as StoredDataset | undefined;
  return value && value.images instanceof Uint8Array && value.images.length === value.labels.length * imageValues(setShape(value)) ? value : undefined;
}

/** Keeps the model (a .vae bundle's bytes) trained on the kept dataset. */
export async function saveOwnModel(bundle: Uint8Array, prepared: number): Promise<void> {
  await run('readwrite', (s) => s.put({ bundle, prepared }, MODEL));
}

/** The kept model, if it was trained on the dataset prepared at `prepared`. */
export async function storedOwnModel(prepared: number): Promise<Uint8Array | undefined> {
  const value = (await run('readonly', (s) => s.get(MODEL) as IDBRequest<unknown>)) as { bundle: Uint8Array; prepared: number } | undefined;
  return value?.prepared === prepared && value.bundle instanceof Uint8Array ? value.bundle : undefined;
}

/** Forgets the model trained on the kept dataset, and keeps the dataset. */
export async function forgetOwnModel(): Promise<void> {
  await run('readwrite', (s) => s.delete(MODEL));
}

/** Forgets the dataset and its model. */
export async function forgetOwn(): Promise<void> {
  await run('readwrite', (s) => s.clear());
}

/**
 * Puts the dataset this browser keeps into `target` (the page's `ownDataset`) unless a figure
 * already did: a page without the own-data figure still finds the reader's dataset.
 */
export async function keptDatasetInto(target: Store<StoredDataset | undefined>): Promise<void> {
  if (target.get()) return;
  const kept = await storedDataset().catch(() => undefined);
  if (kept && !target.get()) target.set(kept);
}

/** One side of a kept dataset as an image set of its own (a copy), in the dataset's order, with its shape. */
export function sideOf(set: StoredDataset, which: Side): ImageSet {
  const picked: number[] = [];
  set.sides.forEach((s, i) => s === which && picked.push(i));
  const per = imageValues(setShape(set));
  const images = new Uint8Array(picked.length * per);
  picked.forEach((i, k) => images.set(set.images.subarray(i * per, (i + 1) * per), k * per));
  return { count: picked.length, images, labels: Uint8Array.from(picked, (i) => set.labels[i]!), ...(set.shape ? { shape: set.shape } : {}) };
}
