/**
 * `<posterior-ellipse>` (PosteriorEllipse.astro): one test digit's q(z|x) = N(μ, diag σ²) in the
 * latent plane of a 2-D VAE, its 1σ and 2σ ellipses, codes drawn from it and their decodes, and
 * on request the true posterior on a grid. The test codes and the digit draw before the encoder
 * has loaded; the chosen test image lives in the URL (`?posterior.image=42`).
 */
import type { LatentPoints } from '../../vae/latents-file.ts';
import { priorMassInEllipse } from '../../vae/prior-mass.ts';
import { fitCanvas } from '../lib/draw/fit-canvas.ts';
import { digitImage, greyImage } from '../lib/draw/paint.ts';
import { paintCloseUp, paintOverview, type Colours, type TrueContours } from '../lib/draw/posterior-paint.ts';
import { viewBounds } from '../lib/draw/square-view.ts';
import { datasetGrey } from '../lib/engine/dataset-images.ts';
import { testCodes } from '../lib/page/test-codes.ts';
import { parseNearest, readParam, writeParam } from '../lib/page/url-state.ts';
import { FigureElement, type Engine, type Vae } from './figure-element.ts';
import { PosteriorBounds } from './posterior-bounds.ts';
import { K_STOPS, errorMessage } from './posterior-bounds-readout.ts';
import { classesNear, ellipseShape, imageFromLink, neighboursText, roundish, truthText } from './posterior-ellipse-readout.ts';

type Draw = ReturnType<Engine['posteriorSamples']>;
type Loaded = { engine: Engine; vae: Vae };

/** This figure's keys in the URL query. */
const PREFIX = 'posterior';

class PosteriorEllipse extends FigureElement {
  protected override loadingText = 'Loading the test images’ codes…';

  #points: LatentPoints | undefined;
  #loaded: Promise<Loaded> | undefined;
  /** The chosen test image, its pixels in [0, 1] and label once fetched, and its posterior once encoded. */
  #index = 0;
  #image: Float32Array | undefined;
  #label: number | undefined;
  #draw: Draw | undefined;
  #seed = 1;
  /** The true posterior of the chosen image on a grid, with its highest-density contours. */
  #truthContours: TrueContours | undefined;
  /** Bumped when a grid computation starts or is dropped, so only the latest one finishes. */
  #truthRun = 0;
  /** Bumped on every new choice, so a slow answer for an old one is dropped. */
  #request = 0;
  /** The sample whose decode the pointer is on, ringed in the plane. */
  #hot = -1;
  #frame = 0;
  /** Said with every status once the test codes have failed to load. */
  #codesNote = '';
  /** The bounds panel (𝓛_k and the per-image fit), and the Gaussian it fitted, drawn in the plane. */
  #bounds!: PosteriorBounds;
  #fitted: { mu: [number, number]; sigma: [number, number] } | undefined;
  #truthWork: Promise<void> | undefined;
  /** The k a shared link asked for; its bounds are drawn once the first digit is encoded. */
  #linkK = 1;

  get #count(): number {
    return Number(this.dataset['count'] ?? 10_000);
  }

  get #samples(): number {
    return Number(this.dataset['samples'] ?? 12);
  }

  get #zoom(): number {
    return Number(this.dataset['zoom'] ?? 0.6);
  }

  get #classes(): string[] {
    return JSON.parse(this.dataset['classes'] ?? '[]') as string[];
  }

  protected override setup(): void {
    const { value, note } = imageFromLink(readParam(PREFIX, 'image'), this.#count, Number(this.dataset['image'] ?? 0));
    if (note) {
      this.#note(note);
      writeParam(PREFIX, 'image', String(value));
    }
    this.#index = value;
    this.el<HTMLInputElement>('index').value = String(value);
    this.cleanup(() => cancelAnimationFrame(this.#frame));
    const k = parseNearest(readParam(PREFIX, 'k'), K_STOPS, 1, 'number of importance samples k');
    if (k.note) {
      this.#note([this.el('note').textContent, k.note].filter(Boolean).join(' '));
      writeParam(PREFIX, 'k', String(k.value));
    }
    this.#linkK = k.value;
    this.#bounds = new PosteriorBounds(this.el('bounds'), {
      current: () => {
        const [draw, image, loaded] = [this.#draw, this.#image, this.#vae];
        if (!draw || !image || !loaded) return undefined;
        return { vae: loaded, image, q: { mu: [draw.mu[0]!, draw.mu[1]!], logVar: [2 * Math.log(draw.sigma[0]!), 2 * Math.log(draw.sigma[1]!)] } };
      },
      exact: () => this.#exact(),
      showFit: (q) => {
        this.#fitted = q;
        this.#redraw();
      },
      reducedMotion: () => this.reducedMotion,
      track: (work) => this.track(work),
      kChanged: (k) => writeParam(PREFIX, 'k', String(k)),
    });
    this.#bounds.wire(k.value, this.signal);
  }

  /** The model once loaded (the bounds panel needs it synchronously). */
  #vae: Vae | undefined;

  /** −log p_θ(x) of the chosen digit from the grid, ticking the box and computing it if needed. */
  async #exact(): Promise<number | undefined> {
    const truth = this.el<HTMLInputElement>('truth');
    if (!truth.checked) truth.checked = true;
    await this.#truth();
    return this.#truthContours ? -this.#truthContours.grid.logEvidence : undefined;
  }

  protected override async start(): Promise<void> {
    this.#wire();
    const model = this.dataset['model']!;
    // The engine is the slow part: start it now, alongside the small files.
    this.#loaded = this.engine().then(async (engine) => ({
      engine,
      vae: await engine.pretrainedWithProgress(
        model,
        (text) => {
          if (!this.dataset['engine']) this.status(text, 'loading');
        },
        'Loading the encoder',
      ),
    }));
    this.#loaded.catch(() => {});
    try {
      this.#points = await testCodes(this.dataset['base'] ?? '', model);
      this.dataset['points'] = String(this.#points.count);
    } catch (err) {
      this.#codesNote = ` The test images’ codes could not be loaded (${errorMessage(err)}), so the close-up shows the chosen digit alone.`;
      this.status(this.#codesNote.trim());
    }
    const resize = new ResizeObserver(() => this.#redraw());
    resize.observe(this.el('plane'));
    this.cleanup(() => resize.disconnect());
    // Canvas colours follow the theme toggle and the system setting.
    this.onTheme(() => this.#redraw());
    await this.#choose(this.#index);
  }

  #note(text: string | undefined): void {
    const note = this.el('note');
    note.hidden = text === undefined;
    note.textContent = text ?? '';
  }

  #wire(): void {
    const input = this.el<HTMLInputElement>('index');
    const go = (i: number) => {
      this.#note(undefined);
      void this.track(this.#choose(Math.min(this.#count - 1, Math.max(0, Math.round(i))), true));
    };
    this.listen(this.el('prev'), 'click', () => go(this.#index - 1));
    this.listen(this.el('next'), 'click', () => go(this.#index + 1));
    this.listen(this.el('random'), 'click', () => go(Math.floor(Math.random() * this.#count)));
    this.listen(input, 'change', () => {
      const n = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(n)) {
        input.value = String(this.#index);
        return;
      }
      go(n);
    });
    const truth = this.el<HTMLInputElement>('truth');
    this.listen(truth, 'change', () => {
      if (truth.checked) void this.track(this.#truth());
      else this.#clearTruth();
    });
    this.listen(this.el('again'), 'click', () => {
      this.#seed++;
      void this.track(this.#sample());
    });
    for (const tile of this.querySelectorAll<HTMLCanvasElement>('[data-tile]')) {
      const k = Number(tile.dataset['tile']);
      this.listen(tile, 'pointerenter', () => this.#highlight(k));
      this.listen(tile, 'pointerleave', () => this.#highlight(-1));
    }
    for (const control of this.querySelectorAll<HTMLButtonElement | HTMLInputElement>('.picker button, .picker input, [data-truth]')) control.disabled = false;
  }

  #highlight(k: number): void {
    this.#hot = k;
    for (const tile of this.querySelectorAll<HTMLCanvasElement>('[data-tile]')) tile.toggleAttribute('data-hot', Number(tile.dataset['tile']) === k);
    this.#redraw();
  }

  /** Shows test image i: its precomputed μ and pixels at once, then σ and samples from the encoder. */
  async #choose(i: number, byReader = false): Promise<void> {
    const request = ++this.#request;
    this.#index = i;
    this.#draw = undefined;
    this.#image = undefined;
    this.#label = this.#points?.labels[i];
    this.#seed = 1;
    this.dataset['index'] = String(i);
    for (const key of ['drawn', 'mu', 'sigma', 'z']) delete this.dataset[key];
    this.el<HTMLInputElement>('index').value = String(i);
    this.el<HTMLButtonElement>('prev').disabled = i === 0;
    this.el<HTMLButtonElement>('next').disabled = i === this.#count - 1;
    this.el<HTMLButtonElement>('again').disabled = true;
    if (byReader) writeParam(PREFIX, 'image', String(i));
    this.#readout();
    this.#clearStrip();
    this.#clearTruth();
    this.#fitted = undefined;
    this.#bounds.reset();
    this.#redraw();
    try {
      const { grey: image, label } = await datasetGrey(`data/${this.dataset['dataset']}`, 'test', i);
      if (request !== this.#request) return;
      this.#image = Float32Array.from(image, (v) => v / 255);
      this.#label = label;
      const input = this.el<HTMLCanvasElement>('input');
      input.getContext('2d')?.putImageData(greyImage(image, 28, 28), 0, 0);
      input.setAttribute('aria-label', `Test image ${i}, a ${this.#name(label)}`);
      this.el('input-label').textContent = `x: #${i}, a ${this.#name(label)}`;
      this.#readout();
    } catch (err) {
      if (request !== this.#request) return;
      this.status(`Test image ${i} could not be loaded: ${errorMessage(err)}.`, 'error');
      return;
    }
    if (!this.dataset['engine']) this.status(`${this.#points ? 'Test codes drawn. ' : ''}Loading the encoder (TensorFlow.js and the model’s weights) to find σ and draw samples…${this.#codesNote}`, 'loading');
    await this.#sample();
    if (this.el<HTMLInputElement>('truth').checked) await this.#truth();
  }

  /** Encodes the chosen image and draws this seed's samples from its q(z|x). */
  async #sample(): Promise<void> {
    const request = this.#request;
    const image = this.#image;
    if (!image) return;
    let loaded: Loaded;
    try {
      loaded = await this.#loaded!;
    } catch (err) {
      this.status(`The encoder could not be loaded, so σ and the samples cannot be shown: ${errorMessage(err)}. The test codes above still draw.`, 'error');
      return;
    }
    if (request !== this.#request) return;
    this.#vae = loaded.vae;
    const draw = loaded.engine.posteriorSamples(loaded.vae, image, this.#samples, this.#seed);
    this.#draw = draw;
    this.dataset['engine'] = 'ready';
    this.dataset['seed'] = String(this.#seed);
    this.dataset['mu'] = Array.from(draw.mu).join(',');
    this.dataset['sigma'] = Array.from(draw.sigma).join(',');
    this.dataset['z'] = Array.from(draw.z).join(',');
    this.dataset['drawn'] = String(this.#index);
    this.#readout();
    this.#paintStrip(draw);
    this.#redraw();
    this.el<HTMLButtonElement>('again').disabled = false;
    if (this.#seed === 1) this.#bounds.ready();
    if (this.#linkK > 1) {
      this.#linkK = 1;
      void this.track(this.#bounds.bounds());
    }
    this.status(`Encoded in your browser; draw ${this.#seed} of ${this.#samples} codes from q(z|x), each decoded.${this.#codesNote}`, 'ready');
  }

  #clearTruth(): void {
    this.#truthRun++;
    this.#truthWork = undefined;
    this.#truthContours = undefined;
    for (const key of ['truth', 'logEvidence', 'kl', 'truthMean']) delete this.dataset[key];
    const readout = this.el('truth-readout');
    readout.hidden = true;
    readout.textContent = '';
    this.#redraw();
  }

  /**
   * p_θ(z|x) by brute force on grids (see truePosterior), decoded in chunks so the page stays
   * responsive and a new choice or unticking cancels the rest.
   */
  #truth(): Promise<void> {
    this.#truthWork ??= this.#computeTruth().finally(() => (this.#truthWork = undefined));
    return this.#truthWork;
  }

  async #computeTruth(): Promise<void> {
    const [draw, image] = [this.#draw, this.#image];
    if (!draw || !image || this.#truthContours) return;
    const run = ++this.#truthRun;
    const readout = this.el('truth-readout');
    readout.hidden = false;
    readout.textContent = 'Loading the grid code…';
    const started = performance.now();
    let result: Awaited<ReturnType<typeof import('../lib/draw/true-contours.ts').trueContours>>;
    try {
      const [{ trueContours }, { vae }] = await Promise.all([import('../lib/draw/true-contours.ts'), this.#loaded!]);
      result = await trueContours(
        vae,
        image,
        draw.mu,
        draw.sigma,
        (decoded) => (readout.textContent = `Decoded ${decoded.toLocaleString('en')} grid codes…`),
        () => run !== this.#truthRun,
      );
    } catch (err) {
      if (run === this.#truthRun) readout.textContent = `The true posterior could not be computed: ${errorMessage(err)}.`;
      return;
    }
    if (!result) return;
    const { grid, kl, decoded } = result;
    this.#truthContours = result;
    this.dataset['truth'] = String(this.#index);
    this.dataset['logEvidence'] = String(grid.logEvidence);
    this.dataset['kl'] = String(kl);
    this.dataset['truthMean'] = grid.mean.join(',');
    readout.textContent = truthText({ ...grid, kl, decoded, seconds: (performance.now() - started) / 1000 });
    this.#redraw();
  }

  #name(label: number): string {
    return this.#classes[label] ?? String(label);
  }

  /** μ from the encoder once it has run; until then the precomputed μ, to four decimals. */
  #muNow(): [number, number] | undefined {
    if (this.#draw) return [this.#draw.mu[0]!, this.#draw.mu[1]!];
    const p = this.#points;
    return p ? [p.mu[2 * this.#index]!, p.mu[2 * this.#index + 1]!] : undefined;
  }

  #readout(): void {
    const mu = this.#muNow();
    const draw = this.#draw;
    for (let u = 0; u < 2; u++) {
      this.el(`mu="${u}"`).textContent = mu ? mu[u]!.toFixed(3) : '–';
      this.el(`sigma="${u}"`).textContent = draw ? draw.sigma[u]!.toFixed(3) : '…';
    }
    const odds = this.el('odds');
    if (mu && draw) {
      const once = 1 / priorMassInEllipse(mu, draw.sigma, 2);
      this.dataset['odds'] = String(once);
      odds.textContent = `A code drawn from the prior N(0, I) lands inside this digit’s 2σ ellipse once in ${roundish(once)} draws.`;
    } else {
      delete this.dataset['odds'];
      odds.textContent = 'A code drawn from the prior N(0, I) lands inside this digit’s 2σ ellipse once in … draws.';
    }
    const plane = this.el<HTMLCanvasElement>('plane');
    const what = this.#label === undefined ? '' : `, a ${this.#name(this.#label)}`;
    if (mu && draw) {
      const [s1, s2] = [draw.sigma[0]!, draw.sigma[1]!];
      plane.setAttribute(
        'aria-label',
        `Test image ${this.#index}${what}: q(z|x) is centred at μ = (${mu[0].toFixed(2)}, ${mu[1].toFixed(2)}) with σ = (${s1.toFixed(3)}, ${s2.toFixed(3)}), an ellipse ${ellipseShape(s1, s2)}. ${this.#samples} codes drawn from it lie around μ, among the means of ${this.#neighbours(mu)}.`,
      );
    } else if (mu) {
      plane.setAttribute('aria-label', `Test image ${this.#index}${what}: its posterior mean μ = (${mu[0].toFixed(2)}, ${mu[1].toFixed(2)}) among the other test codes; σ and the samples appear once the encoder has loaded.`);
    }
  }

  /** The classes of the test codes inside the close-up, most frequent first, in words. */
  #neighbours(mu: [number, number]): string {
    if (!this.#points) return 'no other codes (they could not be loaded)';
    return neighboursText(classesNear(this.#points, mu, this.#zoom, this.#index), (c) => this.#name(c));
  }

  #clearStrip(): void {
    for (const tile of this.querySelectorAll<HTMLCanvasElement>('[data-tile]')) {
      tile.getContext('2d')?.clearRect(0, 0, 28, 28);
      tile.setAttribute('aria-label', `Sample ${Number(tile.dataset['tile']) + 1}: not drawn yet`);
    }
    this.el<HTMLCanvasElement>('input').getContext('2d')?.clearRect(0, 0, 28, 28);
    this.el('input-label').textContent = 'x';
  }

  #paintStrip(draw: Draw): void {
    for (const tile of this.querySelectorAll<HTMLCanvasElement>('[data-tile]')) {
      const k = Number(tile.dataset['tile']);
      tile.getContext('2d')?.putImageData(digitImage(draw.images.subarray(k * 784, (k + 1) * 784)), 0, 0);
      tile.setAttribute('aria-label', `Sample ${k + 1}: the decoder's digit for z = (${draw.z[2 * k]!.toFixed(3)}, ${draw.z[2 * k + 1]!.toFixed(3)})`);
    }
  }

  #redraw(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => this.#paint());
  }

  #colour(probe: string): string {
    return getComputedStyle(this.querySelector(`.probe-${probe}`)!).color;
  }

  #paint(): void {
    const mu = this.#muNow();
    const h = this.#zoom;
    const colours: Colours = { fg: this.#colour('fg'), muted: this.#colour('muted'), accent: this.#colour('accent'), bg: this.#colour('bg'), truth: this.#colour('truth'), fit: this.#colour('fit') };
    const [ctx, size] = fitCanvas(this.el<HTMLCanvasElement>('plane'));
    if (mu) {
      this.dataset['view'] = viewBounds(mu, h).join(',');
      const draw = this.#draw;
      paintCloseUp(ctx, size, { mu, half: h, points: this.#points, chosen: this.#index, sigma: draw?.sigma, z: draw?.z, hot: this.#hot, truth: this.#truthContours, fitted: this.#fitted }, colours);
    }
    const [overview, side] = fitCanvas(this.el<HTMLCanvasElement>('overview'));
    paintOverview(overview, side, this.#points, mu && { mu, half: h }, colours.fg);
  }
}


customElements.define('posterior-ellipse', PosteriorEllipse);
