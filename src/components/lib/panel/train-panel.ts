/**
 * The <train-in-page> element of TrainInPage.astro: the panel's states (idle, starting, running,
 * paused, stopped, loaded, error) and what moves it between them. The training worker is the
 * session's (session.ts), what the panel shows is the views' (panel-views.ts), and keeping the
 * reader's model (full panel: saved in this browser, restored on the next visit, downloaded and
 * opened again) is the storage's (storage.ts). Every request to the worker and every save is
 * tracked, so `data-settled` says when the panel has done what the reader asked.
 */
import type { ModelBundle } from '../../../vae/bundle.ts';
import { weightsChecksum } from '../../../vae/bundle.ts';
import type { ModelFiles } from '../../../vae/io.ts';
import { panelTrainOptions, PANEL_SEED } from '../../../vae/panel-recipe.ts';
import type { StartRequest, TrainEvent, TrainFrom } from '../../../vae/protocol.ts';
import { chosenSpec, datasetName, getSpec } from '../../../vae/spec.ts';
import { FigureElement, failureText } from '../../figures/figure-element.ts';
import { rememberFastest } from '../engine/backend-choice.ts';
import { hasSubset } from '../engine/data-cache.ts';
import { backendPicker } from '../page/backend-picker.ts';
import type { StoredDataset } from '../page/own-store.ts';
import { ownDataset, trainedModel } from '../page/shared.ts';
import { keptGain, measuredLayout, needsMeasuring } from './parallel-gain.ts';
import { freshModel, modelFromBundle, type PanelModel } from './panel-model.ts';
import { PanelViews } from './panel-views.ts';
import { TrainingSession } from './session.ts';
import { ModelStorage, type OpenedHow } from './storage.ts';
import { TrainBadge } from './train-badge.ts';
import { loadRequest, startRequest, trainingLayout, type PanelSizes } from './train-requests.ts';
import { DEFAULTS, SHORT_PANEL_KL_WARMUP_STEPS, wireSettings, type PanelSettings } from './train-settings.ts';

declare global {
  interface Window {
    /** Test-only: the loss of every training step, with `?testhooks` in the URL. */
    latentLabTrainLosses?: number[];
  }
}
if (new URLSearchParams(location.search).has('testhooks')) window.latentLabTrainLosses = [];

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

class TrainInPage extends FigureElement {
  #model: PanelModel | undefined;
  #views = new PanelViews(this);
  #settings: PanelSettings = { ...DEFAULTS };
  #session = new TrainingSession({ event: (e) => this.#onEvent(e), lost: (why) => this.#lost(why) });
  #storage = new ModelStorage(null);
  #badge: TrainBadge | undefined;
  /**
   * What Continue training starts from: the last copy of the weights (and the trainer's state)
   * that the worker sent, or the model that was opened. It outlives the worker.
   */
  #from: TrainFrom | undefined;
  /** Counts what replaces the panel's model, so a run that waited knows it was overtaken. */
  #generation = 0;
  /** Settles the full panel's first look for a model kept from an earlier visit. */
  #looked: () => void = () => {};

  /** The reader's own dataset (own panel only), as the page's "your own data" figure last gave it. */
  #ownSet: StoredDataset | undefined;
  /** Said when the run starts: the batch was cut to the reader's training images. */
  #batchNote = '';
  /** The own panel's code, loaded when it starts (the other panels never load it). */
  #ownKit: typeof import('./own-data-panel.ts') | undefined;

  get #full(): boolean {
    return this.dataset['full'] !== undefined;
  }

  /** Whether this panel trains on the reader's own dataset rather than the site's. */
  get #own(): boolean {
    return this.dataset['own'] !== undefined;
  }

  get #sizes(): PanelSizes {
    const testLossImages = Number(this.dataset['testLossImages'] ?? 0);
    if (this.#ownKit && this.#ownSet) return this.#ownKit.ownSizes(this.#ownSet, testLossImages);
    return { trainImages: Number(this.dataset['images'] ?? 10000), testImages: Number(this.dataset['testImages'] ?? 1000), testLossImages };
  }

  /** The images the workers get: the reader's own (own panel), else none (they fetch the site's). */
  get #images(): StartRequest['images'] {
    return this.#ownKit && this.#ownSet ? this.#ownKit.ownImages(this.#ownSet) : undefined;
  }

  protected override setup(): void {
    // A new backend applies to the next run.
    backendPicker(this.el<HTMLSelectElement>('backend'), 'train', () => {}, this.signal);
    const rate = this.el<HTMLSelectElement>('learning-rate');
    this.listen(rate, 'change', () => this.#session.setLearningRate(Number(rate.value)));
    for (const button of this.querySelectorAll<HTMLButtonElement>('[data-action]')) this.listen(button, 'click', () => this.#act(button.dataset['action']!));
    this.#badge = new TrainBadge(this, () => this.#act('pause'));
    this.#views.connect();
    this.cleanup(() => {
      this.#session.dispose();
      this.#views.disconnect();
      this.#badge?.disconnect();
    });
    if (!this.#full) return;
    this.#storage = new ModelStorage(this.maybeEl('model-note'));
    this.#settings = wireSettings(this, this.signal, (name) => {
      if (name === 'dataset') this.#datasetChosen();
    });
    // The own panel's dataset is the reader's (own-data-panel.ts), shown once it starts.
    if (this.#own) this.#settings.dataset = 'own';
    else this.#datasetChosen();
    const file = this.el<HTMLInputElement>('import');
    this.listen(file, 'change', () => {
      const chosen = file.files?.[0];
      file.value = '';
      if (chosen) void this.track(this.#import(chosen));
    });
    // Unsettled until it has looked for a model kept from an earlier visit, once near the viewport.
    void this.track(new Promise<void>((resolve) => (this.#looked = resolve)));
  }

  /**
   * The panel loads nothing until the reader trains: coming near, the full panel only opens the
   * model this browser kept, if any. Its status line keeps inviting the reader meanwhile.
   */
  protected override async run(): Promise<void> {
    try {
      await this.track(this.start());
    } catch (err) {
      this.#storage.say(failureText('The model this browser kept could not be opened', err), 'error');
    } finally {
      this.#looked();
    }
  }

  protected override async start(): Promise<void> {
    if (!this.#full) return;
    if (!this.#own) return this.#restore();
    const kit = await import('./own-data-panel.ts');
    this.#ownKit = kit;
    this.#storage = new ModelStorage(this.maybeEl('model-note'), kit.ownSlot(() => this.#ownSet));
    // The own panel restores its model once the page has the dataset it was trained on: the
    // figure that prepares it hands it over, or, on a page without one, this browser's slot.
    await kit.keptDatasetInto(ownDataset);
    this.cleanup(ownDataset.subscribe((set) => this.#ownChanged(set)));
    void this.track(this.#describeDownload());
  }

  /**
   * The reader's dataset arrived, changed or was forgotten: a model trained on other data is
   * gone (own-store.ts forgot it with the old dataset), and the kept model of this one opens.
   */
  #ownChanged(set: StoredDataset | undefined): void {
    if (set?.prepared === this.#ownSet?.prepared) return;
    this.#ownSet = set;
    // Train waits for a dataset.
    this.#state(this.dataset['state'] ?? 'idle');
    this.#views.legend(set?.labelled ? set.classes : []);
    // A model of the old dataset no longer describes this one, here or in the page's other figures.
    if (trainedModel.get()?.spec.dataset === 'own') trainedModel.set(undefined);
    if (this.#model) {
      this.#generation++;
      this.#session.end();
      this.#model = undefined;
      this.#from = undefined;
      for (const key of ['weights', 'saved', 'divergedStep', 'restored']) delete this.dataset[key];
      this.#views.clear();
      this.#state('idle');
    }
    void this.track(this.#describeDownload());
    if (set) void this.track(this.#restore());
  }

  #state(state: string): void {
    this.dataset['state'] = state;
    // A run's model exists from its start (at step 0 it is the random initial one).
    const hasModel = this.#model !== undefined && (['running', 'paused', 'stopped', 'loaded'].includes(state) || (state === 'error' && this.#from !== undefined));
    this.#views.controls(state, hasModel, this.#from !== undefined && this.#model !== undefined, !this.#own || this.#ownSet !== undefined);
    // A silent worker while it should be stepping is one that may have died.
    this.#session.watch(state === 'running');
    this.#badge?.update();
  }

  #act(action: string): void {
    const session = this.#session;
    const work: Record<string, () => Promise<void>> = {
      train: () => this.#start(),
      continue: () => this.#start(this.#from),
      pause: () => (this.dataset['state'] === 'paused' ? session.resume() : session.pause()),
      step: () => session.step(),
      stop: () => session.stop(),
      use: () => this.#handOver(),
      export: () => this.#export(),
      forget: () => this.#forget(),
    };
    if (Object.hasOwn(work, action)) void this.track(work[action]!());
  }

  // ——— Settings (full panel) ———

  /** The scatter's legend and the download Train needs follow the chosen dataset. */
  #datasetChosen(): void {
    this.#views.legend((JSON.parse(this.dataset['classes'] ?? '{}') as Record<string, string[]>)[this.#settings.dataset] ?? []);
    void this.track(this.#describeDownload());
  }

  /** Before a run: how many images Train will use, and whether they must be downloaded. */
  async #describeDownload(): Promise<void> {
    if (this.#own) {
      if (this.#model || !this.#ownKit) return;
      this.dataset['dataCached'] = 'true';
      return this.status(this.#ownKit.ownInvitation(this.#ownSet));
    }
    const { dataset } = this.#settings;
    const { trainImages, testImages } = this.#sizes;
    const cached = (await hasSubset(`data/${dataset}`, 'train', trainImages)) && (await hasSubset(`data/${dataset}`, 'test', testImages));
    if (this.#model) return;
    this.dataset['dataCached'] = String(cached);
    const base = `Press Train to train a fresh VAE on ${trainImages.toLocaleString('en')} ${datasetName(dataset)} images, in background threads of this page.`;
    this.status(
      cached
        ? `${base} Its images are already kept in this browser from an earlier run: nothing to download.`
        : `${base} It first downloads about ${this.dataset['megabytes']} MB of images; this browser then keeps them, so a second run downloads nothing.`,
    );
  }

  // ——— Training ———

  /**
   * The training worker died (an uncaught error, or silence) or failed. Nothing else on the page
   * depends on it, and the last copy of the weights it sent is kept: saved in this browser (full
   * panel), usable in the figures, and the start of Continue training.
   */
  #lost(what: string): void {
    const why = what.replace(/\.$/, '');
    this.#session.end();
    const model = this.#model;
    const from = this.#from;
    if (!model || !from) {
      this.status(`${why}. Nothing else on the page is affected; press Train a new model to start again.`);
      return this.#state('error');
    }
    const reached = model.steps;
    this.#views.rolledBack(model, from.steps);
    this.dataset['weights'] = weightsChecksum(from.files);
    this.dataset['lostAt'] = String(reached);
    this.status(
      `${why}, at step ${reached}. Nothing else on the page is affected, and your model is safe: ` +
        `the weights of step ${from.steps}, the last copy this page kept. Press Continue to go on from them, or use or download them.`,
    );
    this.#state('error');
    void this.track(this.#keep(from.files));
  }

  /** Trains a fresh model, or (Continue training) the current one on from `from`. */
  async #start(from?: TrainFrom): Promise<void> {
    if (this.#own && !this.#ownSet) return this.#describeDownload();
    const generation = ++this.#generation;
    this.#session.end();
    for (const key of ['divergedStep', 'weights', 'lostAt']) delete this.dataset[key];
    const full = this.#full;
    const learningRate = full ? this.#settings.learningRate : Number(this.el<HTMLSelectElement>('learning-rate').value);
    const kept = from ? this.#model : undefined;
    if (kept) {
      // The same model, whatever the settings say now; only the learning rate is the reader's.
      kept.learningRate = learningRate;
      kept.batchSize ??= full ? this.#settings.batchSize : 64;
    } else {
      const chosen = full ? chosenSpec(this.#settings) : { ...getSpec('mnist-conv-z2'), id: 'yours', title: 'Your model' };
      // The own panel's network takes the reader's image shape (28 × 28 grey or 32 × 32 colour).
      const spec = this.#ownKit && this.#ownSet ? this.#ownKit.ownSpec(chosen, this.#ownSet) : chosen;
      this.#model = freshModel(spec, full ? this.#settings.batchSize : 64, learningRate);
      this.#views.clear();
    }
    this.#from = from;
    // A dataset of the reader's with fewer training images than one batch trains on all of them in each batch.
    const fewer = this.#own ? this.#sizes.trainImages : Infinity;
    this.#batchNote = this.#model!.batchSize! > fewer ? ` Your ${fewer} training images are fewer than one batch of ${this.#model!.batchSize}, so each batch holds all of them.` : '';
    if (this.#batchNote) this.#model!.batchSize = fewer;
    const { spec, batchSize } = this.#model!;
    this.dataset['batch'] = String(batchSize);
    // The full panel trains as Node repeats it (warm-up and free bits as the reader set them);
    // chapter 1's always warms the KL weight up.
    const options = full
      ? panelTrainOptions({ ...this.#settings, learningRate, batchSize: batchSize! })
      : { batchSize: batchSize!, learningRate, seed: PANEL_SEED, klWarmupSteps: SHORT_PANEL_KL_WARMUP_STEPS };
    this.#model!.freeBits = options.freeBits ?? 0;
    this.#state('starting');
    if (needsMeasuring()) this.status('Measuring how much work this device does in parallel, to choose how many workers train…');
    const layout = await measuredLayout();
    // Forgotten, opened over or left while measuring: that run is not wanted any more.
    if (generation !== this.#generation || !this.isConnected) return;
    await this.#session.start(startRequest(spec, options, this.#sizes, layout, from, this.#images));
  }

  #onEvent(event: TrainEvent): void {
    switch (event.type) {
      case 'status':
        return this.status(event.text);
      case 'ready':
        return this.#onReady(event);
      case 'step':
        this.#views.step(this.#model!, event.report, event.imagesPerSec);
        this.#badge?.update();
        // Test-only (?testhooks): every step's exact loss, to compare runs.
        window.latentLabTrainLosses?.push(event.report.loss);
        return;
      case 'snapshot':
        return this.#views.snapshot(this.#model, event.snapshot);
      case 'state':
        this.#state(event.state === 'idle' ? 'paused' : event.state);
        if (event.state === 'paused' || event.state === 'stopped') void this.track(this.#keep());
        return;
      case 'weights':
        this.dataset['weights'] = weightsChecksum(event.files);
        return;
      case 'copy':
        this.#from = { files: event.files, steps: event.checkpoint.step, checkpoint: event.checkpoint };
        this.dataset['copyStep'] = String(event.checkpoint.step);
        return;
      case 'diverged':
        this.dataset['divergedStep'] = String(event.step);
        this.#views.rolledBack(this.#model!, event.restoredStep);
        return this.status(`${event.message} Pick a lower learning rate, then Resume or Step.`);
      case 'backendLost':
        this.#views.rolledBack(this.#model!, event.restoredStep);
        this.dataset['backendLost'] = event.backendText;
        return this.status(event.message);
      case 'error':
        return this.#lost(`Training failed: ${event.message}`);
      case 'pong':
      case 'loaded':
      case 'loadFailed':
        return;
    }
  }

  #onReady(event: Extract<TrainEvent, { type: 'ready' }>): void {
    const fastest = event.probe?.[0];
    if (event.how === 'measured' && fastest) rememberFastest('train', fastest.backend);
    if (this.#model) this.#model.trainImages = event.trainImages;
    this.status(this.#views.ready(event, this.#full) + this.#batchNote);
  }

  /** The worker's current weights, as files; once the worker is gone, the copy it left. */
  #weights(): Promise<ModelFiles> {
    if (!this.#session.active && this.#from) return Promise.resolve(this.#from.files);
    return this.#session.weights();
  }

  async #handOver(): Promise<void> {
    const model = this.#model!;
    let files: ModelFiles;
    try {
      files = await this.#weights();
    } catch {
      return; // The worker was ended meanwhile: a new run, or another model, replaced this one.
    }
    trainedModel.set({ spec: model.spec, files, step: model.steps });
    const { spec } = model;
    // The own-data explorer shows any of the reader's models; the manifold figures only 2-D MNIST ones.
    const fits = this.#own || (spec.dataset === 'mnist' && spec.latentDim === 2 && spec.kind === 'vae');
    this.status(
      fits
        ? `Your model (step ${model.steps}) is now shown in the figures on this page.`
        : `Your model (step ${model.steps}) is offered to the figures on this page; the latent manifold draws only 2-D MNIST models, so it keeps the pretrained one.`,
    );
  }

  // ——— Keeping the model (full panel) ———

  get #unchanged(): string {
    return this.#model ? ' Your current model is unchanged.' : '';
  }

  /** Saves the current model in this browser (after a pause or stop, and on download). */
  async #keep(files?: ModelFiles): Promise<void> {
    const model = this.#model;
    if (!this.#full || !model || model.steps === 0) return;
    let weights: ModelFiles;
    try {
      weights = files ?? (await this.#weights());
    } catch {
      return; // The worker was ended meanwhile: what replaced its model is kept in its turn.
    }
    const saved = await this.#storage.keep(model, weights);
    if (saved) this.dataset['saved'] = saved;
  }

  async #export(): Promise<void> {
    const model = this.#model!;
    try {
      const files = await this.#weights();
      const file = this.#storage.download(model, files);
      await this.#keep(files);
      this.#storage.downloaded(file);
    } catch (err) {
      this.#storage.say(`Your model could not be downloaded: ${message(err)}.`, 'error');
    }
  }

  async #forget(): Promise<void> {
    this.#generation++;
    this.#session.end();
    this.#model = undefined;
    this.#from = undefined;
    for (const key of ['weights', 'saved', 'divergedStep', 'restored']) delete this.dataset[key];
    this.#views.clear();
    trainedModel.set(undefined);
    this.#state('idle');
    void this.track(this.#describeDownload());
    await this.#storage.forget();
  }

  async #restore(): Promise<void> {
    const bundle = await this.#storage.kept(() => this.#model === undefined);
    if (!bundle) return;
    this.#storage.opening(bundle, 'restored', '');
    await this.#open(bundle, 'restored');
  }

  async #import(file: File): Promise<void> {
    const bundle = await this.#storage.read(file, this.#unchanged);
    if (!bundle) return;
    this.#storage.opening(bundle, 'imported', file.name);
    await this.#open(bundle, 'imported', file.name);
  }

  /** Loads a bundle in a new worker; it becomes the panel's model only once it has loaded. */
  async #open(bundle: ModelBundle, how: OpenedHow, name = ''): Promise<void> {
    const opened = await this.#session.open(loadRequest(bundle, this.#sizes, trainingLayout(keptGain()).threads, this.#images));
    if (!opened.ok) return this.#storage.openFailed(how, name, opened.message, opened.crashed, this.#unchanged);
    // The reader started training while the kept model was opening: theirs wins.
    if (how === 'restored' && this.#model) return opened.discard();
    // Opening a model ends whatever the panel held, training included.
    this.#generation++;
    this.#model = modelFromBundle(bundle);
    const { spec, meta } = bundle;
    this.#views.opened(this.#model);
    this.#from = { files: bundle.files, steps: meta.steps };
    this.dataset['weights'] = weightsChecksum(bundle.files);
    this.dataset['restored'] = how;
    const what = `${spec.title.replace(/^Your /, '')}, ${meta.steps} steps`;
    this.status(
      `${how === 'restored' ? 'Your model' : 'The model you opened'} (${what}) is loaded, on TF.js ${opened.loaded.backendText}. ` +
        'Continue trains it further (its optimiser starts afresh); Train a new model starts again from scratch.',
    );
    this.#storage.opened(bundle, how, name, what);
    trainedModel.set({ spec, files: bundle.files, step: meta.steps });
    // The opening worker becomes the session's (ending the one that trained), then shows its snapshot.
    opened.adopt();
    this.#state('loaded');
  }
}

customElements.define('train-in-page', TrainInPage);
