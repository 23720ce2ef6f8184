/**
 * What the training panel asks its worker: to train a new model, or to open a saved one.
 */
import type { ModelBundle } from '../../../vae/bundle.ts';
import type { LoadRequest, StartRequest, TrainFrom } from '../../../vae/protocol.ts';
import { createRng } from '../../../vae/random.ts';
import type { ModelSpec } from '../../../vae/spec.ts';
import type { TrainOptions } from '../../../vae/train.ts';
import { backendPlan } from '../engine/backend-choice.ts';

/** The panel's data-* numbers that shape every request. */
export interface PanelSizes {
  trainImages: number;
  testImages: number;
  testLossImages: number;
}

/**
 * How training uses the CPU's cores: workers that share each batch, one per core (at most 4),
 * and, in a cross-origin isolated page (where threads can share memory), the cores left over as
 * wasm threads inside each worker. `?workers=N` in the URL sets the workers; with fewer workers
 * than cores each gets cores/N threads. One worker per core is the default because it measured
 * faster in the panel: on 2 cores, 2 single-threaded workers trained the seed model at batch
 * 128 at about 420 images/s, 1 worker on 2 threads at about 360, as the page's own drawing
 * slows whichever thread shares its core and a threaded kernel waits for its slowest thread.
 */
export function trainingLayout(): { replicas: number; threads: number } {
  const cores = navigator.hardwareConcurrency || 1;
  const asked = Number(new URLSearchParams(location.search).get('workers'));
  const total = Number.isInteger(asked) && asked >= 1 && asked <= 8 ? asked : Math.min(4, cores);
  const threads = globalThis.crossOriginIsolated === true ? Math.max(1, Math.min(4, Math.floor(cores / total))) : 1;
  return { replicas: total - 1, threads };
}

/** Box–Muller normals from the seeded generator: the fixed prior codes of the sample grid. */
function priorCodes(n: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return out;
}

/** Trains `spec` from fresh weights, or on from `from`. */
export function startRequest(spec: ModelSpec, options: TrainOptions, sizes: PanelSizes, from?: TrainFrom): StartRequest {
  return {
    type: 'start',
    spec,
    options,
    from,
    dataBase: `data/${spec.dataset}`,
    trainImages: sizes.trainImages,
    testImages: sizes.testImages,
    testLossImages: sizes.testLossImages,
    snapshotEvery: 10,
    backend: backendPlan('train'),
    sampleCodes: priorCodes(36, spec.latentDim, 7),
    ...trainingLayout(),
  };
}

export function loadRequest({ spec, meta, files }: ModelBundle, sizes: PanelSizes): LoadRequest {
  return {
    type: 'load',
    spec,
    files,
    steps: meta.steps,
    dataBase: `data/${spec.dataset}`,
    testImages: sizes.testImages,
    testLossImages: sizes.testLossImages,
    backend: backendPlan('train'),
    sampleCodes: priorCodes(36, spec.latentDim, 7),
    threads: trainingLayout().threads,
  };
}
