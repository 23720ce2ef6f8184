/**
 * The posterior figure's bounds panel: for the chosen digit, the importance-weighted bound 𝓛_k
 * for k from 1 to 1,000 with its spread over repeated runs, and "Fit q to this digit alone",
 * which animates 200 gradient steps on this image's 𝓛(x) and then sets the encoder's 𝓛, the
 * per-image optimum and the grid's exact −log p_θ(x) side by side. The engine's part is
 * src/vae/posterior-fit.ts, imported when the reader first asks for either.
 */
import type { BoundSpread, FitStep, GaussianCode } from '../../vae/posterior-fit.ts';
import type { Vae } from './figure-element.ts';
import { boundText, chartRange, chartX, gapsText, K_STOPS, POOL_SIZE, errorMessage } from './posterior-bounds-readout.ts';

type FitModule = typeof import('../../vae/posterior-fit.ts');

/** What the panel needs from its figure. */
export interface BoundsHost {
  /** The model, the chosen image and the encoder's q, once encoded; undefined before. */
  current(): { vae: Vae; image: Float32Array; q: GaussianCode } | undefined;
  /** −log p_θ(x) from the figure's grid, computing it if needed; undefined if it cannot. */
  exact(): Promise<number | undefined>;
  /** Shows the fitted Gaussian in the plane (undefined: none). */
  showFit(q: { mu: [number, number]; sigma: [number, number] } | undefined): void;
  /** Whether the reader asked for reduced motion (then the fit is not animated). */
  reducedMotion(): boolean;
  /** Counts the work as pending for the figure's settled state. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Called with k whenever the reader moves the slider. */
  kChanged(k: number): void;
}

const SVG = 'http://www.w3.org/2000/svg';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PosteriorBounds {
  #root: HTMLElement;
  #host: BoundsHost;
  /** Bumped on every new digit, so the work for an old one stops. */
  #run = 0;
  #pool: Float32Array | undefined;
  #drawn = 0;
  #poolWork: Promise<void> | undefined;
  #fitWork: Promise<void> | undefined;
  #exact: number | undefined;
  #module: Promise<FitModule> | undefined;
  #loaded: FitModule | undefined;

  constructor(root: HTMLElement, host: BoundsHost) {
    this.#root = root;
    this.#host = host;
  }

  #el<T extends Element = HTMLElement>(name: string): T {
    return this.#root.querySelector<T>(`[data-${name}]`)!;
  }

  get k(): number {
    return K_STOPS[Number(this.#el<HTMLInputElement>('k').value)] ?? 1;
  }

  /** Wires the controls; `k` is the slider's first value (from the link). */
  wire(k: number, signal: AbortSignal): void {
    const slider = this.#el<HTMLInputElement>('k');
    slider.value = String(Math.max(0, K_STOPS.indexOf(k as (typeof K_STOPS)[number])));
    this.#el('k-value').textContent = String(this.k);
    slider.setAttribute('aria-valuetext', `k = ${this.k}`);
    slider.addEventListener(
      'input',
      () => {
        this.#el('k-value').textContent = String(this.k);
        slider.setAttribute('aria-valuetext', `k = ${this.k}`);
        this.#root.dataset['k'] = String(this.k);
        this.#host.kChanged(this.k);
        void this.#host.track(this.bounds());
      },
      { signal },
    );
    this.#el('fit').addEventListener('click', () => void this.#host.track(this.fit()), { signal });
    this.#root.dataset['k'] = String(this.k);
  }

  /** Enables the controls once the chosen digit is encoded. */
  ready(): void {
    for (const control of this.#root.querySelectorAll<HTMLButtonElement | HTMLInputElement>('[data-fit], [data-k]')) control.disabled = false;
  }

  /** Forgets the last digit's pool, fit and exact value. */
  reset(): void {
    this.#run++;
    this.#pool = undefined;
    this.#drawn = 0;
    this.#poolWork = undefined;
    this.#fitWork = undefined;
    this.#exact = undefined;
    for (const key of ['drawn', 'bound', 'boundSd', 'boundK', 'encoderLoss', 'fitLoss', 'fitStep', 'exact', 'fitting']) delete this.#root.dataset[key];
    this.#el('bound-readout').textContent = 'Move the slider to draw up to 20,000 codes from q(z|x) and watch 𝓛_k fall towards −log p_θ(x).';
    this.#el('fit-readout').textContent = '';
    this.#el('gaps').hidden = true;
    this.#el('k-chart').replaceChildren();
    this.#host.showFit(undefined);
    this.#root.querySelectorAll<HTMLButtonElement | HTMLInputElement>('[data-fit], [data-k]').forEach((c) => (c.disabled = true));
  }

  #engine(): Promise<FitModule> {
    this.#module ??= import('../../vae/posterior-fit.ts').then((module) => (this.#loaded = module));
    return this.#module;
  }

  /** Draws the pool (once per digit, in chunks), then shows 𝓛_k for the slider's k. */
  async bounds(): Promise<void> {
    if (!this.#poolWork) this.#poolWork = this.#fillPool();
    this.#show();
    await this.#poolWork;
  }

  async #fillPool(): Promise<void> {
    const run = this.#run;
    const now = this.#host.current();
    if (!now) return;
    const readout = this.#el('bound-readout');
    readout.textContent = 'Loading the bound’s code…';
    // The exact value arrives when the figure's grid is done; the pool does not wait for it.
    void this.#exactOnce();
    const { logWeightPool } = await this.#engine();
    if (run !== this.#run) return;
    this.#pool = new Float32Array(POOL_SIZE);
    try {
      for (const chunk of logWeightPool(now.vae, now.image, now.q, POOL_SIZE, { chunk: 500 })) {
        if (run !== this.#run) return;
        this.#pool.set(chunk, this.#drawn);
        this.#drawn += chunk.length;
        this.#root.dataset['drawn'] = String(this.#drawn);
        this.#show();
        await pause(0);
      }
    } catch (err) {
      if (run === this.#run) readout.textContent = `The importance weights could not be computed: ${errorMessage(err)}.`;
    }
  }

  async #exactOnce(): Promise<number | undefined> {
    const run = this.#run;
    const exact = await this.#host.exact();
    if (run === this.#run) {
      this.#exact = exact;
      if (exact !== undefined) this.#root.dataset['exact'] = String(exact);
      this.#show();
    }
    return exact;
  }

  /** The readout and the chart from what the pool holds now. */
  #show(): void {
    const pool = this.#pool;
    if (!pool || this.#drawn === 0) return;
    if (!this.#loaded) return;
    const { boundSpread } = this.#loaded;
    const drawn = pool.subarray(0, this.#drawn);
    const rows = K_STOPS.filter((k) => k <= this.#drawn).map((k) => boundSpread(drawn, k));
    const k = Math.min(this.k, rows.at(-1)!.k);
    const here = rows.find((r) => r.k === k)!;
    this.#root.dataset['bound'] = String(here.mean);
    this.#root.dataset['boundSd'] = String(here.sd);
    this.#root.dataset['boundK'] = String(here.k);
    this.#el('bound-readout').textContent = boundText(here, this.#exact, this.#drawn);
    this.#chart(rows, here.k);
  }

  #chart(rows: BoundSpread[], k: number): void {
    const svg = this.#el<SVGSVGElement>('k-chart');
    const [width, height] = [240, 120];
    const [lo, hi] = chartRange(rows, this.#exact);
    const y = (v: number) => 6 + ((height - 22) * (hi - v)) / (hi - lo);
    const node = (name: string, attrs: Record<string, string | number>, text?: string) => {
      const el = document.createElementNS(SVG, name);
      for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
      if (text) el.textContent = text;
      return el;
    };
    const parts: Element[] = [];
    const band = [...rows.map((r) => `${chartX(r.k, width)},${y(r.mean + r.sd)}`), ...rows.map((r) => `${chartX(r.k, width)},${y(r.mean - r.sd)}`).reverse()].join(' ');
    parts.push(node('polygon', { points: band, class: 'band' }));
    parts.push(node('polyline', { points: rows.map((r) => `${chartX(r.k, width)},${y(r.mean)}`).join(' '), class: 'mean' }));
    if (this.#exact !== undefined) {
      parts.push(node('line', { x1: 0, x2: width, y1: y(this.#exact), y2: y(this.#exact), class: 'exact' }));
      parts.push(node('text', { x: width - 4, y: y(this.#exact) - 4, 'text-anchor': 'end', class: 'label' }, '−log p(x)'));
    }
    const here = rows.find((r) => r.k === k)!;
    parts.push(node('circle', { cx: chartX(k, width), cy: y(here.mean), r: 4, class: 'here' }));
    for (const tick of [1, 10, 100, 1000]) {
      const anchor = tick === 1 ? 'start' : tick === 1000 ? 'end' : 'middle';
      parts.push(node('text', { x: tick === 1 ? 0 : tick === 1000 ? width : chartX(tick, width), y: height - 3, 'text-anchor': anchor, class: 'label' }, `k=${tick.toLocaleString('en')}`));
    }
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('aria-label', `𝓛_k against k, 1 to ${rows.at(-1)!.k.toLocaleString('en')}: from ${rows[0]!.mean.toFixed(2)} at k = 1 to ${rows.at(-1)!.mean.toFixed(2)} nats${this.#exact === undefined ? '' : `; −log p_θ(x) = ${this.#exact.toFixed(2)}`}.`);
    svg.replaceChildren(...parts);
  }

  /** 200 gradient steps on this digit's 𝓛(x), animated in the plane, then the three numbers. */
  async fit(): Promise<void> {
    if (this.#fitWork) return this.#fitWork;
    this.#fitWork = this.#fit();
    return this.#fitWork;
  }

  async #fit(): Promise<void> {
    const run = this.#run;
    const now = this.#host.current();
    if (!now) return;
    const readout = this.#el('fit-readout');
    const button = this.#el<HTMLButtonElement>('fit');
    button.disabled = true;
    this.#root.dataset['fitting'] = 'true';
    readout.textContent = 'Computing the true posterior, for −log p_θ(x)…';
    try {
      const [{ fitPosterior }, exact] = await Promise.all([this.#engine(), this.#exactOnce()]);
      if (run !== this.#run) return;
      const steps = fitPosterior(now.vae, now.image, now.q);
      let best: FitStep | undefined;
      let encoder: FitStep | undefined;
      try {
        for (let next = steps.next(); ; next = steps.next()) {
          if (run !== this.#run) return;
          if (next.done) {
            best = next.value;
            break;
          }
          const step = next.value;
          encoder ??= step;
          this.#host.showFit({ mu: step.mu, sigma: [Math.exp(0.5 * step.logVar[0]), Math.exp(0.5 * step.logVar[1])] });
          readout.textContent = `Step ${step.step} of 200: 𝓛(x) = ${step.loss.toFixed(2)} nats for this q.`;
          await pause(this.#host.reducedMotion() ? 0 : 30);
        }
      } finally {
        steps.return(undefined as never);
      }
      if (!best || !encoder) return;
      this.#host.showFit({ mu: best.mu, sigma: [Math.exp(0.5 * best.logVar[0]), Math.exp(0.5 * best.logVar[1])] });
      this.#root.dataset['encoderLoss'] = String(encoder.loss);
      this.#root.dataset['fitLoss'] = String(best.loss);
      this.#root.dataset['fitStep'] = String(best.step);
      this.#el('gap-encoder').textContent = encoder.loss.toFixed(2);
      this.#el('gap-fitted').textContent = best.loss.toFixed(2);
      this.#el('gap-exact').textContent = exact === undefined ? 'not computed' : exact.toFixed(2);
      this.#el('gaps').hidden = false;
      readout.textContent = gapsText({ encoder: encoder.loss, fitted: best.loss, fittedStep: best.step, exact });
    } catch (err) {
      if (run === this.#run) readout.textContent = `The fit could not run: ${errorMessage(err)}.`;
    } finally {
      if (run === this.#run) {
        button.disabled = false;
        delete this.#root.dataset['fitting'];
        this.#fitWork = undefined;
      }
    }
  }
}

