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
 * What a short measurement found the device to do at once (parallel-gain.ts): the iterations per
 * millisecond of a plain loop on one core (`alone`), and in `workers` workers at once, added up.
 */
export interface ParallelGain {
  workers: number;
  alone: number;
  together: number;
}

/** How many workers' worth of work the device does at once: together / alone, from 1 to `workers`. */
export function parallelSpeedup(gain: ParallelGain): number {
  if (!(gain.alone > 0) || !(gain.together > 0)) return 1;
  return Math.max(1, Math.min(gain.workers, gain.together / gain.alone));
}

/**
 * A core counts when it adds at least half of one: k workers need a speed-up of k − 0.5. Data-
 * parallel training splits each batch by the workers' measured speeds, so a slower worker still
 * helps; and the measurement errs low (parallel-gain.ts), the page's own work included, so a
 * device with 2 free cores can measure 1.7. On 2 cores that report 4 it cannot reach 2.5.
 */
const CORE_SLACK = 0.5;

/**
 * The cores training can count on: those the device reports, unless the measurement shows fewer.
 * When every measured worker ran at full speed the report stands (the measurement runs at most
 * 4, so a larger machine keeps its count); otherwise it is the speed-up, in whole cores.
 */
export function usableCores(reported: number, gain?: ParallelGain): number {
  const cores = Math.max(1, Math.floor(reported) || 1);
  if (!gain) return cores;
  const speedup = parallelSpeedup(gain);
  if (speedup >= gain.workers - CORE_SLACK) return cores;
  return Math.max(1, Math.min(cores, Math.floor(speedup + CORE_SLACK)));
}

/** `?workers=N` in the URL (1 to 8), or undefined. */
export function askedWorkers(search: string): number | undefined {
  const asked = Number(new URLSearchParams(search).get('workers'));
  return Number.isInteger(asked) && asked >= 1 && asked <= 8 ? asked : undefined;
}

/**
 * How training uses the CPU's cores: workers that share each batch, one per usable core (at most
 * 4), and, in a cross-origin isolated page (where threads can share memory), the cores left over
 * as wasm threads inside each worker. The usable cores are those the device reports, unless a
 * measurement of what it gains from parallel work (`gain`) shows fewer: WebKitGTK reports 4 on
 * a 2-core machine, where 4 workers train at half the speed of 2. `?workers=N` in the URL sets
 * the workers; with fewer workers than cores each gets cores/N threads. One worker per core is
 * the default because it measured faster in the panel: on 2 cores, 2 single-threaded workers
 * trained the seed model at batch 128 at about 420 images/s, 1 worker on 2 threads at about 360,
 * as the page's own drawing slows whichever thread shares its core and a threaded kernel waits
 * for its slowest thread.
 */
export function trainingLayout(gain?: ParallelGain): { replicas: number; threads: number } {
  const cores = usableCores(navigator.hardwareConcurrency || 1, gain);
  const total = askedWorkers(location.search) ?? Math.min(4, cores);
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

/** The images of a dataset that lives only in the page (a reader's own), sent with a request. */
type GivenImages = StartRequest['images'];

/**
 * Trains `spec` from fresh weights, or on from `from`, with the workers and threads of `layout`,
 * on the site's data or on `images`.
 */
export function startRequest(spec: ModelSpec, options: TrainOptions, sizes: PanelSizes, layout: { replicas: number; threads: number }, from?: TrainFrom, images?: GivenImages): StartRequest {
  return {
    type: 'start',
    spec,
    options,
    from,
    images,
    dataBase: `data/${spec.dataset}`,
    trainImages: sizes.trainImages,
    testImages: sizes.testImages,
    testLossImages: sizes.testLossImages,
    snapshotEvery: 10,
    backend: backendPlan('train'),
    sampleCodes: priorCodes(36, spec.latentDim, 7),
    ...layout,
  };
}

/** Opens a saved model in a worker with `threads` wasm threads (its test codes from `images` if given). */
export function loadRequest({ spec, meta, files }: ModelBundle, sizes: PanelSizes, threads: number, images?: GivenImages): LoadRequest {
  return {
    type: 'load',
    images,
    spec,
    files,
    steps: meta.steps,
    dataBase: `data/${spec.dataset}`,
    testImages: sizes.testImages,
    testLossImages: sizes.testLossImages,
    backend: backendPlan('train'),
    sampleCodes: priorCodes(36, spec.latentDim, 7),
    threads,
  };
}
