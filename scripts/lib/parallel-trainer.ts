/**
 * Data-parallel training in Node: one worker thread per replica (src/vae/data-parallel.ts says
 * how the batch is shared). The coordinator's own Trainer draws each batch's plan and keeps the
 * run's state for checkpoints and evaluation; the workers compute every share of the batch.
 */
import { Worker } from 'node:worker_threads';
import type { ImageSet } from '../../src/vae/data.ts';
import { parallelStep, replicaOverPort, type Replica, type ReplicaInit, type ReplicaReply } from '../../src/vae/data-parallel.ts';
import type { Vae } from '../../src/vae/model.ts';
import { Trainer, type StepReport, type TrainerCheckpoint, type TrainOptions } from '../../src/vae/train.ts';

export class ParallelTrainer {
  readonly trainer: Trainer;
  #workers: Worker[] = [];
  #replicas: Replica[] = [];

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
        const { replica, receive } = replicaOverPort((msg) => worker.postMessage(msg));
        pt.#replicas.push(replica);
        return new Promise<void>((resolve, reject) => {
          worker.once('error', reject);
          worker.on('message', (reply: ReplicaReply) => (reply.type === 'ready' ? resolve() : receive(reply)));
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

  get state(): Trainer['state'] {
    return this.trainer.state;
  }

  step(): Promise<StepReport> {
    return parallelStep(this.trainer, this.#replicas, { computeLocally: false });
  }

  run(steps: number, onStep?: (r: StepReport) => void): Promise<number> {
    return this.trainer.run(steps, onStep, () => this.step());
  }

  stop(): void {
    this.trainer.stop();
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
