/**
 * Training through a lost WebGL context. On WebGL the weights live in the GPU's memory, and a
 * lost context (a driver reset, a tab moved to another GPU) takes them with it. So the worker
 * keeps its last copy of the weights and the trainer's state off the GPU (the copy it sends the
 * page with each snapshot), never waits on a read from a lost context, and, once the context is
 * gone, moves training to wasm from that copy; the worker then pauses there and says so.
 */
import { describeBackend } from '../../../vae/backend.ts';
import { loadBundle, type ModelFiles } from '../../../vae/io.ts';
import type { Vae } from '../../../vae/model.ts';
import type { ModelSpec } from '../../../vae/spec.ts';
import { webglContext, webglContextLost } from '../../../vae/tf-internals.ts';
import { Trainer, type TrainerCheckpoint } from '../../../vae/train.ts';
import { startBackend } from '../engine/backend-setup.ts';

/** Thrown instead of a step once the WebGL context is gone. */
export class ContextLostError extends Error {}

/** The model moved to another backend: its weights, trainer and the backend's description. */
export interface Recovered {
  vae: Vae;
  trainer: Trainer;
  backendText: string;
}

export class ContextLoss {
  #copy: { checkpoint: TrainerCheckpoint; files: ModelFiles } | undefined;

  /** Whether training runs on a WebGL context (whose weights a lost context would take). */
  get onGpu(): boolean {
    return webglContext() !== undefined;
  }

  get lost(): boolean {
    return webglContextLost();
  }

  /** Throws ContextLostError once the context is gone: called before every step. */
  check(): void {
    if (this.lost) throw new ContextLostError('the WebGL context was lost');
  }

  /** Keeps a copy taken between two steps, if the weights are on the GPU. */
  keep(checkpoint: TrainerCheckpoint, files: ModelFiles): void {
    if (this.onGpu) this.#copy = { checkpoint, files };
  }

  /**
   * Settles as `work` does, or with undefined as soon as the WebGL context is lost: reads from a
   * lost context never finish, and training must not wait for them.
   */
  unlessLost<T>(work: Promise<T>): Promise<T | undefined> {
    if (!this.onGpu) return work;
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        if (!this.lost) return;
        clearInterval(timer);
        resolve(undefined);
      }, 100);
      work.then(
        (value) => (clearInterval(timer), resolve(value)),
        (err: unknown) => (clearInterval(timer), reject(err)),
      );
    });
  }

  /**
   * Stops `old` and rebuilds its model and trainer on wasm (or cpu) from the last copy kept off
   * the GPU. Undefined when there is no copy yet: the run is lost with the context.
   */
  async recover(old: Trainer, spec: ModelSpec): Promise<Recovered | undefined> {
    old.stop();
    const copy = this.#copy;
    if (!copy) return undefined;
    const { report } = await startBackend('train', { choice: 'wasm' });
    const vae = await loadBundle({ spec, files: copy.files });
    const trainer = new Trainer(vae, old.data, old.options);
    await trainer.restore(copy.checkpoint);
    return { vae, trainer, backendText: describeBackend(report) };
  }
}
