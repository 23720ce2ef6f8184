/**
 * `<aggregate-posterior>` (AggregatePosterior.astro): a 2-D VAE's aggregate posterior q(z), the
 * average of every test image's q(z|x), as a heat map beside the prior p(z), on one colour scale,
 * with the holes (where the prior puts mass and q(z) does not) outlined on both. The reader draws
 * codes from p(z), as the VAE generates, or from q(z) (a random test image, then a code from its
 * posterior), sees them on both maps and decoded, and reads how many fell in a hole.
 *
 * The maps need only the test images' posteriors (test-latents.bin) and arithmetic; TF.js loads
 * to decode the drawn codes.
 */
import { sharesOf } from '../../vae/class-shares.ts';
import { cellMassesInSlices, drawCodes, holes, shareInHoles, type CellGrid, type CellMasses, type DrawSource, type Holes, type Posteriors2d } from '../../vae/aggregate-posterior.ts';
import { densityPixels, outline } from '../lib/draw/density-map.ts';
import { fitCanvas } from '../lib/draw/fit-canvas.ts';
import { DIGIT, greyImage } from '../lib/draw/paint.ts';
import { barTops, listAttribute, parseList, percent } from '../lib/draw/class-readout.ts';
import { parseChoice, parseWhole, readParam, writeParam } from '../lib/page/url-state.ts';
import { testCodes } from '../lib/page/test-codes.ts';
import { nextTask } from '../lib/page/lazy.ts';
import { FigureElement, type Engine, type Vae } from './figure-element.ts';

const SOURCES: readonly DrawSource[] = ['prior', 'aggregate'];
const KEY = 'aggregate';
/** Decades of density the maps show below the densest cell of either. */
const DECADES = 3;
/** Draws behind the "share of many draws in a hole" readout. */
const MANY = 10_000;
const MAX_SEED = 1_000_000;
/** The height of the class table's bars, in their SVG's units (AggregatePosterior.astro). */
const BAR_HEIGHT = 40;

/** Both densities as heat images, one pixel a cell, on one log scale topped by the densest cell of either. */
function heatImages(masses: CellMasses): Record<'q' | 'p', OffscreenCanvas> {
  const { n } = masses.grid;
  const top = Math.max(...masses.q, ...masses.p);
  const image = (cells: Float64Array) => {
    const canvas = new OffscreenCanvas(n, n);
    canvas.getContext('2d')!.putImageData(new ImageData(densityPixels(cells, n, top, DECADES), n, n), 0, 0);
    return canvas;
  };
  return { q: image(masses.q), p: image(masses.p) };
}

class AggregatePosterior extends FigureElement {
  protected override loadingText = 'Loading the test images’ posteriors…';
  protected override failureWhat = 'The test images’ posteriors could not be loaded, so this figure cannot run';

  #posteriors: Posteriors2d | undefined;
  #masses: CellMasses | undefined;
  #holes: Holes | undefined;
  #from: DrawSource = 'prior';
  #seed = 1;
  #codes: Float32Array = new Float32Array(0);
  #inHoles: boolean[] = [];
  #engine: Engine | undefined;
  #vae: Vae | undefined;
  /** The status line of the latest draw. */
  #drawText = '';
  /** Each map's heat image, one pixel a cell, and the holes' outline: fixed once the masses are known. */
  #heat: Record<'q' | 'p', OffscreenCanvas> | undefined;
  #edges: [number, number, number, number][] = [];
  /** The share of MANY draws in a hole, per source: fixed seeds, so computed once each. */
  #manyInHoles = new Map<DrawSource, number>();

  get #grid(): CellGrid {
    return { lo: -Number(this.dataset['range']), hi: Number(this.dataset['range']), n: Number(this.dataset['cells']) };
  }

  protected override setup(): void {
    const from = parseChoice(readParam(KEY, 'from'), SOURCES, 'prior', 'codes drawn from');
    const seed = parseWhole(readParam(KEY, 'seed'), 1, MAX_SEED, Number(this.dataset['seed'] ?? 1), 'seed');
    this.#from = from.value;
    this.#seed = seed.value;
    const notes = [from.note, seed.note].filter(Boolean);
    if (notes.length) this.el('note').textContent = notes.join(' ');
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[name]')) radio.checked = radio.value === this.#from;
  }

  protected override async start(): Promise<void> {
    const points = await testCodes(this.dataset['base'] ?? '', this.dataset['model']!);
    if (points.dims !== 2) throw new Error(`the model's codes have ${points.dims} dimensions, not 2`);
    if (!points.logVar) throw new Error('its test-latents.bin holds the means only, not the posteriors’ widths σ');
    this.#posteriors = { count: points.count, mu: points.mu, logVar: points.logVar };
    // In slices, yielding between them: in one piece this is a quarter-second task on the page's thread.
    this.#masses = await cellMassesInSlices(this.#posteriors, this.#grid, nextTask);
    this.#holes = holes(this.#masses);
    this.dataset['priorInHoles'] = this.#holes.priorMassInHoles.toFixed(4);
    this.#heat = heatImages(this.#masses);
    this.#edges = outline(this.#holes.mask, this.#masses.grid.n);
    this.#paintMaps();
    const resize = new ResizeObserver(() => this.#paintMaps());
    for (const canvas of this.querySelectorAll('canvas[data-map]')) resize.observe(canvas);
    this.cleanup(() => resize.disconnect());
    this.onTheme(() => this.#paintMaps());

    this.status('Loading TensorFlow.js and the decoder…', 'loading');
    this.#engine = await this.engine();
    this.#vae = await this.#engine.pretrainedWithProgress(this.dataset['model']!, (text) => this.status(text, 'loading'));
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[name]')) {
      radio.disabled = false;
      this.listen(radio, 'change', () => {
        if (!radio.checked) return;
        this.#from = radio.value as DrawSource;
        writeParam(KEY, 'from', this.#from === 'prior' ? undefined : this.#from);
        this.#draw();
      });
    }
    const again = this.el<HTMLButtonElement>('again');
    again.disabled = false;
    this.listen(again, 'click', () => {
      this.#seed = this.#seed >= MAX_SEED ? 1 : this.#seed + 1;
      writeParam(KEY, 'seed', String(this.#seed));
      this.#draw();
    });
    this.#draw();
    const count = this.maybeEl<HTMLButtonElement>('count');
    if (count) {
      count.disabled = false;
      this.listen(count, 'click', () => {
        count.disabled = true;
        void this.track(this.#countClasses());
      });
    }
  }

  /**
   * Labels CLASS_DRAWS decoded codes from each source with the dataset's classifier and fills the
   * table: a few seconds of decoding, once, when the reader asks, with the status saying so. A
   * classifier that cannot load leaves the table empty with a note; the maps and draws go on.
   */
  async #countClasses(): Promise<void> {
    const readout = this.maybeEl('class-readout');
    if (!readout) return;
    const engine = this.#engine!;
    const total = engine.CLASS_DRAWS.toLocaleString('en');
    this.status(`Counting the digits of ${total} decoded codes from each source…`);
    let classifier;
    try {
      classifier = await engine.pretrainedClassifier(readout.dataset['dataset']!);
    } catch (err) {
      this.el('note').textContent = `The digit classifier could not be loaded (${err instanceof Error ? err.message : String(err)}), so the drawn digits are not counted.`;
      this.status(this.#drawText);
      return;
    }
    try {
      const counts: Partial<Record<DrawSource, number[]>> = {};
      for (const from of SOURCES) {
        // A pause between the sources, so the page stays responsive.
        await new Promise((resolve) => setTimeout(resolve, 0));
        counts[from] = engine.drawnClassCounts(this.#vae!, classifier, this.#posteriors!, from);
      }
      this.#paintClasses(counts as Record<DrawSource, number[]>);
    } finally {
      classifier.dispose();
    }
    this.status(this.#drawText);
  }

  #paintClasses(counts: Record<DrawSource, number[]>): void {
    const readout = this.el('class-readout');
    this.el('count').hidden = true;
    const test = parseList(readout.dataset['testShares']);
    const shares = { prior: sharesOf(counts.prior), aggregate: sharesOf(counts.aggregate) };
    // One scale for both sources' bars and the test digits' ticks: the tallest fills the box.
    const { bars, ticks } = barTops([...shares.prior, ...shares.aggregate], test, BAR_HEIGHT);
    SOURCES.forEach((from, k) => {
      this.dataset[from === 'prior' ? 'classCountsPrior' : 'classCountsAggregate'] = listAttribute(counts[from]);
      shares[from].forEach((share, c) => {
        readout.querySelector(`[data-share-${from}="${c}"]`)!.textContent = percent(share);
        const top = bars[k * shares.prior.length + c]!;
        const bar = readout.querySelector(`[data-bar-${from}="${c}"]`)!;
        bar.setAttribute('y', String(top));
        bar.setAttribute('height', String(BAR_HEIGHT - top));
      });
    });
    readout.querySelectorAll('line.tick').forEach((tick, c) => {
      tick.setAttribute('y1', String(ticks[c]));
      tick.setAttribute('y2', String(ticks[c]));
    });
  }

  #draw(): void {
    const [engine, vae, posteriors, masses, found] = [this.#engine!, this.#vae!, this.#posteriors!, this.#masses!, this.#holes!];
    const side = Number(this.dataset['side'] ?? 6);
    this.#codes = drawCodes(this.#from, posteriors, side * side, this.#seed);
    const images = engine.decode(vae, this.#codes);
    this.el<HTMLCanvasElement>('samples').getContext('2d')?.putImageData(greyImage(engine.tileDigits(images, side), side * DIGIT, side * DIGIT), 0, 0);
    const drawn = shareInHoles(this.#codes, masses.grid, found.mask);
    this.#inHoles = drawn.inHoles;
    // Many more draws of the same kind, for the share a reader's few codes estimate.
    let manyShare = this.#manyInHoles.get(this.#from);
    if (manyShare === undefined) {
      manyShare = shareInHoles(drawCodes(this.#from, posteriors, MANY, MAX_SEED + 1), masses.grid, found.mask).share;
      this.#manyInHoles.set(this.#from, manyShare);
    }
    const count = drawn.inHoles.filter(Boolean).length;
    const what = this.#from === 'prior' ? 'the prior p(z)' : 'q(z): a random test image, then a code from its posterior';
    Object.assign(this.dataset, { from: this.#from, drawn: String(this.#seed), inHoles: String(count), manyInHoles: manyShare.toFixed(4) });
    this.el('readout').textContent = `${count} of ${side * side} codes in a hole; of ${MANY.toLocaleString('en')} such draws, ${(100 * manyShare).toFixed(1)} %.`;
    this.#drawText = `Codes drawn from ${what} (seed ${this.#seed}). Ringed codes fell in a hole.`;
    this.status(this.#drawText, 'ready');
    this.#paintMaps();
  }

  /** Both heat maps on one scale, the holes outlined, and the drawn codes marked (ringed in a hole). */
  #paintMaps(): void {
    const [masses, heat, edges] = [this.#masses, this.#heat, this.#edges];
    if (!masses || !heat) return;
    const { n } = masses.grid;
    const styles = getComputedStyle(this);
    const fg = styles.getPropertyValue('--fg').trim() || '#000';
    const bg = styles.getPropertyValue('--bg').trim() || '#fff';
    for (const canvas of this.querySelectorAll<HTMLCanvasElement>('canvas[data-map]')) {
      const [ctx, size] = fitCanvas(canvas);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(heat[canvas.dataset['map'] === 'q' ? 'q' : 'p'], 0, 0, size, size);
      const unit = size / n;
      // The holes' outline: a light line over a dark one, visible on every colour of the ramp.
      for (const [colour, width] of [[bg, 3], [fg, 1.5]] as const) {
        ctx.strokeStyle = colour;
        ctx.lineWidth = width;
        ctx.beginPath();
        for (const [x0, y0, x1, y1] of edges) {
          ctx.moveTo(x0 * unit, y0 * unit);
          ctx.lineTo(x1 * unit, y1 * unit);
        }
        ctx.stroke();
      }
      const { lo, hi } = masses.grid;
      for (let k = 0; k < this.#codes.length / 2; k++) {
        const x = ((this.#codes[2 * k]! - lo) / (hi - lo)) * size;
        const y = (1 - (this.#codes[2 * k + 1]! - lo) / (hi - lo)) * size;
        ctx.fillStyle = '#fff';
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.arc(x, y, 2.5, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
        if (this.#inHoles[k]) {
          ctx.strokeStyle = '#ff3b30';
          ctx.lineWidth = 2;
          ctx.beginPath();
          ctx.arc(x, y, 6, 0, 2 * Math.PI);
          ctx.stroke();
        }
      }
    }
  }
}

customElements.define('aggregate-posterior', AggregatePosterior);
