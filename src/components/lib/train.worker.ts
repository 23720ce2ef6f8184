/**
 * The training worker: runs the engine's Trainer off the main thread and streams progress
 * (every step's loss terms, and at an interval a sample grid and test-set codes).
 */
/// <reference lib="webworker" />
import { loadSplit, sliceSet, toFloat, type ImageSet } from '../../vae/data.ts';
import { describeBackend } from '../../vae/backend.ts';
import { decode, encode } from '../../vae/infer.ts';
import { vaeToFiles } from '../../vae/io.ts';
import { buildVae, type Vae } from '../../vae/model.ts';
import type { StartRequest, TrainEvent, TrainRequest } from '../../vae/protocol.ts';
import { parallelStep, replicaOverPort, type Replica, type ReplicaInit, type ReplicaReply } from '../../vae/data-parallel.ts';
import { DivergedError, Trainer, type StepReport } from '../../vae/train.ts';
import { fetchBytes, startBackend } from './backend-setup.ts';

const post = (event: TrainEvent, transfer: Transferable[] = []) => (self as DedicatedWorkerGlobalScope).postMessage(event, transfer);

let trainer: Trainer | undefined;
let vae: Vae | undefined;
let request: StartRequest | undefined;
let test: ImageSet | undefined;
let started = 0;
let stepsAtStart = 0;
/** Other workers that share each batch, one per extra CPU core (none on WebGL). */
let replicas: Replica[] = [];

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
        return replica;
      } catch {
        return undefined;
      }
    }),
  );
  return started.filter((r): r is Replica => r !== undefined);
}

/** Settles when the step under way (if any) has ended, so a pause is reported after it. */
let inFlight: Promise<unknown> = Promise.resolve();

/** One step, shared with the replicas when there are any. */
function takeStep(): StepReport | Promise<StepReport> {
  const step = replicas.length > 0 ? parallelStep(trainer!, replicas) : trainer!.step();
  inFlight = Promise.resolve(step).catch(() => undefined);
  return step;
}

/** The least time between two snapshots while training runs. */
const SNAPSHOT_GAP_MS = 2000;
let lastSnapshot = 0;

function snapshot(): void {
  if (!vae || !request || !test || !trainer) return;
  lastSnapshot = performance.now();
  const samples = decode(vae, request.sampleCodes);
  const { mu } = encode(vae, toFloat(test, Array.from({ length: test.count }, (_, i) => i)));
  const labels = test.labels.slice();
  post({ type: 'snapshot', snapshot: { step: trainer.steps, samples, codes: mu, labels } }, [samples.buffer, mu.buffer, labels.buffer]);
}

function onStep(report: StepReport): void {
  const seconds = (performance.now() - started) / 1000;
  const imagesPerSec = ((report.step - stepsAtStart) * request!.options.batchSize) / Math.max(seconds, 1e-3);
  post({ type: 'step', report, imagesPerSec });
  // A snapshot encodes every test image, so it waits at least SNAPSHOT_GAP_MS after the last one.
  if (report.step % request!.snapshotEvery === 0 && performance.now() - lastSnapshot >= SNAPSHOT_GAP_MS) snapshot();
}

async function run(): Promise<void> {
  if (!trainer) return;
  started = performance.now();
  stepsAtStart = trainer.steps;
  post({ type: 'state', state: 'running' });
  try {
    await trainer.run(Number.POSITIVE_INFINITY, onStep, takeStep);
  } catch (err) {
    if (!(err instanceof DivergedError)) throw err;
    // The diverged step was not applied: pause on the last good weights.
    post({ type: 'diverged', step: err.step, message: err.message });
    post({ type: 'state', state: 'paused' });
    return;
  }
  snapshot();
  post({ type: 'state', state: trainer.state });
}

async function start(req: StartRequest): Promise<void> {
  request = req;
  post({ type: 'status', text: req.backend.choice === 'auto' && !req.backend.remembered ? 'Measuring which backend trains fastest here…' : 'Starting TensorFlow.js in the worker…' });
  const { report, how, probe } = await startBackend('train', req.backend);
  post({ type: 'status', text: 'Fetching the training images…' });
  const train = await loadSplit(fetchBytes, req.dataBase, 'train', { limit: req.trainImages });
  const testAll = await loadSplit(fetchBytes, req.dataBase, 'test', { limit: req.testImages });
  test = sliceSet(testAll, 0, Math.min(req.testImages, testAll.count));
  vae = buildVae(req.spec);
  trainer = new Trainer(vae, train, req.options);
  // Extra CPU cores share each batch; a GPU backend has no use for them.
  if (report.name !== 'webgl' && req.replicas > 0) {
    post({ type: 'status', text: `Starting ${req.replicas} more worker${req.replicas === 1 ? '' : 's'} to share each batch…` });
    replicas = await startReplicas(req.replicas, { spec: req.spec, options: req.options, dataBase: req.dataBase, limit: train.count, backend: report.name });
  }
  const workers = replicas.length + 1;
  const backendText = `${describeBackend(report)}${workers > 1 ? ` × ${workers} workers` : ''}`;
  post({ type: 'ready', backend: report.name, backendText, how, probe, trainImages: train.count, testImages: test.count, workers });
  snapshot();
  await run();
}

self.onmessage = async (e: MessageEvent<TrainRequest>) => {
  const msg = e.data;
  try {
    switch (msg.type) {
      case 'start':
        if (!trainer) await start(msg);
        break;
      case 'pause':
        trainer?.pause();
        // A step shared with replicas may still be under way: it ends (and is reported) first.
        await inFlight;
        if (trainer?.state === 'paused') post({ type: 'state', state: 'paused' });
        break;
      case 'resume':
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
            if (!(err instanceof DivergedError)) throw err;
            post({ type: 'diverged', step: err.step, message: err.message });
          }
        }
        break;
      case 'learningRate':
        trainer?.setLearningRate(msg.value);
        break;
      case 'stop':
        trainer?.stop();
        post({ type: 'state', state: 'stopped' });
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
