/**
 * Data-parallel training on several CPU cores, in Node (worker threads) and in the browser (Web
 * Workers) alike. TF.js's wasm backend runs one thread per context, so each extra core gets a
 * replica of the model in its own worker. For every batch the coordinating Trainer draws the
 * plan (images, ε, β, learning rate) exactly as it would alone; it computes the gradient of the
 * first share of the batch itself while each replica computes its own share; the sum, divided by
 * the batch size, is the full batch's mean gradient. Every replica applies that same sum with
 * the same Adam state, so all copies keep identical weights. The split can follow the workers'
 * measured speeds (src/vae/batch-balance.ts). Between two steps a replica can also take a share
 * of a snapshot's test-set work (src/vae/snapshot-shares.ts).
 */
import { BatchBalance, clock, evenBounds, timeShare, type ShareTiming } from './batch-balance.ts';
import type { ImageSet } from './data.ts';
import type { TrainFrom } from './protocol.ts';
import { computeTestShare, type TestShare, type TestShareResult } from './snapshot-shares.ts';
import type { ModelSpec } from './spec.ts';
import { DivergedError, sumGradients, type Gradients, type StepPlan, type StepReport, type Trainer, type TrainOptions } from './train.ts';

/** What a replica worker needs to build the same model and load the same training images. */
export interface ReplicaInit {
  spec: ModelSpec;
  options: TrainOptions;
  /** Site-relative (browser) or public/-relative (Node) folder of the dataset. */
  dataBase: string;
  /** The first `limit` training images: the coordinator's training set. */
  limit: number;
  /** A checkpoint to start from instead of fresh weights (Node: a folder with the weights). */
  resumeDir?: string;
  /** The browser's equivalent: the weights, steps and trainer state the coordinator starts from. */
  from?: TrainFrom | undefined;
  /** The backend the coordinator runs on, for the browser worker. */
  backend?: string;
  /** The browser worker's wasm threads, as many as the coordinator's. */
  threads?: number;
  /** The first this-many test images, for shares of the snapshots' test work (browser). */
  testImages?: number;
  /** The images themselves, for data that lives only in the page (a reader's own): nothing is fetched. */
  images?: { train: ImageSet; test?: ImageSet | undefined } | undefined;
}

export type ReplicaRequest =
  | { type: 'gradients'; plan: StepPlan; start: number; end: number }
  | { type: 'apply'; sum: Gradients; plan: StepPlan }
  /** A share of a snapshot's test work, on the weights of the last step applied. */
  | { type: 'testShare'; share: TestShare; lossImages: number; seed: number }
  /** Undo the last update, as the coordinator does after a diverged step (Trainer.rollBack). */
  | { type: 'rollBack' };

export type ReplicaReply =
  | { type: 'ready' }
  | { type: 'gradients'; gradients: Gradients; timing?: ShareTiming }
  | { type: 'testShare'; result: TestShareResult }
  /** `diverged` when the replica's share had a non-finite loss or gradient (a DivergedError). */
  | { type: 'error'; message: string; diverged?: { step: number; what: string } };

/** A replica's share of a batch: its gradients, and how long it took (when it says). */
interface GradientShare {
  gradients: Gradients;
  timing?: ShareTiming | undefined;
}

/** The coordinator's view of one replica, whatever carries the messages. */
export interface Replica {
  gradients(plan: StepPlan, start: number, end: number): Promise<GradientShare>;
  apply(sum: Gradients, plan: StepPlan): void;
  rollBack(): void;
  testShare(share: TestShare, lossImages: number, seed: number): Promise<TestShareResult>;
}

export interface ParallelStepOptions {
  /** Whether the trainer computes the first share itself (the page) or only coordinates (Node). */
  computeLocally?: boolean;
  /** Splits the batch by the workers' measured speeds, and learns from this step; else evenly. */
  balance?: BatchBalance | undefined;
}

/**
 * One step of `trainer` with its batch split over the trainer itself and the replicas: evenly,
 * or as `balance` says. The replicas' requests go out first, so they compute while the trainer
 * computes its share.
 */
export async function parallelStep(trainer: Trainer, replicas: Replica[], options: ParallelStepOptions = {}): Promise<StepReport> {
  const computeLocally = options.computeLocally ?? true;
  const plan = trainer.plan();
  const n = plan.indices.length;
  const k = replicas.length + (computeLocally ? 1 : 0);
  const balance = options.balance?.workers === k ? options.balance : undefined;
  const bounds = balance ? balance.bounds(n) : evenBounds(n, k);
  const offset = computeLocally ? 1 : 0;
  const sentAt = clock();
  const remote = replicas.map((r, i) => r.gradients(plan, bounds[i + offset]!, bounds[i + offset + 1]!));
  const parts: Gradients[] = [];
  const timings: (ShareTiming | undefined)[] = [];
  try {
    if (computeLocally) {
      const own = timeShare(() => trainer.gradients(plan, 0, bounds[1]!));
      parts.push(own.value);
      timings.push(own.timing);
    }
  } finally {
    // Wait for every share even when ours failed, so no reply is left unheard.
    const settled = await Promise.allSettled(remote);
    for (const r of settled) {
      if (r.status === 'rejected') throw r.reason;
      parts.push(r.value.gradients);
      timings.push(r.value.timing);
    }
  }
  balance?.record(bounds, sentAt, timings);
  const sum = sumGradients(parts);
  for (const r of replicas) r.apply(sum, plan);
  return trainer.applyGradients([sum], plan);
}

/**
 * Puts a fresh trainer (whose model already holds `from`'s weights) where `from` left off: with
 * its checkpoint, exactly (same batch order, random stream and Adam state), at the trainer's
 * own learning rate; without one (an opened model), counting on from its steps.
 */
export async function continueFrom(trainer: Trainer, from: TrainFrom): Promise<void> {
  const { learningRate } = trainer.options;
  if (from.checkpoint && from.checkpoint.order.length === trainer.data.count) {
    await trainer.restore(from.checkpoint);
    trainer.setLearningRate(learningRate);
  } else {
    trainer.continueAt(from.steps);
  }
}

/**
 * The replica's side: answers one request with its trainer (gradients) or its copy of the test
 * images (a snapshot's share), or applies an update.
 */
export function answerReplicaRequest(trainer: Trainer, msg: ReplicaRequest, test?: ImageSet): ReplicaReply | undefined {
  try {
    if (msg.type === 'gradients') {
      const { value: gradients, timing } = timeShare(() => trainer.gradients(msg.plan, msg.start, msg.end));
      return { type: 'gradients', gradients, timing };
    }
    if (msg.type === 'testShare') {
      if (!test) throw new Error('this replica holds no test images');
      return { type: 'testShare', result: computeTestShare(trainer.vae, test, msg.lossImages, msg.share, msg.seed) };
    }
    if (msg.type === 'rollBack') {
      trainer.rollBack();
      return undefined;
    }
    trainer.applyGradients([msg.sum], msg.plan);
    return undefined;
  } catch (err) {
    if (err instanceof DivergedError) return { type: 'error', message: err.message, diverged: { step: err.step, what: err.what } };
    return { type: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * A Replica over any message port (a Node Worker or a Web Worker): requests go out with
 * `send`, replies come back through the returned `receive`, in order.
 */
export function replicaOverPort(send: (msg: ReplicaRequest, transfer?: ArrayBuffer[]) => void): { replica: Replica; receive: (reply: ReplicaReply) => void } {
  type Waiting = { expects: 'gradients' | 'testShare'; resolve: (reply: ReplicaReply) => void; reject: (e: Error) => void };
  const pending: Waiting[] = [];
  const ask = <T>(msg: ReplicaRequest & { type: Waiting['expects'] }, pick: (reply: ReplicaReply) => T): Promise<T> =>
    new Promise((resolve, reject) => {
      pending.push({ expects: msg.type, resolve: (reply) => resolve(pick(reply)), reject });
      send(msg);
    });
  return {
    replica: {
      gradients(plan, start, end) {
        return ask({ type: 'gradients', plan, start, end }, (r) => {
          const reply = r as Extract<ReplicaReply, { type: 'gradients' }>;
          return { gradients: reply.gradients, timing: reply.timing };
        });
      },
      apply(sum, plan) {
        send({ type: 'apply', sum, plan });
      },
      rollBack() {
        send({ type: 'rollBack' });
      },
      testShare(share, lossImages, seed) {
        return ask({ type: 'testShare', share, lossImages, seed }, (r) => (r as { result: TestShareResult }).result);
      },
    },
    receive(reply) {
      if (reply.type === 'ready') return;
      const next = pending.shift();
      if (!next) return;
      if (reply.type === next.expects) next.resolve(reply);
      else if (reply.type === 'error') next.reject(reply.diverged ? new DivergedError(reply.diverged.step, reply.diverged.what) : new Error(`A training replica failed: ${reply.message}`));
      else next.reject(new Error(`A training replica answered ${reply.type} to a ${next.expects} request`));
    },
  };
}
