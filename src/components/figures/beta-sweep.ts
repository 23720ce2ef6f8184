/**
 * `<beta-sweep>` (BetaSweep.astro): one slider over models trained with different KL weights β.
 * The slider, the plane's highlight and the readout work at once; once the figure is near, each
 * stop shows its model's test codes, 25 prior samples and reconstructions of ten test digits.
 */
import type { LatentPoints } from '../../vae/latents-file.ts';
import { PIXELS } from '../../vae/spec.ts';
import { classColours } from '../lib/draw/class-colours.ts';
import { greyImage, originAxes } from '../lib/draw/paint.ts';
import { datasetImage } from '../lib/engine/dataset-images.ts';
import { testCodes } from '../lib/page/test-codes.ts';
import { readParam, writeParam } from '../lib/page/url-state.ts';
import { codePixel, firstOfEachClass, linkedStop, readoutText, sharedRange, type SweepPoint } from './beta-sweep-points.ts';
import { FigureElement, type Engine, type Vae } from './figure-element.ts';

/** Seed of the prior codes and of the reconstructions' draws: the same for every β, so only β changes. */
const SEED = 7;

class BetaSweep extends FigureElement {
  protected override loadingText = 'Loading the test codes, ten test digits, TensorFlow.js and the model…';
  protected override failureWhat = 'This figure cannot run';

  #points: SweepPoint[] = [];
  #index = 0;
  #engine: Engine | undefined;
  #digits: Float32Array | undefined;
  /** The half-width of the square the codes are drawn in, the same for every β. */
  #range = 4;

  get #id(): string {
    return this.dataset['id']!;
  }

  #codes(model: string): Promise<LatentPoints> {
    return testCodes(this.dataset['base'] ?? '', model);
  }

  protected override setup(): void {
    this.#points = JSON.parse(this.dataset['points']!) as SweepPoint[];
    const linked = linkedStop(this.#points, readParam(this.#id, 'beta'), Number(this.dataset['start']));
    if (linked.note) {
      const note = this.el('note');
      note.textContent = linked.note;
      note.hidden = false;
    }
    this.#select(linked.index, false);
    const slider = this.el<HTMLInputElement>('slider');
    slider.disabled = false;
    this.listen(slider, 'input', () => this.#select(Number(slider.value), true));
    this.querySelectorAll<SVGGElement>('[data-point]').forEach((g) => this.listen(g, 'click', () => this.#select(Number(g.dataset['point']), true)));
  }

  protected override async start(): Promise<void> {
    const all = await Promise.all(this.#points.map((p) => this.#codes(p.model)));
    this.#range = sharedRange(all.map((codes) => codes.mu));
    this.#digits = await this.#testDigits(all[0]!);
    this.#engine = await this.engine();
    await this.#draw();
  }

  /** Moves the slider, the plane's highlight and the readout to model `i`; redraws once started. */
  #select(i: number, fromReader: boolean): void {
    this.#index = i;
    const p = this.#points[i]!;
    const slider = this.el<HTMLInputElement>('slider');
    slider.value = String(i);
    slider.setAttribute('aria-valuetext', `β = ${p.beta}`);
    this.el('beta-label').textContent = `β = ${p.beta}`;
    this.querySelectorAll('[data-point]').forEach((g, k) => g.classList.toggle('current', k === i));
    const t = this.el<SVGLineElement>('tangent');
    (['x1', 'y1', 'x2', 'y2'] as const).forEach((a, k) => t.setAttribute(a, String(p.tangent[k])));
    this.el<HTMLOutputElement>('readout').textContent = readoutText(p);
    this.dataset['beta'] = String(p.beta);
    if (fromReader) writeParam(this.#id, 'beta', String(p.beta));
    if (this.#engine) void this.track(this.#draw());
  }

  /** The first test image of each class, read by byte range from the test shard. */
  async #testDigits(points: LatentPoints): Promise<Float32Array> {
    const read = await Promise.all(firstOfEachClass(points.labels).map((index) => datasetImage('data/mnist', 'test', index)));
    const images = new Float32Array(10 * PIXELS);
    read.forEach((r, k) => images.set(r.image, k * PIXELS));
    return images;
  }

  async #draw(): Promise<void> {
    const i = this.#index;
    const p = this.#points[i]!;
    const engine = this.#engine!;
    this.status(`Loading the β = ${p.beta} model…`);
    let vae: Vae;
    try {
      const [codes, model] = await Promise.all([this.#codes(p.model), engine.pretrainedWithProgress(p.model, (text) => this.status(text), `Loading the β = ${p.beta} model`)]);
      vae = model;
      if (i !== this.#index) return; // the reader moved on while it loaded
      this.#drawCodes(codes);
    } catch (err) {
      this.status(`The β = ${p.beta} model could not be loaded: ${err instanceof Error ? err.message : String(err)}. The other stops still work.`, 'error');
      return;
    }
    const samples = engine.sample(vae, 25, SEED).images;
    this.el<HTMLCanvasElement>('samples').getContext('2d')?.putImageData(greyImage(engine.tileDigits(samples, 5), 5 * 28, 5 * 28), 0, 0);
    const digits = this.#digits!;
    const both = new Float32Array(20 * PIXELS);
    both.set(digits);
    both.set(engine.reconstruct(vae, digits, SEED), 10 * PIXELS);
    this.el<HTMLCanvasElement>('recon').getContext('2d')?.putImageData(greyImage(engine.tileRows(both, 10), 10 * 28, 2 * 28), 0, 0);
    this.dataset['shown'] = String(p.beta);
    this.status(`Showing the β = ${p.beta} model. The prior codes and the reconstructions' noise are the same at every β.`, 'ready');
  }

  #drawCodes(points: LatentPoints): void {
    const canvas = this.el<HTMLCanvasElement>('codes');
    const ctx = canvas.getContext('2d')!;
    const size = canvas.width;
    const r = this.#range;
    const px = (v: number) => codePixel(v, r, size);
    ctx.clearRect(0, 0, size, size);
    ctx.strokeStyle = getComputedStyle(this).color;
    ctx.globalAlpha = 0.35;
    originAxes(ctx, px(0), px(0), size);
    ctx.globalAlpha = 0.5;
    const palette = classColours();
    for (let k = 0; k < points.count; k++) {
      ctx.fillStyle = palette[points.labels[k]!]!;
      ctx.fillRect(px(points.mu[2 * k]!) - 1, size - px(points.mu[2 * k + 1]!) - 1, 2, 2);
    }
    ctx.globalAlpha = 1;
    this.el('range').textContent = `Both axes from −${r} to ${r}, the same for every β.`;
  }
}

customElements.define('beta-sweep', BetaSweep);
