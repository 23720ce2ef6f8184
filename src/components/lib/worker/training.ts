/**
 * What the training worker holds and does, in one object: the model it trains (or only shows,
 * once opened), the engine's Trainer, the test images, and its answers to the page's requests.
 * It streams every step's loss terms and, at an interval, a snapshot; with each snapshot of a
 * model that has trained since the last, it sends the page a copy of the weights and the
 * trainer's state, so that a new worker can go on from it if this one dies. Its parts: the
 * replicas that share each batch (replica-pool.ts), the snapshots (snapshots.ts) and the
 * recovery from a lost WebGL context (context-loss.ts).
 */
import { describeBackend } from '../../../vae/backend.ts';
import type { ImageSet } from '../../../vae/data.ts';
import { continueFrom } from '../../../vae/data-parallel.ts';
import { loadBundle, vaeToFiles, WeightsError } from '../../../vae/io.ts';
import { buildVae, type Vae } from '../../../vae/model.ts';
import type { LoadRequest, StartRequest, TrainEvent } from '../../../vae/protocol.ts';
import { datasetName } from '../../../vae/spec.ts';
import { DivergedError, Trainer, type StepReport } from '../../../vae/train.ts';
import { startBackend, useThreadsInWorker } from '../engine/backend-setup.ts';
import { loadSubset, subsetBytes } from '../engine/data-cache.ts';
import { onDownloads } from '../engine/downloads.ts';
import { ContextLoss, ContextLostError } from './context-loss.ts';
import { ReplicaPool } from './replica-pool.ts';
import { Snapshots } from './snapshots.ts';

export type Post = (event: TrainEvent, transfer?: Transferable[]) => void;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** data/<id> → MNIST, Fashion-MNIST, or the id of any other dataset. */
function dataBaseName(dataBase: string): string {
  return datasetName(dataBase.slice(dataBase.lastIndexOf('/') + 1));
}

export class Training {
  readonly #post: Post;
  #trainer: Trainer | undefined;
  #vae: Vae | undefined;
  /** What the worker shows: the start or load request. */
  #view: StartRequest | LoadRequest | undefined;
  #test: ImageSet | undefined;
  /** Steps of an opened model, which has no trainer. */
  #openedSteps = 0;
  /** When the current run started, and at which step: for its images per second. */
  #started = 0;
  #stepsAtStart = 0;
  /** The reader paused (as opposed to a pause for taking the copy). */
  #readerPaused = false;
  /** Settles when the step under way (if any) has ended, so a pause is reported after it. */
  #inFlight: Promise<unknown> = Promise.resolve();
  #copying = false;
  /** The step of the last copy sent. */
  #copiedStep = -1;
  readonly #pool = new ReplicaPool();
  readonly #snapshots = new Snapshots();
  readonly #context = new ContextLoss();

  constructor(post: Post) {
    this.#post = post;
  }

  /** Whether this worker already holds a model (it takes one start or load request only). */
  get busy(): boolean {
    return this.#trainer !== undefined || this.#vae !== undefined;
  }

  // ——— Requests ———

  async start(req: StartRequest): Promise<void> {
    const started = performance.now();
    this.#view = req;
    useThreadsInWorker(req.threads);
    this.#post({ type: 'status', text: req.backend.choice === 'auto' && !req.backend.remembered ? 'Measuring which backend trains fastest here…' : 'Starting TensorFlow.js in the worker…' });
    const { report, how, probe } = await startBackend('train', req.backend);
    const loaded = req.images ? { train: { set: req.images.train, fromCache: true }, test: { set: req.images.test, fromCache: true } } : await this.#fetchImages(req);
    const { train, test: testSet } = loaded;
    const test = testSet.set;
    this.#test = test;
    const fromCache = train.fromCache && testSet.fromCache;
    const bytes = (train.fromCache ? 0 : subsetBytes(train.set.count)) + (testSet.fromCache ? 0 : subsetBytes(test.count));
    this.#vae = req.from ? await loadBundle({ spec: req.spec, files: req.from.files }) : buildVae(req.spec);
    this.#trainer = new Trainer(this.#vae, train.set, req.options);
    if (req.from) await continueFrom(this.#trainer, req.from);
    // Extra CPU cores share each batch; a GPU backend has no use for them.
    if (report.name !== 'webgl' && req.replicas > 0) {
      this.#post({ type: 'status', text: `Starting ${req.replicas} more worker${req.replicas === 1 ? '' : 's'} to share each batch…` });
      const images = req.images ? { train: train.set, test } : undefined;
      await this.#pool.start(req.replicas, { spec: req.spec, options: req.options, dataBase: req.dataBase, limit: train.set.count, testImages: test.count, backend: report.name, from: req.from, threads: req.threads, images }, performance.now() - started);
    }
    const { workers, notStarted } = this.#pool;
    const backendText = `${describeBackend(report)}${workers > 1 ? ` × ${workers} workers` : ''}`;
    this.#post({ type: 'ready', backend: report.name, backendText, how, probe, trainImages: train.set.count, testImages: test.count, workers, notStarted, loops: report.loops, data: { fromCache, bytes } });
    this.#snapshot();
    await this.#run();
  }

  /** The request's images from this browser's cache or the site, with the download in the status line. */
  async #fetchImages(req: StartRequest): Promise<{ train: { set: ImageSet; fromCache: boolean }; test: { set: ImageSet; fromCache: boolean } }> {
    const megabytes = (subsetBytes(req.trainImages + req.testImages) / 1e6).toFixed(1);
    const name = dataBaseName(req.dataBase);
    this.#post({ type: 'status', text: `Fetching ${megabytes} MB of ${name} images, or taking them from this browser’s cache…` });
    // The bytes as they arrive, at most every 200 ms.
    let told = 0;
    let received = 0;
    const stopProgress = onDownloads(({ chunk }) => {
      received += chunk;
      if (performance.now() - told < 200) return;
      told = performance.now();
      this.#post({ type: 'status', text: `Fetching ${name} images: ${(received / 1e6).toFixed(1)} of ${megabytes} MB…` });
    });
    try {
      const [train, test] = await Promise.all([loadSubset(req.dataBase, 'train', req.trainImages), loadSubset(req.dataBase, 'test', req.testImages)]);
      // Undefined only for a request of cached images alone, which this is not.
      return { train: train!, test: test! };
    } finally {
      stopProgress();
    }
  }

  async open(req: LoadRequest): Promise<void> {
    this.#view = req;
    useThreadsInWorker(req.threads);
    this.#post({ type: 'status', text: 'Starting TensorFlow.js in a worker to open the model…' });
    const { report } = await startBackend('train', req.backend);
    try {
      this.#vae = await loadBundle(req);
    } catch (err) {
      if (!(err instanceof WeightsError)) throw err;
      this.#post({ type: 'loadFailed', message: err.message });
      return;
    }
    this.#openedSteps = req.steps;
    // The test images only if an earlier run left them in this browser: opening downloads nothing.
    this.#test = req.images?.test ?? (await loadSubset(req.dataBase, 'test', req.testImages, true))?.set;
    this.#post({ type: 'loaded', steps: req.steps, backendText: describeBackend(report), testImages: this.#test?.count ?? 0 });
    this.#snapshot();
  }

  async pause(): Promise<void> {
    this.#readerPaused = true;
    this.#trainer?.pause();
    // A step shared with replicas may still be under way: it ends (and is reported) first.
    await this.#inFlight;
    if (this.#trainer?.state === 'paused') {
      this.#post({ type: 'state', state: 'paused' });
      this.#snapshot();
    }
  }

  async resume(): Promise<void> {
    this.#readerPaused = false;
    const trainer = this.#trainer;
    if (trainer?.state === 'paused') {
      trainer.resume();
      this.#post({ type: 'state', state: 'running' });
    } else if (trainer?.state === 'idle') {
      await this.#run();
    }
  }

  /** One step while paused (or idle): the reader advances training by hand. */
  async step(): Promise<void> {
    const trainer = this.#trainer;
    if (!trainer || trainer.state === 'running' || trainer.state === 'stopped') return;
    try {
      this.#onStep(await this.#takeStep());
      this.#snapshot();
    } catch (err) {
      if (err instanceof ContextLostError) return this.#recover();
      if (!(err instanceof DivergedError)) throw err;
      this.#onDiverged(err);
    }
  }

  stop(): void {
    this.#trainer?.stop();
    this.#post({ type: 'state', state: 'stopped' });
    this.#snapshot();
  }

  setLearningRate(value: number): void {
    this.#trainer?.setLearningRate(value);
  }

  /** The current weights, as files. */
  async exportWeights(): Promise<void> {
    if (!this.#vae) return;
    const files = await vaeToFiles(this.#vae);
    this.#post({ type: 'weights', files }, Object.values(files).map((b) => b.buffer as ArrayBuffer));
  }

  // ——— Training ———

  async #run(): Promise<void> {
    const trainer = this.#trainer;
    if (!trainer) return;
    this.#started = performance.now();
    this.#stepsAtStart = trainer.steps;
    this.#post({ type: 'state', state: 'running' });
    try {
      await trainer.run(Number.POSITIVE_INFINITY, (report) => this.#onStep(report), () => this.#takeStep());
    } catch (err) {
      if (err instanceof ContextLostError) return this.#recover();
      if (!(err instanceof DivergedError)) throw err;
      this.#onDiverged(err);
      this.#post({ type: 'state', state: 'paused' });
      return;
    }
    // The run only ends on Stop, whose message posts the state and the last snapshot.
  }

  /** One step, shared with the replicas when there are any. */
  #takeStep(): StepReport | Promise<StepReport> {
    this.#context.check();
    const step = this.#pool.step(this.#trainer!);
    this.#inFlight = Promise.resolve(step).catch(() => undefined);
    return step;
  }

  #onStep(report: StepReport): void {
    const trainer = this.#trainer!;
    const seconds = (performance.now() - this.#started) / 1000;
    const imagesPerSec = ((report.step - this.#stepsAtStart) * trainer.options.batchSize) / Math.max(seconds, 1e-3);
    this.#post({ type: 'step', report, imagesPerSec });
    // A snapshot encodes the test images, so it waits until the gap since the last one has passed.
    if (this.#snapshots.due(report.step, (this.#view as StartRequest).snapshotEvery)) this.#snapshot();
  }

  /**
   * A diverged step changed nothing, but the update before it already gave weights whose loss is
   * not finite: go back one more update, here and in the replicas, and say so.
   */
  #onDiverged(err: DivergedError): void {
    // Non-finite numbers from a context that was lost mid-step are the GPU's fault, not the rate's.
    if (this.#context.lost) return void this.#recover();
    const restored = this.#trainer!.rollBack();
    this.#pool.rollBack();
    const text =
      `Training diverged at step ${err.step}: the ${err.what} is not a finite number. ` +
      (restored < err.step - 1
        ? `The update of step ${err.step - 1} had already thrown the weights too far, so they are back to those of step ${restored}, the last with a finite loss.`
        : `The weights are still those of step ${restored}.`) +
      ' A lower learning rate usually helps.';
    this.#post({ type: 'diverged', step: err.step, restoredStep: restored, message: text });
    this.#snapshot();
  }

  /** Moves training to wasm (or cpu) from the last copy kept off the GPU, paused; the reader resumes it. */
  async #recover(): Promise<void> {
    const view = this.#view;
    const recovered = view?.type === 'start' ? await this.#context.recover(this.#trainer!, view.spec) : (this.#trainer?.stop(), undefined);
    if (!recovered) {
      this.#post({ type: 'error', message: 'The graphics card’s WebGL context was lost before a copy of the weights could be kept off it. Press Train a new model to start again on the CPU.' });
      return;
    }
    const { vae, trainer, backendText } = recovered;
    this.#vae = vae;
    this.#trainer = trainer;
    this.#readerPaused = true;
    this.#post({
      type: 'backendLost',
      restoredStep: trainer.steps,
      backendText,
      message: `The graphics card’s WebGL context was lost during training. The weights of step ${trainer.steps}, the last copy kept off the GPU, now train on TF.js ${backendText}: press Resume or Step to go on.`,
    });
    this.#post({ type: 'state', state: 'paused' });
    this.#snapshot();
  }

  // ——— Snapshots and copies ———

  /** Sends the page a snapshot of the model as it is now; a failure is the run's error. */
  #snapshot(): void {
    const vae = this.#vae;
    const view = this.#view;
    if (!vae || !view) return;
    try {
      const taking = this.#snapshots.begin({
        vae,
        step: this.#trainer ? this.#trainer.steps : this.#openedSteps,
        sampleCodes: view.sampleCodes,
        test: this.#test,
        testLossImages: view.testLossImages,
        helpers: this.#trainer ? this.#pool.replicas : [],
      });
      // The copy of this step's weights, before the next step can change them.
      void this.#keepCopy();
      taking
        .finish()
        .then((s) => this.#post({ type: 'snapshot', snapshot: s }, [s.samples.buffer, s.codes.buffer, s.labels.buffer, ...(s.traversal ? [s.traversal.images.buffer] : [])] as ArrayBuffer[]))
        .catch((err: unknown) => this.#post({ type: 'error', message: message(err) }));
    } catch (err) {
      this.#post({ type: 'error', message: message(err) });
    }
  }

  /** Copies the weights and the trainer's state between two steps, for the page (and off the GPU). */
  async #keepCopy(): Promise<void> {
    const t = this.#trainer;
    const vae = this.#vae;
    if (this.#copying || !t || !vae || this.#context.lost || t.steps === this.#copiedStep) return;
    this.#copying = true;
    t.pause();
    try {
      const copy = await this.#context.unlessLost(this.#inFlight.then(() => Promise.all([t.checkpoint(), vaeToFiles(vae)])));
      if (!copy || this.#context.lost) return;
      const [checkpoint, files] = copy;
      this.#context.keep(checkpoint, files);
      this.#copiedStep = checkpoint.step;
      this.#post({ type: 'copy', files, checkpoint });
    } finally {
      this.#copying = false;
      // Resumed even after a lost context: the next step notices it and moves training to wasm.
      if (!this.#readerPaused && t.state === 'paused') t.resume();
    }
  }
}
