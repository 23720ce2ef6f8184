/**
 * What the training panel shows: its controls for each state of the panel, and what it draws
 * from what its worker sends: the readout, the loss chart, the sample grid, the scatter of test
 * codes and its class legend. It also records, as data-* attributes of the panel, what is on
 * screen (step, test loss, snapshot) for tools and tests.
 * While the panel is off screen the chart and the pictures wait (training goes on): the latest
 * of each is drawn when the panel comes back. The readout's numbers always follow.
 */
import { describeProbe } from '../../../vae/probe-result.ts';
import type { Snapshot, TrainEvent } from '../../../vae/protocol.ts';
import type { StepReport } from '../../../vae/train.ts';
import { paintCodes } from '../draw/code-scatter.ts';
import { drawLossChart } from '../draw/loss-chart.ts';
import { onScreen } from '../page/lazy.ts';
import { emptyHistory, pushLoss, truncateHistory } from './loss-history.ts';
import { imageShape, imageValues, GREY_28 } from '../../../vae/spec.ts';
import { probsImage } from '../draw/paint.ts';
import type { PanelModel } from './panel-model.ts';
import { clearUnits, paintUnits } from './unit-view.ts';

export class PanelViews {
  readonly #root: HTMLElement;
  #visible = true;
  /** What waits to be drawn until the panel is on screen again. */
  #pending: { chart?: PanelModel | undefined; pictures?: { model: PanelModel | undefined; snapshot: Snapshot } } = {};
  #stopWatching: () => void = () => {};

  constructor(root: HTMLElement) {
    this.#root = root;
  }

  /** Starts following whether the panel is on screen (from connectedCallback). */
  connect(): void {
    this.#stopWatching = onScreen(this.#root, (visible) => {
      this.#visible = visible;
      this.#root.dataset['drawing'] = visible ? 'live' : 'paused';
      if (!visible) return;
      const { chart, pictures } = this.#pending;
      this.#pending = {};
      if (pictures) this.#paint(pictures.model, pictures.snapshot);
      if (chart) this.chart(chart);
    });
  }

  disconnect(): void {
    this.#stopWatching();
  }

  #button(action: string): HTMLButtonElement | null {
    return this.#root.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
  }

  /**
   * The controls in panel state `state`: what each button offers, and which settings can change
   * (what the model is only between runs; the learning rate at any time). `hasModel`: a model
   * to use or download; `canContinue`: one that Continue can train further; `haveData`: the
   * images to train on are there (the own panel's wait for the reader's dataset).
   */
  controls(state: string, hasModel: boolean, canContinue: boolean, haveData = true): void {
    const running = state === 'running';
    const paused = state === 'paused';
    // After Stop, a failure or opening a model, Train starts over with a fresh model and worker.
    const fresh = state === 'stopped' || state === 'error' || state === 'loaded';
    const train = this.#button('train')!;
    train.disabled = !haveData || !(state === 'idle' || fresh);
    train.textContent = fresh ? 'Train a new model' : 'Train';
    const pause = this.#button('pause')!;
    pause.disabled = !(running || paused);
    pause.textContent = paused ? 'Resume' : 'Pause';
    this.#button('step')!.disabled = !paused;
    this.#button('stop')!.disabled = !(running || paused);
    this.#button('use')!.disabled = !hasModel;
    this.#button('continue')!.disabled = !(canContinue && fresh);
    const exporter = this.#button('export');
    if (exporter) exporter.disabled = !hasModel;
    const busy = running || paused || state === 'starting';
    for (const select of this.#root.querySelectorAll<HTMLSelectElement>('[data-setting]')) {
      if (select.dataset['setting'] !== 'learningRate') select.disabled = busy;
    }
  }

  #el<T extends Element>(selector: string): T {
    return this.#root.querySelector<T>(selector)!;
  }

  field(name: string, text: string): void {
    const el = this.#root.querySelector(`[data-field="${name}"]`);
    if (el) el.textContent = text;
  }

  #showStep(step: number): void {
    this.#root.dataset['step'] = String(step);
    this.field('step', String(step));
  }

  /**
   * A worker ready to train: its backend, workers and data, recorded on the panel; returns the
   * status sentence that says them (`full`: with where the images came from).
   */
  ready(event: Extract<TrainEvent, { type: 'ready' }>, full: boolean): string {
    const why =
      event.how === 'measured' && event.probe
        ? `measured fastest here (${describeProbe(event.probe, 'ms per image')})`
        : event.how === 'only'
          ? `the one fast backend here${event.probe ? ` (${describeProbe(event.probe, 'ms per image')})` : ''}`
          : event.how === 'remembered'
            ? 'measured fastest on this device before'
            : 'as you chose';
    const data = this.#root.dataset;
    data['activeBackend'] = event.backend;
    data['workers'] = String(event.workers);
    data['kernelLoops'] = event.loops ?? '';
    data['dataCached'] = String(event.data.fromCache);
    const missing = event.notStarted ?? 0;
    data['workersNotStarted'] = String(missing);
    const where = event.workers > 1 ? `${event.workers} background workers that share each batch` : 'a background worker';
    const dropped = missing > 0 ? ` (${missing} more ${missing === 1 ? 'worker' : 'workers'} did not start, so training goes on without ${missing === 1 ? 'it' : 'them'})` : '';
    const images = !full
      ? ''
      : event.data.fromCache
        ? ' The images came from this browser’s cache: nothing was downloaded.'
        : ` The images were downloaded (${(event.data.bytes / 1e6).toFixed(1)} MB) and this browser keeps them, so the next run downloads nothing.`;
    return `Training on ${event.trainImages.toLocaleString('en')} images in ${where}${dropped}, on TF.js ${event.backendText}, ${why}.${images}`;
  }

  /** One training step: the readout, and the step's terms added to the model's history. */
  step(model: PanelModel, r: StepReport, imagesPerSec: number): void {
    model.steps = r.step;
    this.#showStep(r.step);
    this.field('epoch', r.epoch.toFixed(2));
    this.field('loss', r.loss.toFixed(1));
    this.field('reconstruction', r.reconstruction.toFixed(1));
    this.field('kl', r.kl.toFixed(2));
    this.field('speed', imagesPerSec.toFixed(0));
    pushLoss(model.history, r.step, r.reconstruction, r.kl);
    this.chart(model);
  }

  /** Training went back to the weights after step `step` (a diverged run). */
  rolledBack(model: PanelModel, step: number): void {
    model.steps = step;
    truncateHistory(model.history, step);
    model.tests = model.tests.filter((t) => t.step <= step);
    this.#showStep(step);
    this.chart(model);
  }

  /** An opened model: its record in the readout and chart. */
  opened(model: PanelModel): void {
    this.clear();
    this.#showStep(model.steps);
    const h = model.history;
    const last = h.step.length - 1;
    if (last >= 0) {
      this.field('reconstruction', h.reconstruction[last]!.toFixed(1));
      this.field('kl', h.kl[last]!.toFixed(2));
      this.field('loss', (h.reconstruction[last]! + model.spec.beta * h.kl[last]!).toFixed(1));
    }
    if (model.trainImages && model.batchSize) this.field('epoch', ((model.steps * model.batchSize) / model.trainImages).toFixed(2));
    this.chart(model);
  }

  chart(model: PanelModel | undefined): void {
    const svg = this.#el<SVGSVGElement>('[data-chart]');
    if (!model) return drawLossChart(svg, emptyHistory(), 1, []);
    if (!this.#visible) {
      this.#pending.chart = model;
      return;
    }
    drawLossChart(svg, model.history, model.spec.beta, model.tests);
    this.#root.dataset['chartStep'] = String(model.steps);
  }

  snapshot(model: PanelModel | undefined, s: Snapshot): void {
    if (s.testLoss && model) {
      this.#root.dataset['testLoss'] = s.testLoss.loss.toFixed(3);
      this.field('test', s.testLoss.loss.toFixed(1));
      if (model.tests[model.tests.length - 1]?.step !== s.step) model.tests.push({ step: s.step, loss: s.testLoss.loss });
      this.chart(model);
    }
    this.#root.dataset['snapshotStep'] = String(s.step);
    if (this.#visible) this.#paint(model, s);
    else this.#pending.pictures = { model, snapshot: s };
  }

  /** The sample grid and the scatter of a snapshot. */
  #paint(model: PanelModel | undefined, s: Snapshot): void {
    // The model's own image shape: 28 × 28 grey, or a reader's 32 × 32 colour.
    const shape = model ? imageShape(model.spec) : GREY_28;
    const per = imageValues(shape);
    const canvas = this.#el<HTMLCanvasElement>('[data-samples]');
    if (canvas.width !== 6 * shape.width || canvas.height !== 6 * shape.height) [canvas.width, canvas.height] = [6 * shape.width, 6 * shape.height];
    const samples = canvas.getContext('2d')!;
    for (let k = 0; k < 36; k++) {
      samples.putImageData(probsImage(s.samples.subarray(k * per, (k + 1) * per), shape), (k % 6) * shape.width, Math.floor(k / 6) * shape.height);
    }
    const axes = paintCodes(this.#el<HTMLCanvasElement>('[data-scatter]'), s.codes, s.labels, model?.spec.latentDim ?? 2);
    this.#el('[data-scatter-range]').textContent = s.labels.length > 0 ? axes : 'The test codes appear once this browser has the test images: train a model once.';
    paintUnits(this.#root, s, model?.freeBits ?? 0, shape);
    this.#root.dataset['paintedStep'] = String(s.step);
  }

  clear(): void {
    this.#pending = {};
    for (const field of ['loss', 'reconstruction', 'kl', 'test', 'speed']) this.field(field, '–');
    this.field('step', '0');
    this.field('epoch', '0.00');
    for (const key of ['step', 'snapshotStep', 'paintedStep', 'chartStep', 'testLoss']) delete this.#root.dataset[key];
    for (const selector of ['[data-samples]', '[data-scatter]']) {
      const canvas = this.#el<HTMLCanvasElement>(selector);
      canvas.getContext('2d')!.clearRect(0, 0, canvas.width, canvas.height);
    }
    this.#el('[data-scatter-range]').textContent = '';
    clearUnits(this.#root);
    this.chart(undefined);
  }

  /** The scatter's colours, named by class. */
  legend(names: string[]): void {
    this.#el<HTMLOListElement>('[data-legend]').replaceChildren(
      ...names.map((name, i) => {
        const li = document.createElement('li');
        const swatch = document.createElement('span');
        swatch.className = `swatch class-${i % 10}`;
        swatch.setAttribute('aria-hidden', 'true');
        li.append(swatch, name);
        return li;
      }),
    );
  }
}
