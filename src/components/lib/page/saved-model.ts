/**
 * The reader's own model, kept in this browser (IndexedDB) across reloads and pages: one
 * record, the model bundle's bytes (src/vae/bundle.ts), replaced by each save.
 */
const DB = 'latent-lab';
const STORE = 'models';
const KEY = 'yours';

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

/** Runs one request in a transaction and resolves with its result once the transaction is done. */
async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? request.error ?? new Error('IndexedDB failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB aborted the write (is the disk full?)'));
    });
  } finally {
    db.close();
  }
}

export async function saveModel(bundle: Uint8Array): Promise<void> {
  await run('readwrite', (s) => s.put(bundle, KEY));
}

/** The saved bundle's bytes, or undefined when there is none. */
export async function savedModel(): Promise<Uint8Array | undefined> {
  const value = await run('readonly', (s) => s.get(KEY) as IDBRequest<unknown>);
  return value instanceof Uint8Array ? value : undefined;
}

export async function forgetModel(): Promise<void> {
  await run('readwrite', (s) => s.delete(KEY));
}
