/**
 * What the training panel asks its worker: to train a new model, or to open a saved one.
 */
import type { ModelBundle } from '../../vae/bundle.ts';
import type { LoadRequest, StartRequest, TrainFrom } from '../../vae/protocol.ts';
import { createRng } from '../../vae/random.ts';
import type { ModelSpec } from '../../vae/spec.ts';
import type { TrainOptions } from '../../vae/train.ts';
import { backendPlan } from './backend-choice.ts';

/** The panel's data-* numbers that shape every request. */
export interface PanelSizes {
  trainImages: number;
  testImages: number;
  testLossImages: number;
}

/**
 * Extra workers to share each batch: one per spare CPU core, at most 3. `?workers=N` in the
 * URL sets the total (1 trains on a single worker).
 */
function spareCores(): number {
  const asked = Number(new URLSearchParams(location.search).get('workers'));
  const total = Number.isInteger(asked) && asked >= 1 && asked <= 8 ? asked : Math.min(4, navigator.hardwareConcurrency || 1);
  return total - 1;
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
    replicas: spareCores(),
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
  };
}
