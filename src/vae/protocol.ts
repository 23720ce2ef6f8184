/**
 * Messages between a page and the training worker. Plain data only, so they cross
 * postMessage; large arrays are transferred, not copied.
 */
import type { BackendName } from './backend.ts';
import type { ImageSet } from './data.ts';
import type { EvalResult } from './evaluate.ts';
import type { ModelFiles } from './io.ts';
import type { ProbeResult } from './probe.ts';
import type { ModelSpec } from './spec.ts';
import type { UnitSummary } from './snapshot-shares.ts';
import type { Traversal } from './traversal.ts';
import type { StepReport, TrainerCheckpoint, TrainerState, TrainOptions } from './train.ts';

/** What the worker shows of a model, whether it trains it or only opens it. */
interface ViewRequest {
  spec: ModelSpec;
  /** Site-relative folder of the dataset, e.g. "data/mnist". */
  dataBase: string;
  /** Test images whose codes are sent with each snapshot. */
  testImages: number;
  /** The first this-many of them give the test loss of each snapshot; 0 for none. */
  testLossImages: number;
  /** The reader's backend choice ('auto' measures), and the fastest one measured before. */
  backend: { choice: 'auto' | BackendName; remembered?: BackendName | undefined };
  /** Latent codes decoded for the sample grid, fixed so the reader sees the same codes improve. */
  sampleCodes: Float32Array;
  /** wasm threads in the worker (and in each replica): above 1 only in a cross-origin isolated page. */
  threads: number;
  /**
   * The images themselves, for data that lives only in the page (a reader's own, prepared in
   * it): the worker fetches nothing and `dataBase` only names the data.
   */
  images?: { train: ImageSet; test: ImageSet } | undefined;
}

/**
 * Weights a run starts from instead of a fresh initialisation: a copy the page kept, with the
 * trainer's state to go on exactly, or an opened model, whose Adam moments start afresh.
 */
export interface TrainFrom {
  files: ModelFiles;
  /** Steps the weights have had. */
  steps: number;
  checkpoint?: TrainerCheckpoint | undefined;
}

export interface StartRequest extends ViewRequest {
  type: 'start';
  options: TrainOptions;
  from?: TrainFrom | undefined;
  /** Train on the first `trainImages` training images. */
  trainImages: number;
  /** Steps between snapshots (sample grid + test codes); the worker also leaves 2 s between them. */
  snapshotEvery: number;
  /** Extra workers that share each batch on the CPU (one per spare core); 0 trains on one. */
  replicas: number;
}

/**
 * Opens a saved model (its weights checked against its spec) to show it, with no training:
 * the test codes and loss only if the test images are already in this browser's cache.
 */
export interface LoadRequest extends ViewRequest {
  type: 'load';
  files: ModelFiles;
  /** Training steps the weights have had. */
  steps: number;
}

export type TrainRequest =
  | StartRequest
  | LoadRequest
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step' }
  | { type: 'stop' }
  | { type: 'export' }
  | { type: 'learningRate'; value: number }
  /** Answered by a pong: the page checks that a silent worker is still alive. */
  | { type: 'ping' };

export interface Snapshot {
  step: number;
  /** Decodes of `sampleCodes`, 784 probabilities each. */
  samples: Float32Array;
  /** μ of the test images, row-major [n, latentDim]; empty when the test images are not at hand. */
  codes: Float32Array;
  labels: Uint8Array;
  /** The loss on the fixed test subset (one seeded z per image), when asked for and at hand. */
  testLoss?: EvalResult | undefined;
  /** Each latent unit's mean KL and activity on the test images, when they are at hand. */
  units?: UnitSummary | undefined;
  /** For a latent above 2-D: each unit swept with the others at the mean test code (traversal.ts). */
  traversal?: Traversal | undefined;
}

export type TrainEvent =
  | { type: 'status'; text: string }
  | {
      type: 'ready';
      backend: BackendName;
      /** e.g. "wasm (SIMD, 1 thread)". */
      backendText: string;
      how: 'your choice' | 'remembered' | 'measured' | 'only';
      probe?: ProbeResult[] | undefined;
      trainImages: number;
      testImages: number;
      /** Workers sharing each batch: this one and its replicas. */
      workers: number;
      /** Replica workers that were asked for but did not start in time (or failed to): training goes on without them. */
      notStarted?: number | undefined;
      /** On wasm: where the kernels' inner loops run (BackendReport.loops). */
      loops?: 'webassembly' | 'javascript' | undefined;
      /** Where the images came from: this browser's cache, or a download of `bytes`. */
      data: { fromCache: boolean; bytes: number };
    }
  | { type: 'loaded'; steps: number; backendText: string; testImages: number }
  /** A model to open was refused (its weights do not fit its spec); the page keeps what it had. */
  | { type: 'loadFailed'; message: string }
  | { type: 'step'; report: StepReport; imagesPerSec: number }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'state'; state: TrainerState }
  | { type: 'weights'; files: ModelFiles }
  /**
   * A copy of the weights and the trainer's state, sent with each snapshot while a model
   * trains, so that the page loses nothing if the worker dies: a new one goes on from it.
   */
  | { type: 'copy'; files: ModelFiles; checkpoint: TrainerCheckpoint }
  | { type: 'pong' }
  /** Step `step` diverged; the weights went back to those after step `restoredStep`. */
  | { type: 'diverged'; step: number; restoredStep: number; message: string }
  /** The GPU's WebGL context was lost: training moved to another backend and paused at `restoredStep`, the last copy kept off the GPU. */
  | { type: 'backendLost'; restoredStep: number; backendText: string; message: string }
  | { type: 'error'; message: string };
