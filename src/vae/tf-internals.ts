/**
 * Every place where the site reaches past TensorFlow.js's public API, in one module, so that an
 * upgrade of TF.js (pinned at 4.22) has one file to check. `test/unit/tf-internals.test.ts`
 * checks each of them by what it does:
 *
 * - `webglContext()`: the WebGL context of the active webgl backend (`backend.gpgpu.gl`), to
 *   notice a lost context (a GPU reset takes the weights with it) and, in the tests, to lose it;
 * - `setOptimizerLearningRate()`: Adam's protected `learningRate`, changed in place so that its
 *   moment estimates carry on (TF.js offers no setter; a new optimizer would drop them);
 * - `tensorMemory()` and `countKernels()`: the engine's memory and a count of the kernels it
 *   runs, behind the test-only hooks of the page and the workers (`pageTestHooks`,
 *   `workerTestHooks`), which the soak and training tests read over the DevTools protocol.
 *
 * The wasm kernels have their own view of the wasm backend's heap and module (`WasmBackend` in
 * `kernels/wasm-compose.ts`); it stays with them, the only code that uses it.
 *
 * No DOM: Node runs all of this (on the cpu and wasm backends, where there is no WebGL).
 */
import { tf } from './backend.ts';

/** The part of TF.js's webgl backend that holds its context. */
interface WebglBackendInternals {
  gpgpu?: { gl?: WebGLRenderingContext };
}

/** The WebGL context of the active backend; undefined on any backend but webgl. */
export function webglContext(): WebGLRenderingContext | undefined {
  if (tf.getBackend() !== 'webgl') return undefined;
  return (tf.backend() as unknown as WebglBackendInternals).gpgpu?.gl;
}

/** Whether the active backend's WebGL context is gone (always false off WebGL). */
export function webglContextLost(): boolean {
  return webglContext()?.isContextLost() ?? false;
}

/**
 * Loses the active backend's WebGL context as a GPU reset would (WEBGL_lose_context). Test-only;
 * returns whether there was a context to lose.
 */
export function loseWebglContext(): boolean {
  const lose = webglContext()?.getExtension('WEBGL_lose_context');
  lose?.loseContext();
  return Boolean(lose);
}

/** Sets an optimizer's learning rate from its next update on; its other state carries on. */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

/** The tensors (and their bytes) the engine holds. */
export function tensorMemory(): { numTensors: number; numBytes: number } {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
}

/**
 * Counts from now on every kernel the engine runs (by wrapping its `runKernel`). `count()` says
 * how many so far; `stop()` unwraps it.
 */
export function countKernels(): { count: () => number; stop: () => void } {
  const engine = tf.engine();
  const original = engine.runKernel;
  const bound = original.bind(engine);
  let count = 0;
  engine.runKernel = ((...args: Parameters<typeof bound>) => {
    count++;
    return bound(...args);
  }) as typeof engine.runKernel;
  return {
    count: () => count,
    stop: () => {
      engine.runKernel = original;
    },
  };
}

/** The test-only hooks of a page (with `?testhooks`), read by the browser tests. */
export interface PageTestHooks {
  /** How many TF.js kernels this page's main thread has run since the hooks were made. */
  latentLabMainThreadKernels: () => number;
  /** The tensors alive on the page's main thread. */
  latentLabTensors: () => number;
  /** Loses the page's WebGL context as a GPU reset would. */
  latentLabLoseWebgl: () => boolean;
}

export function pageTestHooks(): PageTestHooks {
  const kernels = countKernels();
  return { latentLabMainThreadKernels: kernels.count, latentLabTensors: () => tensorMemory().numTensors, latentLabLoseWebgl: loseWebglContext };
}

/** The test-only hooks of a training or replica worker, called over the DevTools protocol. */
export interface WorkerTestHooks {
  /** The tensors this worker holds (the soak test). */
  latentLabMemory: () => { numTensors: number; numBytes: number };
  /** Loses this worker's WebGL context (the test of a lost GPU). */
  latentLabLoseWebgl: () => boolean;
}

export function workerTestHooks(): WorkerTestHooks {
  return { latentLabMemory: tensorMemory, latentLabLoseWebgl: loseWebglContext };
}
