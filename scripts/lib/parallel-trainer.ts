/**
 * Data-parallel training on several CPU cores in Node. TF.js's wasm backend runs one thread per
 * process, so each core gets a worker thread with a replica of the model. For every batch the
 * coordinator draws the plan (images, ε, β) exactly as a single Trainer would, each replica
 * computes the gradient of the summed loss over its slice, and the sum, divided by the batch
 * size, is the full batch's mean gradient. Every replica, and the coordinator's own copy used
 * for checkpoints and evaluation, applies it with identical Adam state.
 */
import { Worker } from 'node:worker_threads';
import type { ImageSet } from '../../src/vae/data.ts';
import type { Vae } from '../../src/vae/model.ts';
import { Trainer, type Gradients, type StepReport, type TrainerCheckpoint, type TrainOptions } from '../../src/vae/train.ts';
import type { ReplicaInit, ReplicaRequest } from './train-worker.ts';

function sumGradients(parts: Gradients[]): Gradients {
  const grads = parts[0]!.grads.map((g) => new Float32Array(g.length));
  for (const p of parts) {
    p.grads.forEach((g, i) => {
      const out = grads[i]!;
      for (let k = 0; k < g.length; k++) out[k]! += g[k]!;
    });
  }
  const total = (key: 'count' | 'lossSum' | 'reconstructionSum' | 'klSum') => parts.reduce((s, p) => s + p[key], 0);
  return { grads, count: total('count'), lossSum: total('lossSum'), reconstructionSum: total('reconstructionSum'), klSum: total('klSum') };
}

export class ParallelTrainer {
  readonly trainer: Trainer;
  #workers: Worker[] = [];
  #pending = new Map<Worker, (g: Gradients) => void>();
  #stopped = false;

  private constructor(trainer: Trainer) {
    this.trainer = trainer;
  }

  /**
   * Starts `replicas` worker threads, each loading the first `data.count` training images.
   * With `resume`, the coordinator and every replica start from that checkpoint folder.
   */
  static async create(vae: Vae, data: ImageSet, options: TrainOptions, replicas: number, dataBase: string, resume?: { dir: string; checkpoint: TrainerCheckpoint }): Promise<ParallelTrainer> {
    const pt = new ParallelTrainer(new Trainer(vae, data, options));
    if (resume) await pt.trainer.restore(resume.checkpoint);
    const init: ReplicaInit = { spec: vae.spec, options, dataBase, limit: data.count, ...(resume ? { resumeDir: resume.dir } : {}) };
    await Promise.all(
      Array.from({ length: replicas }, () => {
        const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { workerData: init });
        pt.#workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.once('error', reject);
          worker.on('message', (msg: Gradients | { ready: true }) => {
            if ('ready' in msg) return resolve();
            const done = pt.#pending.get(worker);
            pt.#pending.delete(worker);
            done?.(msg);
          });
        });
      }),
    );
    return pt;
  }

  get vae(): Vae {
    return this.trainer.vae;
  }

  get steps(): number {
    return this.trainer.steps;
  }

  get stepsPerEpoch(): number {
    return this.trainer.stepsPerEpoch;
  }

  get state(): 'stopped' | 'idle' {
    return this.#stopped ? 'stopped' : 'idle';
  }

  #ask(worker: Worker, msg: ReplicaRequest): Promise<Gradients> {
    return new Promise((resolve) => {
      this.#pending.set(worker, resolve);
      worker.postMessage(msg);
    });
  }

  async step(): Promise<StepReport> {
    const plan = this.trainer.plan();
    const n = plan.indices.length;
    const k = this.#workers.length;
    const parts = await Promise.all(
      this.#workers.map((w, i) => this.#ask(w, { type: 'gradients', plan, start: Math.floor((i * n) / k), end: Math.floor(((i + 1) * n) / k) })),
    );
    const sum = sumGradients(parts);
    for (const w of this.#workers) w.postMessage({ type: 'apply', sum, plan } satisfies ReplicaRequest);
    return this.trainer.applyGradients([sum], plan);
  }

  async run(steps: number, onStep?: (r: StepReport) => void): Promise<number> {
    let taken = 0;
    while (taken < steps && !this.#stopped) {
      onStep?.(await this.step());
      taken++;
    }
    return taken;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** The coordinator's copy holds the run's state (its replicas hold the same). */
  checkpoint(): ReturnType<Trainer['checkpoint']> {
    return this.trainer.checkpoint();
  }

  async dispose(): Promise<void> {
    this.trainer.dispose();
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
