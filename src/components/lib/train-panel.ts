/**
 * The <train-in-page> element of TrainInPage.astro. It starts the training worker, streams what
 * it sends into the readout, chart, sample grid and scatter, and (full panel) keeps the model:
 * saved in this browser when training pauses or stops, restored on the next visit, downloaded
 * as one file and opened again. A model being opened gets a worker of its own, which replaces
 * the current one only once the model has loaded, so a bad file changes nothing.
 */
import { BundleError, bundleFileName, decodeBundle, encodeBundle, weightsChecksum, type BundleMeta, type LossHistory, type ModelBundle } from '../../vae/bundle.ts';
import type { ModelFiles } from '../../vae/io.ts';
import { describeProbe } from '../../vae/probe.ts';
import type { LoadRequest, Snapshot, StartRequest, TrainEvent } from '../../vae/protocol.ts';
import { createRng } from '../../vae/random.ts';
import { chosenSpec, getSpec, type ModelSpec } from '../../vae/spec.ts';
import type { StepReport } from '../../vae/train.ts';
import { backendPlan, rememberFastest, saveChoice } from './backend-choice.ts';
import type { BackendChoice } from './backend-setup.ts';
import { CLASS_COLOURS, paintCodes } from './code-scatter.ts';
import { hasSubset } from './data-cache.ts';
import { whenNear } from './lazy.ts';
import { drawLossChart, type TestPoint } from './loss-chart.ts';
import { emptyHistory, pushLoss, truncateHistory } from './loss-history.ts';
import { DIGIT, digitImage } from './paint.ts';
import { forgetModel, saveModel, savedModel } from './saved-model.ts';
import { trainedModel } from './shared.ts';
import { DEFAULTS, settingsFromUrl, settingToUrl, type PanelSettings } from './train-settings.ts';

declare global {
  interface Window {
    /** Test-only: the loss of every training step, with `?testhooks` in the URL. */
    latentLabTrainLosses?: number[];
  }
}
if (new URLSearchParams(location.search).has('testhooks')) window.latentLabTrainLosses = [];

/**
 * Extra workers to share each batch: one per spare CPU core, at most 3. `?workers=N` in the
 * URL sets the total (1 trains on a single worker).
 */
function spareCores(): number {
  const asked = Number(new URLSearchParams(location.search).get('workers'));
  const total = Number.isInteger(asked) && asked >= 1 && asked <= 8 ? asked : Math.min(4, navigator.hardwareConcurrency || 1);
  return total - 1;
}

/** Box–Muller normals from the seeded generator: the fixed prior codes of the sample grid. */
function priorCodes(n: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return out;
}

const time = (iso: string) => new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
const DATASETS: Record<string, string> = { mnist: 'MNIST', fashion: 'Fashion-MNIST' };

/** The model the panel shows: its spec and what is known of its training. */
interface Current {
  spec: ModelSpec;
  steps: number;
  history: LossHistory;
  tests: TestPoint[];
  batchSize?: number;
  learningRate?: number;
  trainImages?: number;
}

class TrainInPage extends HTMLElement {
  #worker: Worker | undefined;
  #current: Current | undefined;
  #settings: PanelSettings = { ...DEFAULTS, arch: 'conv' };
  #weightWaiters: ((files: ModelFiles) => void)[] = [];
  #stopObserving: () => void = () => {};

  get #full(): boolean {
    return this.dataset['full'] !== undefined;
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
    this.#worker?.terminate();
  }

  #el<T extends Element>(selector: string): T {
    return this.querySelector<T>(selector)!;
  }

  #button(action: string): HTMLButtonElement | null {
    return this.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
  }

  #set(field: string, text: string): void {
    const el = this.querySelector(`[data-field="${field}"]`);
    if (el) el.textContent = text;
  }

  #status(text: string): void {
    this.#el('[data-status]').textContent = text;
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
    const hasModel = this.#current !== undefined && ['running', 'paused', 'stopped', 'loaded', 'idle-trained'].includes(state);
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
    const exporter = this.#button('export');
    if (exporter) exporter.disabled = !hasModel;
    // What the model is can change only between runs; the learning rate at any time.
    const busy = running || paused || state === 'starting';
    for (const select of this.querySelectorAll<HTMLSelectElement>('[data-setting]')) {
      if (select.dataset['setting'] !== 'learningRate') select.disabled = busy;
    }
  }

  #act(action: string): void {
    if (action === 'train') return this.#start();
    if (action === 'pause') return this.#worker?.postMessage({ type: this.dataset['state'] === 'paused' ? 'resume' : 'pause' });
    if (action === 'step') return this.#worker?.postMessage({ type: 'step' });
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
        if (name === 'dataset') this.#legend(select.value);
        if (name === 'dataset' || name === 'learningRate') void this.#describeDownload();
      });
    }
    if (notes.length > 0) {
      const note = this.#el<HTMLElement>('[data-url-note]');
      note.hidden = false;
      note.textContent = notes.join(' ');
    }
    this.#legend(settings.dataset);
    void this.#describeDownload();
  }

  /** Before a run: how many images Train will use, and whether they must be downloaded. */
  async #describeDownload(): Promise<void> {
    if (this.dataset['state'] !== 'idle' && this.dataset['state'] !== 'stopped' && this.dataset['state'] !== 'loaded') return;
    const { dataset } = this.#settings;
    const images = Number(this.dataset['images']);
    const base = `Press Train to train a fresh VAE on ${images.toLocaleString('en')} ${DATASETS[dataset]} images, in background threads of this page.`;
    const cached = (await hasSubset(`data/${dataset}`, 'train', images)) && (await hasSubset(`data/${dataset}`, 'test', Number(this.dataset['testImages'])));
    if (this.#current) return;
    this.dataset['dataCached'] = String(cached);
    this.#status(
      cached
        ? `${base} Its images are already kept in this browser from an earlier run: nothing to download.`
        : `${base} It first downloads about ${this.dataset['megabytes']} MB of images; this browser then keeps them, so a second run downloads nothing.`,
    );
  }

  #legend(dataset: string): void {
    const names = (JSON.parse(this.dataset['classes'] ?? '{}') as Record<string, string[]>)[dataset] ?? [];
    const legend = this.#el<HTMLOListElement>('[data-legend]');
    legend.replaceChildren(
      ...names.map((name, i) => {
        const li = document.createElement('li');
        const swatch = document.createElement('span');
        swatch.className = legend.querySelector('.swatch')?.className ?? 'swatch';
        swatch.style.background = CLASS_COLOURS[i]!;
        swatch.setAttribute('aria-hidden', 'true');
        li.append(swatch, name);
        return li;
      }),
    );
  }

  // ——— Training ———

  #spawn(): Worker {
    const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<TrainEvent>) => this.#onEvent(worker, e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      if (worker !== this.#worker) return this.#note(`The model could not be opened: the worker stopped (${e.message || 'it could not be loaded'}). Your current model is unchanged.`, 'error');
      this.#worker = undefined;
      this.#status(`The training worker stopped unexpectedly (${e.message || 'it could not be loaded'}). Nothing else on the page is affected; press Train a new model to start again.`);
      this.#state('error');
    };
    return worker;
  }

  #start(): void {
    this.#worker?.terminate();
    delete this.dataset['divergedStep'];
    delete this.dataset['testLoss'];
    delete this.dataset['weights'];
    const full = this.#full;
    const s = full ? this.#settings : { ...this.#settings, learningRate: Number(this.#el<HTMLSelectElement>('[data-learning-rate]').value) };
    const spec = full ? chosenSpec(s) : { ...getSpec('mnist-conv-z2'), id: 'yours', title: 'Your model' };
    const batchSize = full ? s.batchSize : 64;
    this.#current = { spec, steps: 0, history: emptyHistory(), tests: [], batchSize, learningRate: s.learningRate };
    this.#clearViews();
    // The full panel shows the loss terms as they are; chapter 1's warms the KL weight up.
    const options = { batchSize, learningRate: s.learningRate, seed: 1, ...(full ? {} : { klWarmupSteps: 150 }) };
    const request: StartRequest = {
      type: 'start',
      spec,
      options,
      dataBase: `data/${spec.dataset}`,
      trainImages: Number(this.dataset['images'] ?? 10000),
      testImages: Number(this.dataset['testImages'] ?? 1000),
      testLossImages: Number(this.dataset['testLossImages'] ?? 0),
      snapshotEvery: 10,
      backend: backendPlan('train'),
      sampleCodes: priorCodes(36, spec.latentDim, 7),
      replicas: spareCores(),
    };
    this.#worker = this.#spawn();
    this.#state('starting');
    this.#worker.postMessage(request);
  }

  #onEvent(worker: Worker, event: TrainEvent): void {
    if (worker !== this.#worker) return this.#onCandidateEvent(worker, event);
    switch (event.type) {
      case 'status':
        return this.#status(event.text);
      case 'ready':
        return this.#onReady(event);
      case 'step':
        return this.#onStep(event.report, event.imagesPerSec);
      case 'snapshot':
        return this.#onSnapshot(event.snapshot);
      case 'state': {
        const state = event.state === 'idle' ? 'idle-trained' : event.state;
        this.#state(state);
        if (state === 'paused' || state === 'stopped') void this.#keep();
        return;
      }
      case 'weights':
        this.dataset['weights'] = weightsChecksum(event.files);
        this.#weightWaiters.shift()?.(event.files);
        return;
      case 'diverged':
        this.dataset['divergedStep'] = String(event.step);
        this.#rollBackTo(event.restoredStep);
        return this.#status(`${event.message} Pick a lower learning rate, then Resume or Step.`);
      case 'error':
        this.#status(`Training failed: ${event.message}`);
        return this.#state('error');
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
    this.dataset['dataCached'] = String(event.data.fromCache);
    if (this.#current) this.#current.trainImages = event.trainImages;
    const where = event.workers > 1 ? `${event.workers} background workers that share each batch` : 'a background worker';
    const data = !this.#full
      ? ''
      : event.data.fromCache
        ? ' The images came from this browser’s cache: nothing was downloaded.'
        : ` The images were downloaded (${(event.data.bytes / 1e6).toFixed(1)} MB) and this browser keeps them, so the next run downloads nothing.`;
    this.#status(`Training on ${event.trainImages.toLocaleString('en')} images in ${where}, on TF.js ${event.backendText}, ${why}.${data}`);
  }

  #onStep(r: StepReport, imagesPerSec: number): void {
    const current = this.#current!;
    current.steps = r.step;
    this.dataset['step'] = String(r.step);
    this.#set('step', String(r.step));
    this.#set('epoch', r.epoch.toFixed(2));
    this.#set('loss', r.loss.toFixed(1));
    this.#set('reconstruction', r.reconstruction.toFixed(1));
    this.#set('kl', r.kl.toFixed(2));
    this.#set('speed', imagesPerSec.toFixed(0));
    this.#button('use')!.disabled = false;
    const exporter = this.#button('export');
    if (exporter) exporter.disabled = false;
    pushLoss(current.history, r.step, r.reconstruction, r.kl);
    // Test-only (?testhooks): every step's exact loss, to compare runs.
    window.latentLabTrainLosses?.push(r.loss);
    this.#drawChart();
  }

  /** Training went back to the weights after step `step` (a diverged run). */
  #rollBackTo(step: number): void {
    const current = this.#current!;
    current.steps = step;
    truncateHistory(current.history, step);
    current.tests = current.tests.filter((t) => t.step <= step);
    this.dataset['step'] = String(step);
    this.#set('step', String(step));
    this.#drawChart();
  }

  #drawChart(): void {
    const current = this.#current;
    const svg = this.#el<SVGSVGElement>('[data-chart]');
    if (!current) return drawLossChart(svg, emptyHistory(), 1, []);
    drawLossChart(svg, current.history, current.spec.beta, current.tests);
  }

  #onSnapshot(s: Snapshot): void {
    const samples = this.#el<HTMLCanvasElement>('[data-samples]').getContext('2d')!;
    for (let k = 0; k < 36; k++) {
      samples.putImageData(digitImage(s.samples.subarray(k * DIGIT * DIGIT, (k + 1) * DIGIT * DIGIT)), (k % 6) * DIGIT, Math.floor(k / 6) * DIGIT);
    }
    const dims = this.#current?.spec.latentDim ?? 2;
    const axes = paintCodes(this.#el<HTMLCanvasElement>('[data-scatter]'), s.codes, s.labels, dims);
    this.#el('[data-scatter-range]').textContent = s.labels.length > 0 ? axes : 'The test codes appear once this browser has the test images: train a model once.';
    if (s.testLoss && this.#current) {
      const t = s.testLoss;
      this.dataset['testLoss'] = t.loss.toFixed(3);
      this.#set('test', t.loss.toFixed(1));
      const tests = this.#current.tests;
      if (tests[tests.length - 1]?.step !== s.step) tests.push({ step: s.step, loss: t.loss });
      this.#drawChart();
    }
    this.dataset['snapshotStep'] = String(s.step);
  }

  #clearViews(): void {
    for (const field of ['loss', 'reconstruction', 'kl', 'test', 'speed']) this.#set(field, '–');
    this.#set('step', '0');
    this.#set('epoch', '0.00');
    delete this.dataset['step'];
    delete this.dataset['snapshotStep'];
    const samples = this.#el<HTMLCanvasElement>('[data-samples]');
    samples.getContext('2d')!.clearRect(0, 0, samples.width, samples.height);
    const scatter = this.#el<HTMLCanvasElement>('[data-scatter]');
    scatter.getContext('2d')!.clearRect(0, 0, scatter.width, scatter.height);
    this.#el('[data-scatter-range]').textContent = '';
    this.#drawChart();
  }

  /** The worker's current weights, as files. */
  #weights(): Promise<ModelFiles> {
    return new Promise((resolve) => {
      this.#weightWaiters.push(resolve);
      this.#worker?.postMessage({ type: 'export' });
    });
  }

  async #handOver(): Promise<void> {
    const current = this.#current!;
    const files = await this.#weights();
    trainedModel.set({ spec: current.spec, files, step: current.steps });
    this.#status(this.#handedOverText(current));
  }

  #handedOverText(current: Current): string {
    const { spec } = current;
    const fits = spec.dataset === 'mnist' && spec.latentDim === 2 && spec.kind === 'vae';
    return fits
      ? `Your model (step ${current.steps}) is now shown in the figures on this page.`
      : `Your model (step ${current.steps}) is offered to the figures on this page; the latent manifold draws only 2-D MNIST models, so it keeps the pretrained one.`;
  }

  // ——— Keeping the model (full panel) ———

  #bundle(files: ModelFiles): ModelBundle {
    const c = this.#current!;
    const last = c.tests[c.tests.length - 1];
    const meta: BundleMeta = { steps: c.steps, savedAt: new Date().toISOString(), history: c.history };
    if (c.batchSize !== undefined) meta.batchSize = c.batchSize;
    if (c.learningRate !== undefined) meta.learningRate = c.learningRate;
    if (c.trainImages !== undefined) meta.trainImages = c.trainImages;
    if (last) meta.testLoss = last.loss;
    return { spec: c.spec, meta, files };
  }

  /** Saves the current model in this browser (after a pause or stop, and on download). */
  async #keep(files?: ModelFiles): Promise<void> {
    if (!this.#full || !this.#current || this.#current.steps === 0) return;
    const bundle = this.#bundle(files ?? (await this.#weights()));
    try {
      await saveModel(encodeBundle(bundle));
      this.dataset['saved'] = bundle.meta.savedAt;
      this.#note(`This browser keeps your model (step ${bundle.meta.steps}, saved ${time(bundle.meta.savedAt)}): it will still be here after a reload.`);
    } catch (err) {
      this.#note(`Your model could not be kept in this browser (${err instanceof Error ? err.message : String(err)}); download it to keep it.`, 'error');
    }
  }

  async #export(): Promise<void> {
    const files = await this.#weights();
    const bundle = this.#bundle(files);
    const bytes = encodeBundle(bundle);
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = bundleFileName(bundle);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    await this.#keep(files);
    this.#note(`Downloaded ${a.download} (${(bytes.length / 1e6).toFixed(1)} MB): open it here, in any browser, with “Open a model file”. This browser keeps a copy too.`);
  }

  async #forget(): Promise<void> {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#current = undefined;
    this.#weightWaiters = [];
    for (const key of ['weights', 'saved', 'testLoss', 'divergedStep', 'restored']) delete this.dataset[key];
    this.#clearViews();
    trainedModel.set(undefined);
    this.#state('idle');
    void this.#describeDownload();
    try {
      await forgetModel();
      this.#note('Forgotten: your model is gone from this page and from this browser’s storage.');
    } catch (err) {
      this.#note(`Your model is gone from this page, but this browser’s copy could not be removed: ${err instanceof Error ? err.message : String(err)}.`, 'error');
    }
  }

  async #restore(): Promise<void> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await savedModel();
    } catch {
      return; // No storage here: nothing was kept either.
    }
    if (!bytes || this.#current) return;
    let bundle: ModelBundle;
    try {
      bundle = decodeBundle(bytes);
    } catch (err) {
      this.#note(`The model this browser kept could not be read (${err instanceof Error ? err.message : String(err)}). Forget my model removes it.`, 'error');
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
      this.#note(`Could not open ${file.name}: ${err instanceof Error ? err.message : String(err)} Your current model is unchanged.`, 'error');
      return;
    }
    this.#note(`Opening ${file.name}…`);
    this.#open(bundle, 'imported', file.name);
  }

  /** Loads a bundle in a new worker; it becomes the panel's model only once it has loaded. */
  #open(bundle: ModelBundle, how: 'restored' | 'imported', name = ''): void {
    const worker = this.#spawn();
    this.#pending.set(worker, { bundle, how, name });
    const request: LoadRequest = {
      type: 'load',
      spec: bundle.spec,
      files: bundle.files,
      steps: bundle.meta.steps,
      dataBase: `data/${bundle.spec.dataset}`,
      testImages: Number(this.dataset['testImages'] ?? 1000),
      testLossImages: Number(this.dataset['testLossImages'] ?? 0),
      backend: backendPlan('train'),
      sampleCodes: priorCodes(36, bundle.spec.latentDim, 7),
    };
    worker.postMessage(request);
  }

  #pending = new Map<Worker, { bundle: ModelBundle; how: 'restored' | 'imported'; name: string }>();

  /** Events of a worker that is opening a model: it replaces the current one once loaded. */
  #onCandidateEvent(worker: Worker, event: TrainEvent): void {
    const pending = this.#pending.get(worker);
    if (!pending) return;
    const { bundle, how, name } = pending;
    const failed = (message: string) => {
      this.#pending.delete(worker);
      worker.terminate();
      this.#note(how === 'restored' ? `The model this browser kept could not be opened: ${message} Forget my model removes it.` : `Could not open ${name}: ${message} Your current model is unchanged.`, 'error');
    };
    if (event.type === 'loadFailed' || event.type === 'error') return failed(event.message);
    if (event.type !== 'loaded') return;
    this.#pending.delete(worker);
    // Opening a model ends whatever the panel held, training included.
    this.#worker?.terminate();
    this.#worker = worker;
    this.#weightWaiters = [];
    const { spec, meta } = bundle;
    this.#current = { spec, steps: meta.steps, history: meta.history ?? emptyHistory(), tests: meta.testLoss !== undefined ? [{ step: meta.steps, loss: meta.testLoss }] : [] };
    if (meta.batchSize !== undefined) this.#current.batchSize = meta.batchSize;
    if (meta.learningRate !== undefined) this.#current.learningRate = meta.learningRate;
    if (meta.trainImages !== undefined) this.#current.trainImages = meta.trainImages;
    this.#clearViews();
    this.dataset['step'] = String(meta.steps);
    this.dataset['weights'] = weightsChecksum(bundle.files);
    this.dataset['restored'] = how;
    this.#set('step', String(meta.steps));
    const last = meta.history?.step.length ? meta.history.step.length - 1 : -1;
    if (last >= 0) {
      this.#set('reconstruction', meta.history!.reconstruction[last]!.toFixed(1));
      this.#set('kl', meta.history!.kl[last]!.toFixed(2));
      this.#set('loss', (meta.history!.reconstruction[last]! + spec.beta * meta.history!.kl[last]!).toFixed(1));
    }
    if (meta.trainImages && meta.batchSize) this.#set('epoch', ((meta.steps * meta.batchSize) / meta.trainImages).toFixed(2));
    this.#drawChart();
    this.#state('loaded');
    const what = `${spec.title.replace(/^Your /, '')}, ${meta.steps} steps`;
    this.#status(`${how === 'restored' ? 'Your model' : 'The model you opened'} (${what}) is loaded, on TF.js ${event.backendText}. Train a new model to start again from scratch.`);
    this.#note(how === 'restored' ? `Your model from ${time(meta.savedAt)}, ${meta.steps} steps, is loaded.` : `Opened ${name}: ${what}, saved ${time(meta.savedAt)}. This browser now keeps it as your model.`);
    trainedModel.set({ spec, files: bundle.files, step: meta.steps });
    if (how === 'imported') void saveModel(encodeBundle(bundle)).catch(() => undefined);
  }
}

customElements.define('train-in-page', TrainInPage);
