/**
 * A pretrained model's files, fetched as early as a figure knows it will need them: before
 * TF.js (over a megabyte of script) has loaded, so that the weights arrive while the backend
 * compiles its wasm and starts its threads. No TF.js here. `modelFiles(id)` starts every
 * download of public/weights/<id>/ at once (both networks' model.json, then the weights they
 * list) and hands each file to the first read that asks for it.
 */
import type { ReadBytes } from '../../../vae/data.ts';
import { fetchBytes } from './downloads.ts';

const started = new Map<string, ReadBytes>();
/** Models the page has built: their files are not fetched ahead again. */
const built = new Set<string>();

/** The reader of model `id`'s files, its downloads started on the first call (none once the model is built). */
export function modelFiles(id: string): ReadBytes {
  if (built.has(id)) return fetchBytes;
  let read = started.get(id);
  if (read) return read;
  const base = `weights/${id}`;
  const reads = new Map<string, Promise<Uint8Array>>();
  read = (path) => {
    let bytes = reads.get(path);
    if (!bytes) {
      bytes = fetchBytes(path);
      reads.set(path, bytes);
    }
    return bytes;
  };
  for (const part of ['encoder', 'decoder']) {
    read(`${base}/${part}/model.json`)
      .then((bytes) => {
        const json = JSON.parse(new TextDecoder().decode(bytes)) as { weightsManifest?: { paths?: string[] }[] };
        for (const path of json.weightsManifest?.flatMap((g) => g.paths ?? []) ?? []) read(`${base}/${part}/${path}`).catch(() => undefined);
      })
      // A file that fails here fails again, with its message, when the model is built from it.
      .catch(() => undefined);
  }
  started.set(id, read);
  return read;
}

/** Lets go of model `id`'s fetched files once the model is built, or failed (a later load then fetches afresh). */
export function doneWithModelFiles(id: string, ok: boolean): void {
  started.delete(id);
  if (ok) built.add(id);
  else built.delete(id);
}
