/**
 * Starting TF.js in a browser context (page or worker): the wasm binaries come from this site,
 * and site-relative paths are fetched under the configured base path.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, tf, type BackendReport } from '../../vae/backend.ts';
import type { ReadBytes } from '../../vae/data.ts';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

/** Reads a site-relative path over HTTP; a failed response is an error that names it. */
export const fetchBytes: ReadBytes = async (path) => {
  const url = `${base}/${path}`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
};

let backend: Promise<BackendReport> | undefined;

declare global {
  interface Window {
    /** Test-only: how many TF.js kernels this page's main thread has run. Needs `?testhooks`. */
    latentLabMainThreadKernels?: () => number;
  }
}

/** With `?testhooks` in the URL, count the kernels run on the page's main thread. */
function installTestHooks(): void {
  if (typeof window === 'undefined' || !new URLSearchParams(location.search).has('testhooks')) return;
  const engine = tf.engine();
  const runKernel = engine.runKernel.bind(engine);
  let count = 0;
  engine.runKernel = ((...args: Parameters<typeof runKernel>) => {
    count++;
    return runKernel(...args);
  }) as typeof engine.runKernel;
  window.latentLabMainThreadKernels = () => count;
}

export function startBackend(): Promise<BackendReport> {
  backend ??= (() => {
    installTestHooks();
    // TF.js 4.22's threaded wasm build cannot start once bundled: each pthread worker rebuilds
    // the module from the factory's source text, which refers to a bundler-renamed variable
    // outside it. Until that is solved, run the SIMD build on one thread.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': new URL(wasmPlain, location.href).href,
      'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, location.href).href,
      'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, location.href).href,
    });
    return initBackend({ prefer: ['wasm', 'webgl', 'cpu'] });
  })();
  return backend;
}
