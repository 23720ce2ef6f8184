/**
 * Backend set-up shared by the page, the worker and Node. Picks a TF.js backend,
 * registers the kernels our models need for training on wasm, and reports which one runs.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './kernels/register.ts';

export type BackendName = 'wasm' | 'webgl' | 'cpu';

export interface BackendOptions {
  /** Backends to try, in order; the first that initialises wins. */
  prefer?: BackendName[];
  /** Where the .wasm binaries are served (browser) or stored (Node); a URL prefix ending in '/'. */
  wasmPath?: string;
}

export interface BackendReport {
  name: BackendName;
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
        return { name, skipped };
      }
      skipped.push({ name, reason: 'failed to initialise' });
    } catch (err) {
      skipped.push({ name, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`No TF.js backend could start: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`);
}

export { tf };
