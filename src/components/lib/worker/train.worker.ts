/**
 * The training worker: runs the engine's Trainer off the main thread and streams progress
 * (every step's loss terms, and at an interval a sample grid, test-set codes and the test
 * loss). It can also open a saved model, to show it without training.
 */
/// <reference lib="webworker" />
import type { ImageSet } from '../../../vae/data.ts';
import { describeBackend, tf } from '../../../vae/backend.ts';
import { decode } from '../../../vae/infer.ts';
import { computeTestShare, mergeTestShares, splitTestWork, type TestShare, type TestShareResult, type TestSummary } from '../../../vae/snapshot-shares.ts';
import { loadBundle, vaeToFiles, WeightsError } from '../../../vae/io.ts';
import { buildVae, type Vae } from '../../../vae/model.ts';
import { PANEL_TEST_SEED } from '../../../vae/panel-recipe.ts';
import { datasetName } from '../../../vae/spec.ts';
import type { LoadRequest, StartRequest, TrainEvent, TrainRequest } from '../../../vae/protocol.ts';
import { BatchBalance } from '../../../vae/batch-balance.ts';
import { continueFrom, parallelStep, replicaOverPort, type Replica, type ReplicaInit, type ReplicaReply } from '../../../vae/data-parallel.ts';
import { DivergedError, Trainer, type StepReport, type TrainerCheckpoint } from '../../../vae/train.ts';
import { startBackend, useThreadsInWorker } from '../engine/backend-setup.ts';
import { loadSubset, subsetBytes } from '../engine/data-cache.ts';
import { onDownloads } from '../engine/downloads.ts';

const post = (event: TrainEvent, transfer: Transferable[] = []) => (self as DedicatedWorkerGlobalScope).postMessage(event, transfer);

let trainer: Trainer | undefined;
let vae: Vae | undefined;
/** What the worker shows: the start or load request. */
let view: StartRequest | LoadRequest | undefined;
let test: ImageSet | undefined;
/** Steps of an opened model, which has no trainer. */
let openedSteps = 0;
let started = 0;
let stepsAtStart = 0;
/** Other workers that share each batch, one per extra CPU core (none on WebGL). */
let replicas: Replica[] = [];
/** How each batch is split between this worker and the replicas: by their measured speeds. */
let balance: BatchBalance | undefined;

// For the soak test, which reads it over the DevTools protocol: the tensors this worker holds.
(self as unknown as { latentLabMemory: () => { numTensors: number; numBytes: number } }).latentLabMemory = () => tf.memory();
// For the test of a lost GPU, called over the DevTools protocol as latentLabMemory is.
(self as unknown as { latentLabLoseWebgl: () => boolean }).latentLabLoseWebgl = () => {
  const lose = webglContext()?.getExtension('WEBGL_lose_context');
  lose?.loseContext();
  return Boolean(lose);
};

/** The seed of the test loss's ε: the same draws at every snapshot, so changes are the model's. */
const TEST_SEED = PANEL_TEST_SEED;

/** The longest step so far, in ms: how long a replica may take before it counts as gone. */
let longestStep = 0;
const replicaPatience = () => Math.max(10_000, 20 * longestStep);

/**
 * A replica whose worker can die: an uncaught error in it, or no answer within the patience,
 * fails its shares from then on, so the step (and the run) ends with an error the page reports,
 * instead of waiting forever. The page keeps the last copy of the weights either way.
 */
function guarded(replica: Replica, worker: Worker): Replica {
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
      const timer = setTimeout(() => fail(new Error('A worker that shares each batch stopped responding.')), replicaPatience());
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

/**
 * Starts `count` replica workers on the same backend, data and seed. Resolves with those that
 * started; a device that cannot start one trains on this worker alone.
 */
async function startReplicas(count: number, init: ReplicaInit): Promise<Replica[]> {
  if (count <= 0 || typeof Worker === 'undefined') return [];
  const started = await Promise.all(
    Array.from({ length: count }, async () => {
      try {
        const worker = new Worker(new URL('./replica.worker.ts', import.meta.url), { type: 'module' });
        const { replica, receive } = replicaOverPort((msg) => worker.postMessage(msg));
        await new Promise<void>((resolve, reject) => {
          worker.onerror = (e) => reject(new Error(e.message || 'the replica worker failed to load'));
          worker.onmessage = (e: MessageEvent<ReplicaReply>) => {
            if (e.data.type === 'ready') resolve();
            else if (e.data.type === 'error' && !e.data.diverged) reject(new Error(e.data.message));
            receive(e.data);
          };
          worker.postMessage({ type: 'init', init });
        });
        worker.onmessage = (e: MessageEvent<ReplicaReply>) => receive(e.data);
        return guarded(replica, worker);
      } catch {
        return undefined;
      }
    }),
  );
  return started.filter((r): r is Replica => r !== undefined);
}

/** Settles when the step under way (if any) has ended, so a pause is reported after it. */
let inFlight: Promise<unknown> = Promise.resolve();

// ——— Copies of the weights ———
// With each snapshot of a model that trained since the last, the worker sends the page a copy
// of the weights and the trainer's state: if this worker dies, a new one goes on from it.
// On WebGL the weights live in the GPU's memory, and a lost context (a driver reset, a tab
// moved to another GPU) takes them with it, so the worker keeps that copy too; when the
// context is lost, training moves to wasm from it and pauses there.

/** Thrown instead of a step once the WebGL context is gone. */
class ContextLostError extends Error {}
let gpuCopy: { checkpoint: TrainerCheckpoint; files: Awaited<ReturnType<typeof vaeToFiles>> } | undefined;
let copying = false;
/** The reader paused (as opposed to a pause for taking the copy). */
let readerPaused = false;

function webglContext(): WebGLRenderingContext | undefined {
  return tf.getBackend() === 'webgl' ? (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl : undefined;
}

const contextLost = (): boolean => webglContext()?.isContextLost() ?? false;

/** The step of the last copy sent. */
let copiedStep = -1;

/** Copies the weights and the trainer's state between two steps, for the page (and off the GPU). */
async function keepCopy(): Promise<void> {
  const t = trainer;
  if (copying || !t || !vae || contextLost() || t.steps === copiedStep) return;
  copying = true;
  t.pause();
  try {
    const copy = await unlessContextLost(inFlight.then(() => Promise.all([t.checkpoint(), vaeToFiles(vae!)])));
    if (!copy || contextLost()) return;
    const [checkpoint, files] = copy;
    if (webglContext()) gpuCopy = { checkpoint, files };
    copiedStep = checkpoint.step;
    post({ type: 'copy', files, checkpoint });
  } finally {
    copying = false;
    // Resumed even after a lost context: the next step notices it and moves training to wasm.
    if (!readerPaused && t.state === 'paused') t.resume();
  }
}

/**
 * Settles as `work` does, or with undefined as soon as the WebGL context is lost: reads from a
 * lost context never finish, and training must not wait for them.
 */
function unlessContextLost<T>(work: Promise<T>): Promise<T | undefined> {
  if (!webglContext()) return work;
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!contextLost()) return;
      clearInterval(timer);
      resolve(undefined);
    }, 100);
    work.then(
      (value) => (clearInterval(timer), resolve(value)),
      (err: unknown) => (clearInterval(timer), reject(err)),
    );
  });
}

/** Moves training to wasm (or cpu) from the last copy, paused; the reader resumes it. */
async function recoverFromLostContext(): Promise<void> {
  const old = trainer!;
  old.stop();
  const copy = gpuCopy;
  if (!copy || !view || view.type !== 'start') {
    post({ type: 'error', message: 'The graphics card’s WebGL context was lost before a copy of the weights could be kept off it. Press Train a new model to start again on the CPU.' });
    return;
  }
  const { report } = await startBackend('train', { choice: 'wasm' });
  vae = await loadBundle({ spec: view.spec, files: copy.files });
  trainer = new Trainer(vae, old.data, old.options);
  await trainer.restore(copy.checkpoint);
  readerPaused = true;
  post({
    type: 'backendLost',
    restoredStep: trainer.steps,
    backendText: describeBackend(report),
    message: `The graphics card’s WebGL context was lost during training. The weights of step ${trainer.steps}, the last copy kept off the GPU, now train on TF.js ${describeBackend(report)}: press Resume or Step to go on.`,
  });
  post({ type: 'state', state: 'paused' });
  snapshot();
}

/** One step, shared with the replicas when there are any. */
function takeStep(): StepReport | Promise<StepReport> {
  if (contextLost()) throw new ContextLostError('the WebGL context was lost');
  const t0 = performance.now();
  const step = replicas.length > 0 ? parallelStep(trainer!, replicas, { balance }) : trainer!.step();
  inFlight = Promise.resolve(step)
    .then(() => (longestStep = Math.max(longestStep, performance.now() - t0)))
    .catch(() => undefined);
  return step;
}

/** The least time between two snapshots while training runs, and at least 3× what one costs. */
const SNAPSHOT_GAP_MS = 2000;
let snapshotGap = SNAPSHOT_GAP_MS;
let lastSnapshot = 0;

/**
 * Sends the page a snapshot: the sample grid, the test codes and the test loss. The replicas
 * (which hold the same weights between two steps) take their shares of the test work at once,
 * while this worker computes its own; the next step waits in their queues behind it.
 */
function snapshot(): void {
  takeSnapshot().catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
}

async function takeSnapshot(): Promise<void> {
  if (!vae || !view) return;
  const model = vae;
  const t0 = performance.now();
  const step = trainer ? trainer.steps : openedSteps;
  let summary: TestSummary | undefined;
  let labels: Uint8Array = new Uint8Array(0);
  let pending: Promise<TestShareResult>[] = [];
  let shares: TestShare[] = [];
  const lossImages = test ? Math.min(view.testLossImages, test.count) : 0;
  if (test) {
    const helpers = trainer ? replicas : [];
    shares = splitTestWork(test.count, lossImages, helpers.length + 1);
    pending = helpers.map((r, i) => r.testShare(shares[i + 1]!, lossImages, TEST_SEED));
    labels = test.labels.slice();
  }
  const samples = decode(model, view.sampleCodes);
  const own = test ? computeTestShare(model, test, lossImages, shares[0]!, TEST_SEED) : undefined;
  lastSnapshot = performance.now();
  snapshotGap = Math.max(SNAPSHOT_GAP_MS, 3 * (lastSnapshot - t0));
  // The copy of this step's weights, before the next step can change them.
  void keepCopy();
  if (test && own) {
    const results = [own];
    for (const [i, share] of pending.entries()) {
      // A replica that failed: its share here instead (the step it also fails changed nothing).
      results.push(await share.catch(() => computeTestShare(model, test!, lossImages, shares[i + 1]!, TEST_SEED)));
    }
    summary = mergeTestShares(shares, results, test.count, lossImages, model);
  }
  const codes = summary?.codes ?? new Float32Array(0);
  post({ type: 'snapshot', snapshot: { step, samples, codes, labels, testLoss: summary?.testLoss } }, [samples.buffer, codes.buffer, labels.buffer]);
}

function onStep(report: StepReport): void {
  const seconds = (performance.now() - started) / 1000;
  const imagesPerSec = ((report.step - stepsAtStart) * trainer!.options.batchSize) / Math.max(seconds, 1e-3);
  post({ type: 'step', report, imagesPerSec });
  // A snapshot encodes the test images, so it waits until the gap since the last one has passed.
  if (report.step % (view as StartRequest).snapshotEvery === 0 && performance.now() - lastSnapshot >= snapshotGap) snapshot();
}

/**
 * A diverged step changed nothing, but the update before it already gave weights whose loss is
 * not finite: go back one more update, here and in the replicas, and say so.
 */
function onDiverged(err: DivergedError): void {
  // Non-finite numbers from a context that was lost mid-step are the GPU's fault, not the rate's.
  if (contextLost()) return void recoverFromLostContext();
  const restored = trainer!.rollBack();
  for (const r of replicas) r.rollBack();
  const message =
    `Training diverged at step ${err.step}: the ${err.what} is not a finite number. ` +
    (restored < err.step - 1
      ? `The update of step ${err.step - 1} had already thrown the weights too far, so they are back to those of step ${restored}, the last with a finite loss.`
      : `The weights are still those of step ${restored}.`) +
    ' A lower learning rate usually helps.';
  post({ type: 'diverged', step: err.step, restoredStep: restored, message });
  snapshot();
}

async function run(): Promise<void> {
  if (!trainer) return;
  started = performance.now();
  stepsAtStart = trainer.steps;
  post({ type: 'state', state: 'running' });
  try {
    await trainer.run(Number.POSITIVE_INFINITY, onStep, takeStep);
  } catch (err) {
    if (err instanceof ContextLostError) return recoverFromLostContext();
    if (!(err instanceof DivergedError)) throw err;
    onDiverged(err);
    post({ type: 'state', state: 'paused' });
    return;
  }
  // The run only ends on Stop, whose message posts the state and the last snapshot.
}

/** data/<id> → MNIST, Fashion-MNIST, or the id of any other dataset. */
function dataBaseName(dataBase: string): string {
  return datasetName(dataBase.slice(dataBase.lastIndexOf('/') + 1));
}

async function start(req: StartRequest): Promise<void> {
  view = req;
  useThreadsInWorker(req.threads);
  post({ type: 'status', text: req.backend.choice === 'auto' && !req.backend.remembered ? 'Measuring which backend trains fastest here…' : 'Starting TensorFlow.js in the worker…' });
  const { report, how, probe } = await startBackend('train', req.backend);
  const megabytes = (subsetBytes(req.trainImages + req.testImages) / 1e6).toFixed(1);
  post({ type: 'status', text: `Fetching ${megabytes} MB of ${dataBaseName(req.dataBase)} images, or taking them from this browser’s cache…` });
  // The bytes as they arrive, at most every 200 ms.
  let told = 0;
  let received = 0;
  const stopProgress = onDownloads(({ chunk }) => {
    received += chunk;
    if (performance.now() - told < 200) return;
    told = performance.now();
    post({ type: 'status', text: `Fetching ${dataBaseName(req.dataBase)} images: ${(received / 1e6).toFixed(1)} of ${megabytes} MB…` });
  });
  let train, testSet;
  try {
    [train, testSet] = await Promise.all([loadSubset(req.dataBase, 'train', req.trainImages), loadSubset(req.dataBase, 'test', req.testImages)]);
  } finally {
    stopProgress();
  }
  test = testSet!.set;
  const fromCache = train!.fromCache && testSet!.fromCache;
  const bytes = (train!.fromCache ? 0 : subsetBytes(train!.set.count)) + (testSet!.fromCache ? 0 : subsetBytes(test.count));
  vae = req.from ? await loadBundle({ spec: req.spec, files: req.from.files }) : buildVae(req.spec);
  trainer = new Trainer(vae, train!.set, req.options);
  if (req.from) await continueFrom(trainer, req.from);
  // Extra CPU cores share each batch; a GPU backend has no use for them.
  if (report.name !== 'webgl' && req.replicas > 0) {
    post({ type: 'status', text: `Starting ${req.replicas} more worker${req.replicas === 1 ? '' : 's'} to share each batch…` });
    replicas = await startReplicas(req.replicas, { spec: req.spec, options: req.options, dataBase: req.dataBase, limit: train!.set.count, testImages: test.count, backend: report.name, from: req.from, threads: req.threads });
  }
  const workers = replicas.length + 1;
  balance = workers > 1 ? new BatchBalance(workers) : undefined;
  const backendText = `${describeBackend(report)}${workers > 1 ? ` × ${workers} workers` : ''}`;
  post({ type: 'ready', backend: report.name, backendText, how, probe, trainImages: train!.set.count, testImages: test.count, workers, loops: report.loops, data: { fromCache, bytes } });
  snapshot();
  await run();
}

async function open(req: LoadRequest): Promise<void> {
  view = req;
  useThreadsInWorker(req.threads);
  post({ type: 'status', text: 'Starting TensorFlow.js in a worker to open the model…' });
  const { report } = await startBackend('train', req.backend);
  try {
    vae = await loadBundle(req);
  } catch (err) {
    if (!(err instanceof WeightsError)) throw err;
    post({ type: 'loadFailed', message: err.message });
    return;
  }
  openedSteps = req.steps;
  // The test images only if an earlier run left them in this browser: opening downloads nothing.
  test = (await loadSubset(req.dataBase, 'test', req.testImages, true))?.set;
  post({ type: 'loaded', steps: req.steps, backendText: describeBackend(report), testImages: test?.count ?? 0 });
  snapshot();
}

self.onmessage = async (e: MessageEvent<TrainRequest>) => {
  const msg = e.data;
  try {
    switch (msg.type) {
      case 'start':
        if (!trainer && !vae) await start(msg);
        break;
      case 'load':
        if (!trainer && !vae) await open(msg);
        break;
      case 'pause':
        readerPaused = true;
        trainer?.pause();
        // A step shared with replicas may still be under way: it ends (and is reported) first.
        await inFlight;
        if (trainer?.state === 'paused') {
          post({ type: 'state', state: 'paused' });
          snapshot();
        }
        break;
      case 'resume':
        readerPaused = false;
        if (trainer?.state === 'paused') {
          trainer.resume();
          post({ type: 'state', state: 'running' });
        } else if (trainer?.state === 'idle') {
          await run();
        }
        break;
      case 'step':
        // One step while paused (or idle): the reader advances training by hand.
        if (trainer && trainer.state !== 'running' && trainer.state !== 'stopped') {
          try {
            onStep(await takeStep());
            snapshot();
          } catch (err) {
            if (err instanceof ContextLostError) {
              await recoverFromLostContext();
              break;
            }
            if (!(err instanceof DivergedError)) throw err;
            onDiverged(err);
          }
        }
        break;
      case 'ping':
        post({ type: 'pong' });
        break;
      case 'learningRate':
        trainer?.setLearningRate(msg.value);
        break;
      case 'stop':
        trainer?.stop();
        post({ type: 'state', state: 'stopped' });
        snapshot();
        break;
      case 'export':
        if (vae) {
          const files = await vaeToFiles(vae);
          post({ type: 'weights', files }, Object.values(files).map((b) => b.buffer as ArrayBuffer));
        }
        break;
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
