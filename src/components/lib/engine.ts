/**
 * The engine as figures use it in the page: one backend start and one copy of each pretrained
 * model, shared by every figure. Imported lazily, so TF.js only loads when a figure needs it.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, tf, type BackendReport } from '../../vae/backend.ts';
import type { ReadBytes } from '../../vae/data.ts';
import { loadVae } from '../../vae/io.ts';
import type { Vae } from '../../vae/model.ts';
import { getSpec } from '../../vae/spec.ts';

export * from '../../vae/infer.ts';
export * from '../../vae/manifold.ts';
export type { Vae };

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

/** Reads a site-relative path over HTTP; a failed response is an error that names it. */
export const fetchBytes: ReadBytes = async (path) => {
  const url = `${base}/${path}`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
};

let backend: Promise<BackendReport> | undefined;

export function startBackend(): Promise<BackendReport> {
  backend ??= (() => {
    // TF.js 4.22's threaded wasm build starts its pthread workers from a script URL
    // (`_scriptDir`) that does not exist once the module is bundled, so it never starts.
    // Until the engine ships its own threaded build, use SIMD on one thread.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    });
    return initBackend({ prefer: ['wasm', 'webgl', 'cpu'] });
  })();
  return backend;
}

const models = new Map<string, Promise<Vae>>();

/** The pretrained model `id` from public/weights/<id>/, loaded once per page. */
export function pretrained(id: string): Promise<Vae> {
  let model = models.get(id);
  if (!model) {
    model = startBackend().then(() => loadVae(getSpec(id), fetchBytes, `weights/${id}`));
    // A failed load is not cached, so a later attempt can try again.
    model.catch(() => models.delete(id));
    models.set(id, model);
  }
  return model;
}
