/**
 * Backend set-up shared by the page, the worker and Node. Picks a TF.js backend,
 * registers the kernels our models need for training on wasm, and reports which one runs.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './kernels/register.ts';
import { wasmHelpers } from './kernels/wasm-helpers.ts';

export type BackendName = 'wasm' | 'webgl' | 'cpu';

export interface BackendOptions {
  /** Backends to try, in order; the first that initialises wins. */
  prefer?: BackendName[];
  /** Where the .wasm binaries are served (browser) or stored (Node); a URL prefix ending in '/'. */
  wasmPath?: string;
}

export interface BackendReport {
  name: BackendName;
  /** For wasm: whether SIMD is used and how many threads run kernels. */
  simd?: boolean;
  threads?: number;
  /** For wasm: whether the kernels' inner loops run in WebAssembly or, where it cannot load, in JavaScript. */
  loops?: 'webassembly' | 'javascript';
  /** Backends that were tried and failed, with the reason. */
  skipped: { name: BackendName; reason: string }[];
}

/** Initialises the first backend of `prefer` that works and returns what happened. */
export async function initBackend(options: BackendOptions = {}): Promise<BackendReport> {
  const prefer = options.prefer ?? ['wasm', 'cpu'];
  if (options.wasmPath) setWasmPaths(options.wasmPath);
  registerWasmTrainingKernels();
  const skipped: BackendReport['skipped'] = [];
  for (const name of prefer) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        if (name !== 'wasm') return { name, skipped };
        const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
        const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
        const loops = wasmHelpers(tf.backend()) ? 'webassembly' : 'javascript';
        return { name, skipped, simd, threads: threaded && simd ? getThreadsCount() : 1, loops };
      }
      skipped.push({ name, reason: 'failed to initialise' });
    } catch (err) {
      skipped.push({ name, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`No TF.js backend could start: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`);
}

/** "wasm (SIMD, 2 threads)": what a page tells its reader about the running backend. */
export function describeBackend(report: BackendReport): string {
  if (report.name !== 'wasm') return report.name;
  const threads = report.threads ?? 1;
  return `wasm (${report.simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`;
}

export { tf };
