/**
 * The <train-in-page> element of TrainInPage.astro. It starts the training worker, passes what
 * the worker sends to the panel's views, and (full panel) keeps the model: saved in this
 * browser when training pauses or stops, restored on the next visit, downloaded as one file and
 * opened again. A model being opened gets a worker of its own, which replaces the current one
 * only once the model has loaded, so a bad file changes nothing.
 */
import { BundleError, decodeBundle, encodeBundle, weightsChecksum, type ModelBundle } from '../../../vae/bundle.ts';
import type { ModelFiles } from '../../../vae/io.ts';
import { describeProbe } from '../../../vae/probe-result.ts';
import type { TrainEvent, TrainFrom } from '../../../vae/protocol.ts';
import { PANEL_SEED } from '../../../vae/panel-recipe.ts';
import { chosenSpec, getSpec } from '../../../vae/spec.ts';
import { rememberFastest, backendPlan, saveChoice } from '../engine/backend-choice.ts';
import type { BackendChoice } from '../engine/backend-setup.ts';
import { hasSubset } from '../engine/data-cache.ts';
import { whenNear } from '../page/lazy.ts';
import { bundleOf, downloadBundle, freshModel, modelFromBundle, type PanelModel } from './panel-model.ts';
import { PanelViews } from './panel-views.ts';
import { forgetModel, saveModel, savedModel } from '../page/saved-model.ts';
import { trainedModel } from '../page/shared.ts';
import { TrainBadge } from './train-badge.ts';
import { Watchdog } from './watchdog.ts';
import { loadRequest, startRequest, type PanelSizes } from './train-requests.ts';
import { DEFAULTS, SHORT_PANEL_KL_WARMUP_STEPS, settingsFromUrl, settingToUrl, type PanelSettings } from './train-settings.ts';

declare global {
  interface Window {
    /** Test-only: the loss of every training step, with `?testhooks` in the URL. */
    latentLabTrainLosses?: number[];
  }
}
if (new URLSearchParams(location.search).has('testhooks')) window.latentLabTrainLosses = [];

const time = (iso: string) => new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const DATASETS: Record<string, string> = { mnist: 'MNIST', fashion: 'Fashion-MNIST' };

class TrainInPage extends HTMLElement {
  #worker: Worker | undefined;
  #model: PanelModel | undefined;
  #views = new PanelViews(this);
  #settings: PanelSettings = { ...DEFAULTS };
  #weightWaiters: ((files: ModelFiles) => void)[] = [];
  /** Workers opening a model, with what they open. */
  #opening = new Map<Worker, { bundle: ModelBundle; how: 'restored' | 'imported'; name: string }>();
  #stopObserving: () => void = () => {};
  #badge: TrainBadge | undefined;
  /**
   * What Continue training starts from: the last copy of the weights (and the trainer's state)
   * that the worker sent, or the model that was opened. It outlives the worker.
   */
  #from: TrainFrom | undefined;
  #watchdog = new Watchdog(() => this.#lost('The training worker stopped responding'), () => this.#worker?.postMessage({ type: 'ping' }));

  get #full(): boolean {
    return this.dataset['full'] !== undefined;
  }

  get #sizes(): PanelSizes {
    return { trainImages: Number(this.dataset['images'] ?? 10000), testImages: Number(this.dataset['testImages'] ?? 1000), testLossImages: Number(this.dataset['testLossImages'] ?? 0) };
  }

  connectedCallback(): void {
    const backend = this.querySelector<HTMLSelectElement>('[data-backend]')!;
    backend.value = backendPlan('train').choice;
    backend.addEventListener('change', () => saveChoice('train', backend.value as BackendChoice));
    const rate = this.querySelector<HTMLSelectElement>('[data-learning-rate]')!;
    rate.addEventListener('change', () => this.#worker?.postMessage({ type: 'learningRate', value: Number(rate.value) }));
    for (const button of this.querySelectorAll<HTMLButtonElement>('[data-action]')) {
      button.addEventListener('click', () => this.#act(button.dataset['action']!));
    }
    this.#badge = new TrainBadge(this, () => this.#act('pause'));
    this.#views.connect();
    if (!this.#full) return;
    this.#wireSettings();
    const file = this.querySelector<HTMLInputElement>('[data-import]')!;
    file.addEventListener('change', () => {
      const chosen = file.files?.[0];
      file.value = '';
      if (chosen) void this.#import(chosen);
    });
    // A model kept from an earlier visit opens when the panel comes near: it needs TF.js.
    this.#stopObserving = whenNear(this, () => void this.#restore());
  }

  disconnectedCallback(): void {
    this.#stopObserving();
    this.#watchdog.stop();
    this.#views.disconnect();
    this.#badge?.disconnect();
    this.#worker?.terminate();
    for (const worker of this.#opening.keys()) worker.terminate();
  }

  #button(action: string): HTMLButtonElement | null {
    return this.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
  }

  #status(text: string): void {
    this.querySelector('[data-status]')!.textContent = text;
  }

  /** The note about the kept model (full panel): restores, saves, imports and their failures. */
  #note(text: string, kind: 'info' | 'error' = 'info'): void {
    const note = this.querySelector<HTMLElement>('[data-model-note]');
    if (!note) return;
    note.textContent = text;
    note.dataset['kind'] = kind;
  }

  #state(state: string): void {
    this.dataset['state'] = state;
    const running = state === 'running';
    const paused = state === 'paused';
    // A run's model exists from its start (at step 0 it is the random initial one).
    const hasModel = this.#model !== undefined && (['running', 'paused', 'stopped', 'loaded'].includes(state) || (state === 'error' && this.#from !== undefined));
    // After Stop, a failure or opening a model, Train starts over with a fresh model and worker.
    const fresh = state === 'stopped' || state === 'error' || state === 'loaded';
    const train = this.#button('train')!;
    train.disabled = !(state === 'idle' || fresh);
    train.textContent = fresh ? 'Train a new model' : 'Train';
    this.#button('pause')!.disabled = !(running || paused);
    this.#button('pause')!.textContent = paused ? 'Resume' : 'Pause';
    this.#button('step')!.disabled = !paused;
    this.#button('stop')!.disabled = !(running || paused);
    this.#button('use')!.disabled = !hasModel;
    this.#button('continue')!.disabled = !(this.#from && this.#model && (state === 'stopped' || state === 'error' || state === 'loaded'));
    // A silent worker while it should be stepping is one that may have died.
    this.#watchdog.watch(running);
    const exporter = this.#button('export');
    if (exporter) exporter.disabled = !hasModel;
    // What the model is can change only between runs; the learning rate at any time.
    const busy = running || paused || state === 'starting';
    for (const select of this.querySelectorAll<HTMLSelectElement>('[data-setting]')) {
      if (select.dataset['setting'] !== 'learningRate') select.disabled = busy;
    }
    this.#badge?.update();
  }

  #act(action: string): void {
    if (action === 'train') return this.#start();
    if (action === 'continue') return this.#start(this.#from);
    if (action === 'pause') return this.#worker?.postMessage({ type: this.dataset['state'] === 'paused' ? 'resume' : 'pause' });
    if (action === 'step') {
      this.#watchdog.expectReply();
      return this.#worker?.postMessage({ type: 'step' });
    }
    if (action === 'stop') return this.#worker?.postMessage({ type: 'stop' });
    if (action === 'use') return void this.#handOver();
    if (action === 'export') return void this.#export();
    if (action === 'forget') return void this.#forget();
  }

  // ——— Settings (full panel) ———

  #wireSettings(): void {
    const { settings, notes } = settingsFromUrl();
    this.#settings = settings;
    for (const select of this.querySelectorAll<HTMLSelectElement>('[data-setting]')) {
      const name = select.dataset['setting'] as keyof PanelSettings;
      select.value = String(settings[name]);
      select.addEventListener('change', () => {
        const value = name === 'dataset' || name === 'arch' ? select.value : Number(select.value);
        (this.#settings as unknown as Record<string, unknown>)[name] = value;
        settingToUrl(name, value as never);
        if (name === 'dataset') {
          this.#legend();
          void this.#describeDownload();
        }
      });
    }
    if (notes.length > 0) {
      const note = this.querySelector<HTMLElement>('[data-url-note]')!;
      note.hidden = false;
      note.textContent = notes.join(' ');
    }
    this.#legend();
    void this.#describeDownload();
  }

  #legend(): void {
    this.#views.legend((JSON.parse(this.dataset['classes'] ?? '{}') as Record<string, string[]>)[this.#settings.dataset] ?? []);
  }

  /** Before a run: how many images Train will use, and whether they must be downloaded. */
  async #describeDownload(): Promise<void> {
    const { dataset } = this.#settings;
    const { trainImages, testImages } = this.#sizes;
    const cached = (await hasSubset(`data/${dataset}`, 'train', trainImages)) && (await hasSubset(`data/${dataset}`, 'test', testImages));
    if (this.#model) return;
    this.dataset['dataCached'] = String(cached);
    const base = `Press Train to train a fresh VAE on ${trainImages.toLocaleString('en')} ${DATASETS[dataset]} images, in background threads of this page.`;
    this.#status(
      cached
        ? `${base} Its images are already kept in this browser from an earlier run: nothing to download.`
        : `${base} It first downloads about ${this.dataset['megabytes']} MB of images; this browser then keeps them, so a second run downloads nothing.`,
    );
  }

  // ——— Training ———

  #spawn(): Worker {
    const worker = new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<TrainEvent>) => {
      if (worker === this.#worker) this.#watchdog.heard(e.data.type === 'step');
      this.#onEvent(worker, e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      const why = e.message || 'it could not be loaded';
      if (this.#opening.delete(worker)) return this.#note(`The model could not be opened: the worker stopped (${why}).${this.#unchanged}`, 'error');
      if (worker === this.#worker) this.#lost(`The training worker stopped unexpectedly (${why})`);
    };
    return worker;
  }

  /**
   * The training worker died (an uncaught error, or silence) or failed. Nothing else on the page
   * depends on it, and the last copy of the weights it sent is kept: saved in this browser (full
   * panel), usable in the figures, and the start of Continue training.
   */
  #lost(what: string): void {
    const why = what.replace(/\.$/, '');
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#watchdog.stop();
    const model = this.#model;
    const from = this.#from;
    if (!model || !from) {
      this.#status(`${why}. Nothing else on the page is affected; press Train a new model to start again.`);
      return this.#state('error');
    }
    const reached = model.steps;
    this.#views.rolledBack(model, from.steps);
    this.dataset['weights'] = weightsChecksum(from.files);
    this.dataset['lostAt'] = String(reached);
    this.#status(
      `${why}, at step ${reached}. Nothing else on the page is affected, and your model is safe: ` +
        `the weights of step ${from.steps}, the last copy this page kept. Press Continue to go on from them, or use or download them.`,
    );
    this.#state('error');
    void this.#keep(from.files);
  }

  /** Trains a fresh model, or (Continue training) the current one on from `from`. */
  #start(from?: TrainFrom): void {
    this.#worker?.terminate();
    for (const key of ['divergedStep', 'weights', 'lostAt']) delete this.dataset[key];
    const full = this.#full;
    const learningRate = full ? this.#settings.learningRate : Number(this.querySelector<HTMLSelectElement>('[data-learning-rate]')!.value);
    const kept = from ? this.#model : undefined;
    if (kept) {
      // The same model, whatever the settings say now; only the learning rate is the reader's.
      kept.learningRate = learningRate;
      kept.batchSize ??= full ? this.#settings.batchSize : 64;
    } else {
      const spec = full ? chosenSpec(this.#settings) : { ...getSpec('mnist-conv-z2'), id: 'yours', title: 'Your model' };
      this.#model = freshModel(spec, full ? this.#settings.batchSize : 64, learningRate);
      this.#views.clear();
    }
    this.#from = from;
    const { spec, batchSize } = this.#model!;
    // The full panel shows the loss terms as they are; chapter 1's warms the KL weight up.
    const options = { batchSize: batchSize!, learningRate, seed: PANEL_SEED, ...(full ? {} : { klWarmupSteps: SHORT_PANEL_KL_WARMUP_STEPS }) };
    this.#worker = this.#spawn();
    this.#state('starting');
    this.#worker.postMessage(startRequest(spec, options, this.#sizes, from));
  }

  #onEvent(worker: Worker, event: TrainEvent): void {
    if (worker !== this.#worker) return this.#onOpening(worker, event);
    switch (event.type) {
      case 'status':
        return this.#status(event.text);
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
        if (event.state === 'paused' || event.state === 'stopped') void this.#keep();
        return;
      case 'weights':
        this.dataset['weights'] = weightsChecksum(event.files);
        this.#weightWaiters.shift()?.(event.files);
        return;
      case 'copy':
        this.#from = { files: event.files, steps: event.checkpoint.step, checkpoint: event.checkpoint };
        this.dataset['copyStep'] = String(event.checkpoint.step);
        return;
      case 'pong':
        return;
      case 'diverged':
        this.dataset['divergedStep'] = String(event.step);
        this.#views.rolledBack(this.#model!, event.restoredStep);
        return this.#status(`${event.message} Pick a lower learning rate, then Resume or Step.`);
      case 'backendLost':
        this.#views.rolledBack(this.#model!, event.restoredStep);
        this.dataset['backendLost'] = event.backendText;
        return this.#status(event.message);
      case 'error':
        return this.#lost(`Training failed: ${event.message}`);
      case 'loaded':
      case 'loadFailed':
        return;
    }
  }

  #onReady(event: Extract<TrainEvent, { type: 'ready' }>): void {
    const fastest = event.probe?.[0];
    if (event.how === 'measured' && fastest) rememberFastest('train', fastest.backend);
    const why =
      event.how === 'measured' && event.probe
        ? `measured fastest here (${describeProbe(event.probe, 'ms per image')})`
        : event.how === 'remembered'
          ? 'measured fastest on this device before'
          : 'as you chose';
    this.dataset['activeBackend'] = event.backend;
    this.dataset['workers'] = String(event.workers);
    this.dataset['kernelLoops'] = event.loops ?? '';
    this.dataset['dataCached'] = String(event.data.fromCache);
    if (this.#model) this.#model.trainImages = event.trainImages;
    const where = event.workers > 1 ? `${event.workers} background workers that share each batch` : 'a background worker';
    const data = !this.#full
      ? ''
      : event.data.fromCache
        ? ' The images came from this browser’s cache: nothing was downloaded.'
        : ` The images were downloaded (${(event.data.bytes / 1e6).toFixed(1)} MB) and this browser keeps them, so the next run downloads nothing.`;
    this.#status(`Training on ${event.trainImages.toLocaleString('en')} images in ${where}, on TF.js ${event.backendText}, ${why}.${data}`);
  }

  /** The worker's current weights, as files; once the worker is gone, the copy it left. */
  #weights(): Promise<ModelFiles> {
    if (!this.#worker && this.#from) return Promise.resolve(this.#from.files);
    return new Promise((resolve) => {
      this.#weightWaiters.push(resolve);
      this.#worker?.postMessage({ type: 'export' });
    });
  }

  async #handOver(): Promise<void> {
    const model = this.#model!;
    const files = await this.#weights();
    trainedModel.set({ spec: model.spec, files, step: model.steps });
    const { spec } = model;
    const fits = spec.dataset === 'mnist' && spec.latentDim === 2 && spec.kind === 'vae';
    this.#status(
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
    if (!this.#full || !this.#model || this.#model.steps === 0) return;
    const bundle = bundleOf(this.#model, files ?? (await this.#weights()));
    try {
      await saveModel(encodeBundle(bundle));
      this.dataset['saved'] = bundle.meta.savedAt;
      this.#note(`This browser keeps your model (step ${bundle.meta.steps}, saved ${time(bundle.meta.savedAt)}): it will still be here after a reload.`);
    } catch (err) {
      this.#note(`Your model could not be kept in this browser (${message(err)}); download it to keep it.`, 'error');
    }
  }

  async #export(): Promise<void> {
    const files = await this.#weights();
    const file = downloadBundle(bundleOf(this.#model!, files));
    await this.#keep(files);
    this.#note(`Downloaded ${file.name} (${(file.bytes / 1e6).toFixed(1)} MB): open it here, in any browser, with “Open a model file”. This browser keeps a copy too.`);
  }

  async #forget(): Promise<void> {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#model = undefined;
    this.#from = undefined;
    this.#weightWaiters = [];
    for (const key of ['weights', 'saved', 'divergedStep', 'restored']) delete this.dataset[key];
    this.#views.clear();
    trainedModel.set(undefined);
    this.#state('idle');
    void this.#describeDownload();
    try {
      await forgetModel();
      this.#note('Forgotten: your model is gone from this page and from this browser’s storage.');
    } catch (err) {
      this.#note(`Your model is gone from this page, but this browser’s copy could not be removed: ${message(err)}.`, 'error');
    }
  }

  async #restore(): Promise<void> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await savedModel();
    } catch {
      return; // No storage here: nothing was kept either.
    }
    if (!bytes || this.#model) return;
    let bundle: ModelBundle;
    try {
      bundle = decodeBundle(bytes);
    } catch (err) {
      this.#note(`The model this browser kept could not be read (${message(err)}). Forget my model removes it.`, 'error');
      return;
    }
    this.#note(`Opening your model from ${time(bundle.meta.savedAt)}…`);
    this.#open(bundle, 'restored');
  }

  async #import(file: File): Promise<void> {
    let bundle: ModelBundle;
    try {
      bundle = decodeBundle(new Uint8Array(await file.arrayBuffer()));
      if (bundle.spec.kind !== 'vae') throw new BundleError(`It holds a ${bundle.spec.kind === 'cvae' ? 'conditional VAE' : 'plain autoencoder'}; this panel shows VAEs.`);
    } catch (err) {
      this.#note(`Could not open ${file.name}: ${message(err)}${this.#unchanged}`, 'error');
      return;
    }
    this.#note(`Opening ${file.name}…`);
    this.#open(bundle, 'imported', file.name);
  }

  /** Loads a bundle in a new worker; it becomes the panel's model only once it has loaded. */
  #open(bundle: ModelBundle, how: 'restored' | 'imported', name = ''): void {
    const worker = this.#spawn();
    this.#opening.set(worker, { bundle, how, name });
    worker.postMessage(loadRequest(bundle, this.#sizes));
  }

  /** Events of a worker that is opening a model: it replaces the current one once loaded. */
  #onOpening(worker: Worker, event: TrainEvent): void {
    const opening = this.#opening.get(worker);
    if (!opening || (event.type !== 'loaded' && event.type !== 'loadFailed' && event.type !== 'error')) return;
    this.#opening.delete(worker);
    const { bundle, how, name } = opening;
    if (event.type !== 'loaded') {
      worker.terminate();
      return this.#note(
        how === 'restored' ? `The model this browser kept could not be opened: ${event.message} Forget my model removes it.` : `Could not open ${name}: ${event.message}${this.#unchanged}`,
        'error',
      );
    }
    // The reader started training while the kept model was opening: theirs wins.
    if (how === 'restored' && this.#model) return worker.terminate();
    // Opening a model ends whatever the panel held, training included.
    this.#worker?.terminate();
    this.#worker = worker;
    this.#weightWaiters = [];
    this.#model = modelFromBundle(bundle);
    const { spec, meta } = bundle;
    this.#views.opened(this.#model);
    this.#from = { files: bundle.files, steps: meta.steps };
    this.dataset['weights'] = weightsChecksum(bundle.files);
    this.dataset['restored'] = how;
    this.#state('loaded');
    const what = `${spec.title.replace(/^Your /, '')}, ${meta.steps} steps`;
    this.#status(
      `${how === 'restored' ? 'Your model' : 'The model you opened'} (${what}) is loaded, on TF.js ${event.backendText}. ` +
        'Continue trains it further (its optimiser starts afresh); Train a new model starts again from scratch.',
    );
    this.#note(how === 'restored' ? `Your model from ${time(meta.savedAt)}, ${meta.steps} steps, is loaded.` : `Opened ${name}: ${what}, saved ${time(meta.savedAt)}. This browser now keeps it as your model.`);
    trainedModel.set({ spec, files: bundle.files, step: meta.steps });
    if (how === 'imported') void saveModel(encodeBundle(bundle)).catch(() => undefined);
  }
}

customElements.define('train-in-page', TrainInPage);
