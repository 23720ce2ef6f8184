/**
 * The training worker's replicas: the other workers that share each batch (as many as the page's
 * layout asks for; none on WebGL). The pool starts them on the same backend, data and seed,
 * takes data-parallel steps with them (src/vae/data-parallel.ts), split by their measured speeds
 * (src/vae/batch-balance.ts), and guards them: a replica that is not ready in time is dropped
 * (src/vae/replica-start.ts) and training goes on with the others; a replica whose worker dies later
 * fails its shares from then on, so the step (and the run) ends with an error the page reports
 * instead of waiting forever. The page keeps the last copy of the weights either way.
 */
/// <reference lib="webworker" />
import { BatchBalance } from '../../../vae/batch-balance.ts';
import { parallelStep, replicaOverPort, type Replica, type ReplicaInit, type ReplicaReply } from '../../../vae/data-parallel.ts';
import type { StepReport, Trainer } from '../../../vae/train.ts';
import { startDeadline, startWithin, type Starting } from '../../../vae/replica-start.ts';

export class ReplicaPool {
  #replicas: Replica[] = [];
  /** How each batch is split between this worker and the replicas: by their measured speeds. */
  #balance: BatchBalance | undefined;
  /** The longest step so far, in ms: how long a replica may take before it counts as gone. */
  #longestStep = 0;
  #notStarted = 0;

  /** The replicas that started. */
  get replicas(): readonly Replica[] {
    return this.#replicas;
  }

  /** Workers that share each batch: this one and its replicas. */
  get workers(): number {
    return this.#replicas.length + 1;
  }

  /** Replicas asked for that did not start in time or failed to: dropped. */
  get notStarted(): number {
    return this.#notStarted;
  }

  #patience(): number {
    return Math.max(10_000, 20 * this.#longestStep);
  }

  /**
   * Starts `count` replica workers on the same backend, data and seed. Keeps those that report
   * ready in time (startDeadline of `ownStartMs`, how long this worker took to get as far);
   * a device that can start none trains on this worker alone.
   */
  async start(count: number, init: ReplicaInit, ownStartMs: number): Promise<void> {
    if (count > 0 && typeof Worker !== 'undefined') {
      const outcome = await startWithin(Array.from({ length: count }, () => this.#startOne(init)), startDeadline(ownStartMs));
      this.#replicas = outcome.started;
      this.#notStarted = count - outcome.started.length;
    }
    this.#balance = this.workers > 1 ? new BatchBalance(this.workers) : undefined;
  }

  #startOne(init: ReplicaInit): Starting<Replica> {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./replica.worker.ts', import.meta.url), { type: 'module' });
    } catch (err) {
      return { ready: Promise.reject(err instanceof Error ? err : new Error(String(err))), drop: () => {} };
    }
    const { replica, receive } = replicaOverPort((msg) => worker.postMessage(msg));
    const ready = new Promise<void>((resolve, reject) => {
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(e.message || 'the replica worker failed to load'));
      };
      worker.onmessage = (e: MessageEvent<ReplicaReply>) => {
        if (e.data.type === 'ready') resolve();
        else if (e.data.type === 'error' && !e.data.diverged) reject(new Error(e.data.message));
        receive(e.data);
      };
      worker.postMessage({ type: 'init', init });
    }).then(() => {
      worker.onmessage = (e: MessageEvent<ReplicaReply>) => receive(e.data);
      return this.#guarded(replica, worker);
    });
    return { ready, drop: () => worker.terminate() };
  }

  /**
   * A replica whose worker can die: an uncaught error in it, or no answer within the patience,
   * fails its shares from then on.
   */
  #guarded(replica: Replica, worker: Worker): Replica {
    let failure: Error | undefined;
    const waiting = new Set<(err: Error) => void>();
    const fail = (err: Error) => {
      failure ??= err;
      worker.terminate();
      for (const reject of waiting) reject(failure);
      waiting.clear();
    };
    worker.onerror = (e) => {
      e.preventDefault();
      fail(new Error(`A worker that shares each batch stopped (${e.message || 'it crashed'}).`));
    };
    /** The replica's answer, unless it fails first or takes longer than the patience. */
    const watched = <T>(ask: () => Promise<T>): Promise<T> => {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting.add(reject);
        const timer = setTimeout(() => fail(new Error('A worker that shares each batch stopped responding.')), this.#patience());
        ask().then(
          (value) => (clearTimeout(timer), waiting.delete(reject), resolve(value)),
          (err: Error) => (clearTimeout(timer), waiting.delete(reject), reject(err)),
        );
      });
    };
    return {
      gradients: (plan, start, end) => watched(() => replica.gradients(plan, start, end)),
      testShare: (share, lossImages, seed) => watched(() => replica.testShare(share, lossImages, seed)),
      apply(sum, plan) {
        if (!failure) replica.apply(sum, plan);
      },
      rollBack() {
        if (!failure) replica.rollBack();
      },
    };
  }

  /** One step of `trainer`, shared with the replicas when there are any. */
  step(trainer: Trainer): StepReport | Promise<StepReport> {
    if (this.#replicas.length === 0) return trainer.step();
    const t0 = performance.now();
    const step = parallelStep(trainer, this.#replicas, { balance: this.#balance });
    step.then(
      () => (this.#longestStep = Math.max(this.#longestStep, performance.now() - t0)),
      () => undefined,
    );
    return step;
  }

  /** Undoes the last update in every replica, as the trainer does after a diverged step. */
  rollBack(): void {
    for (const r of this.#replicas) r.rollBack();
  }
}
