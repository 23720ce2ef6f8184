/**
 * Starting TF.js in a browser context (page or worker): the wasm binaries come from this site,
 * site-relative paths are fetched under the configured base path, and the backend is the
 * reader's choice, the one measured fastest on this device before, or measured now.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, tf, type BackendName, type BackendReport } from '../../../vae/backend.ts';
import { pageTestHooks } from '../../../vae/tf-internals.ts';
import { probeBackends, type ProbeResult, type Task } from '../../../vae/probe.ts';

import { BACKENDS, type BackendPlan } from './backend-choice.ts';

export { BACKENDS, type BackendChoice, type BackendPlan } from './backend-choice.ts';

export interface BackendStart {
  report: BackendReport;
  /** 'only': one candidate was left (WebGL unfit), so nothing was timed. */
  how: 'your choice' | 'remembered' | 'measured' | 'only';
  probe?: ProbeResult[];
}


export { fetchBytes } from './downloads.ts';

declare global {
  interface Window {
    /** Test-only: how many TF.js kernels this page's main thread has run. Needs `?testhooks`. */
    latentLabMainThreadKernels?: () => number;
    /** Test-only: the tensors alive on the page's main thread. Needs `?testhooks`. */
    latentLabTensors?: () => number;
    /** Test-only: loses the page's WebGL context as a GPU reset would. Needs `?testhooks`. */
    latentLabLoseWebgl?: () => boolean;
  }
}

/** With `?testhooks` in the URL, the test-only hooks of the page's main thread (src/vae/tf-internals.ts). */
function installTestHooks(): void {
  if (typeof window === 'undefined' || !new URLSearchParams(location.search).has('testhooks')) return;
  Object.assign(window, pageTestHooks());
}

/** A worker's wasm threads, as its page asked (see trainingLayout in train-requests.ts). */
let threadsInWorker = 1;

/** Sets this worker's wasm threads; call it before the backend starts. */
export function useThreadsInWorker(threads: number): void {
  threadsInWorker = Number.isInteger(threads) && threads >= 1 ? threads : 1;
}

/**
 * How many threads the wasm backend runs kernels on in this context. Threads share memory
 * (SharedArrayBuffer), which the browser allows only in a cross-origin isolated page (and its
 * workers): sent by the host's COOP/COEP headers, or by the service worker of `public/coi-sw.js`
 * where the host sends none. The page's figures get up to 4 threads, or `?threads=N` (1 to 8, at
 * most the logical cores); 1 means the single-threaded SIMD build. A training worker and its
 * replicas get what the page asked for them (`useThreadsInWorker`), at most the cores. The
 * threaded build's glue is rewritten at build time so that its threads can start
 * (`tfjsWasmThreads` in astro.config.mjs).
 */
function wasmThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  const cores = navigator.hardwareConcurrency || 1;
  if (typeof window === 'undefined') return Math.max(1, Math.min(threadsInWorker, cores, 8));
  const asked = Number(new URLSearchParams(location.search).get('threads'));
  const wanted = Number.isInteger(asked) && asked >= 1 && asked <= 8 ? asked : 4;
  return Math.max(1, Math.min(wanted, cores));
}

let configured = false;

function configure(): void {
  if (configured) return;
  configured = true;
  installTestHooks();
  const threads = wasmThreads();
  if (threads > 1) setThreadsCount(threads);
  else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': new URL(wasmPlain, location.href).href,
    'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, location.href).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, location.href).href,
  });
}

/** Every backend, the preferred ones first: what initBackend falls back through. */
function preferring(first: BackendName): BackendName[] {
  return [first, ...BACKENDS.filter((b) => b !== first)];
}

/**
 * Why WebGL is not worth probing here, or undefined if it is: a software renderer (SwiftShader,
 * llvmpipe) runs TF.js's shaders far slower than wasm, after seconds of shader compilation.
 */
function webglUnfit(): string | undefined {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    const gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return 'not available';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    return /swiftshader|llvmpipe|software/i.test(renderer) ? `software rendering (${renderer.split(' (')[0]})` : undefined;
  } catch {
    return 'not available';
  }
}

let started: { key: string; promise: Promise<BackendStart> } | undefined;

export function startBackend(task: Task, plan: BackendPlan): Promise<BackendStart> {
  const key = `${task}:${plan.choice}:${plan.remembered ?? ''}`;
  if (started?.key === key) return started.promise;
  configure();
  const promise = (async (): Promise<BackendStart> => {
    if (plan.choice !== 'auto') return { report: await initBackend({ prefer: preferring(plan.choice) }), how: 'your choice' };
    if (plan.remembered) return { report: await initBackend({ prefer: preferring(plan.remembered) }), how: 'remembered' };
    // The pure-JS cpu backend decodes about twenty times slower than wasm and trains two orders
    // of magnitude slower: it is the fallback where neither starts, never a candidate, so a busy
    // moment during the probe cannot leave a figure decoding thousands of codes on it.
    const unfit = webglUnfit();
    const candidates = (['wasm', 'webgl'] as BackendName[]).filter((b) => !(b === 'webgl' && unfit));
    const skipped: ProbeResult[] = [...(unfit ? [{ backend: 'webgl' as const, error: unfit }] : []), { backend: 'cpu', error: 'not timed, the fallback where wasm and WebGL fail' }];
    // One candidate left: timing it would only delay the first decode (a model built and run eight times).
    if (candidates.length === 1) {
      try {
        return { report: await initBackend({ prefer: candidates }), how: 'only', probe: skipped };
      } catch {
        return { report: await initBackend({ prefer: BACKENDS }), how: 'measured' };
      }
    }
    try {
      const probe = await probeBackends(candidates, task);
      probe.push(...skipped);
      return { report: await initBackend({ prefer: [probe[0]!.backend] }), how: 'measured', probe };
    } catch {
      return { report: await initBackend({ prefer: BACKENDS }), how: 'measured' };
    }
  })();
  started = { key, promise };
  promise.catch(() => (started = undefined));
  return promise;
}
