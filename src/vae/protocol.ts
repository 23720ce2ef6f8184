/**
 * Messages between a page and the training worker. Plain data only, so they cross
 * postMessage; large arrays are transferred, not copied.
 */
import type { BackendName } from './backend.ts';
import type { ModelFiles } from './io.ts';
import type { ProbeResult } from './probe.ts';
import type { ModelSpec } from './spec.ts';
import type { StepReport, TrainerState, TrainOptions } from './train.ts';

export interface StartRequest {
  type: 'start';
  spec: ModelSpec;
  options: TrainOptions;
  /** Site-relative folder of the dataset, e.g. "data/mnist". */
  dataBase: string;
  /** Train on the first `trainImages` training images. */
  trainImages: number;
  /** Test images whose codes are sent with each snapshot. */
  testImages: number;
  /** Steps between snapshots (sample grid + test codes); the worker also leaves 2 s between them. */
  snapshotEvery: number;
  /** The reader's backend choice ('auto' measures), and the fastest one measured before. */
  backend: { choice: 'auto' | BackendName; remembered?: BackendName | undefined };
  /** Latent codes decoded for the sample grid, fixed so the reader sees the same codes improve. */
  sampleCodes: Float32Array;
  /** Extra workers that share each batch on the CPU (one per spare core); 0 trains on one. */
  replicas: number;
}

export type TrainRequest =
  | StartRequest
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step' }
  | { type: 'stop' }
  | { type: 'export' }
  | { type: 'learningRate'; value: number };

export interface Snapshot {
  step: number;
  /** Decodes of `sampleCodes`, 784 probabilities each. */
  samples: Float32Array;
  /** μ of the test images, row-major [n, latentDim]. */
  codes: Float32Array;
  labels: Uint8Array;
}

export type TrainEvent =
  | { type: 'status'; text: string }
  | {
      type: 'ready';
      backend: BackendName;
      /** e.g. "wasm (SIMD, 1 thread)". */
      backendText: string;
      how: 'your choice' | 'remembered' | 'measured';
      probe?: ProbeResult[] | undefined;
      trainImages: number;
      testImages: number;
      /** Workers sharing each batch: this one and its replicas. */
      workers: number;
    }
  | { type: 'step'; report: StepReport; imagesPerSec: number }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'state'; state: TrainerState }
  | { type: 'weights'; files: ModelFiles }
  | { type: 'diverged'; step: number; message: string }
  | { type: 'error'; message: string };
