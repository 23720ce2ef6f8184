/**
 * `<gradient-estimators>` (GradientEstimators.astro): the score-function and pathwise estimators
 * of ∇ E[h(z)], redrawn with D3 from the layout the build drew (lib/draw/estimator-plot.ts) on
 * every change of h, N, μ, σ or seed. The state a link asks for is read when the figure starts.
 */
import type { FigureState } from '../lib/draw/estimator-plot.ts';
import { readParam, writeParam } from '../lib/page/url-state.ts';
import { FigureElement } from './figure-element.ts';
import { drawText, LINK_KEYS, linkedState, linkValues, sliderTexts } from './gradient-estimators-state.ts';

type Plot = typeof import('../lib/draw/estimator-plot.ts');
type Select = (typeof import('d3-selection'))['select'];

/** The narrowest plot drawn, in SVG units; a narrower box scales it down. */
const MIN_WIDTH = 260;

class GradientEstimators extends FigureElement {
  #plot: Plot | undefined;
  #select: Select | undefined;
  #state: FigureState | undefined;
  #width = 0;
  #frame = 0;
  /** Settles the pending redraw's tracked work once its frame has drawn (or been dropped). */
  #drew: (() => void) | undefined;

  get #prefix(): string {
    return this.dataset['prefix'] ?? 'grad';
  }

  get #firstSeed(): number {
    return Number(this.dataset['seed'] ?? 1);
  }

  protected override setup(): void {
    // The build's line stays while the script loads: it says what the numbers show.
    this.loadingText = this.el('status').textContent ?? '';
    this.cleanup(() => {
      cancelAnimationFrame(this.#frame);
      this.#settleFrame();
    });
  }

  protected override async start(): Promise<void> {
    try {
      const [plot, selection] = await Promise.all([import('../lib/draw/estimator-plot.ts'), import('d3-selection')]);
      this.#plot = plot;
      this.#select = selection.select;
    } catch (err) {
      this.status(`The figure's script could not be loaded: ${err instanceof Error ? err.message : String(err)}. The numbers above are for N = 10.`, 'error');
      return;
    }
    this.#state = this.#fromUrl(this.#plot);
    this.#wire(this.#plot);
    this.el<HTMLFieldSetElement>('inputs').disabled = false;
    this.el<HTMLButtonElement>('again').disabled = false;
    const box = this.el('plot').parentElement!;
    const measure = () => Math.max(MIN_WIDTH, Math.round(box.clientWidth));
    const resize = new ResizeObserver(() => {
      const width = measure();
      if (width !== this.#width) {
        this.#width = width;
        this.#schedule();
      }
    });
    resize.observe(box);
    this.cleanup(() => resize.disconnect());
    this.#width = measure();
    this.#draw();
  }

  /** The state a shared link asks for, clamped and snapped to the controls, with a note for whatever had to change. */
  #fromUrl(plot: Plot): FigureState {
    const fns = [...this.el<HTMLSelectElement>('fn').options].map((o) => o.value);
    const { state, notes, linked } = linkedState((key) => readParam(this.#prefix, key), { fns, steps: plot.N_STEPS, defaults: plot.DEFAULT_STATE, seed: this.#firstSeed });
    const note = this.el('note');
    note.textContent = notes.join(' ');
    note.hidden = notes.length === 0;
    this.el<HTMLSelectElement>('fn').value = state.fn;
    this.el<HTMLInputElement>('n').value = String(plot.N_STEPS.indexOf(state.n as (typeof plot.N_STEPS)[number]));
    this.el<HTMLInputElement>('mu').value = String(state.mu);
    this.el<HTMLInputElement>('sigma').value = String(state.sigma);
    if (linked) this.#writeUrl(state);
    return state;
  }

  #writeUrl(state: FigureState): void {
    const values = linkValues(state);
    for (const key of LINK_KEYS) writeParam(this.#prefix, key, values[key]);
  }

  #wire(plot: Plot): void {
    const change = (update: Partial<FigureState>) => {
      this.#state = { ...this.#state!, ...update };
      if (update.seed === undefined) this.#writeUrl(this.#state);
      this.#schedule();
    };
    const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
    this.listen(this.el('fn'), 'change', (e) => change({ fn: value(e) }));
    this.listen(this.el('n'), 'input', (e) => change({ n: plot.N_STEPS[Number(value(e))] ?? plot.DEFAULT_STATE.n }));
    this.listen(this.el('mu'), 'input', (e) => change({ mu: Number(value(e)) }));
    this.listen(this.el('sigma'), 'input', (e) => change({ sigma: Number(value(e)) }));
    this.listen(this.el('again'), 'click', () => change({ seed: this.#state!.seed + 1 }));
  }

  /** Redraws in the next frame, once however many changes come before it; pending until then. */
  #schedule(): void {
    cancelAnimationFrame(this.#frame);
    if (!this.#drew) void this.track(new Promise<void>((resolve) => (this.#drew = resolve)));
    this.#frame = requestAnimationFrame(() => {
      try {
        this.#draw();
      } finally {
        this.#settleFrame();
      }
    });
  }

  #settleFrame(): void {
    this.#drew?.();
    this.#drew = undefined;
  }

  #draw(): void {
    const plot = this.#plot!;
    const state = this.#state!;
    const result = plot.simulate(state);
    const shapes = plot.layout(result, this.#width);
    const svg = this.#select!(this.el<SVGSVGElement>('plot')).attr('viewBox', `0 0 ${shapes.width} ${shapes.height}`).attr('aria-label', plot.describe(result));
    const lines = (layer: string, data: typeof shapes.under) =>
      svg
        .select(`[data-layer="${layer}"]`)
        .selectAll('line')
        .data(data)
        .join('line')
        .attr('class', (d) => d.cls)
        .attr('x1', (d) => d.x1)
        .attr('y1', (d) => d.y1)
        .attr('x2', (d) => d.x2)
        .attr('y2', (d) => d.y2);
    lines('under', shapes.under);
    lines('over', shapes.over);
    svg
      .select('[data-layer="dots"]')
      .selectAll('circle')
      .data(shapes.dots)
      .join('circle')
      .attr('class', (d) => d.cls)
      .attr('cx', (d) => d.cx)
      .attr('cy', (d) => d.cy)
      .attr('r', 2.6);
    svg
      .select('[data-layer="labels"]')
      .selectAll('text')
      .data(shapes.labels)
      .join('text')
      .attr('class', (d) => d.cls)
      .attr('x', (d) => d.x)
      .attr('y', (d) => d.y)
      .attr('text-anchor', (d) => d.anchor)
      .text((d) => d.text);

    const out = (name: string, text: string) => (this.el(`out="${name}"`).textContent = text);
    for (const p of plot.PARTS) {
      out(`truth-${p}`, plot.fmt(result.truth[p]));
      for (const e of plot.ESTIMATORS) {
        const [mean, sd] = plot.fmtSpread(result.summary[e][p].mean, result.summary[e][p].sd);
        out(`${e}-${p}-mean`, mean);
        out(`${e}-${p}-sd`, sd);
      }
      out(`ratio-${p}`, plot.sdRatio(result, p));
    }
    const texts = sliderTexts(state);
    for (const name of ['n', 'mu', 'sigma'] as const) {
      this.el(`${name}-out`).textContent = texts[name];
      this.el(name).setAttribute('aria-valuetext', texts[name]);
    }
    Object.assign(this.dataset, { n: String(state.n), fn: state.fn, drawn: String(state.seed) });
    this.status(drawText(state, this.#firstSeed, plot.REPEATS), 'ready');
  }
}

customElements.define('gradient-estimators', GradientEstimators);
