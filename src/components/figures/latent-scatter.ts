/**
 * `<latent-scatter>` (LatentScatter.astro): the test set in a model's latent plane, one dot per
 * test image at its code, coloured by class, drawn from the precomputed test codes before TF.js
 * loads. Pointing at a dot (pointer, touch or the arrow keys) names the image and decodes its
 * code; the engine loads on that first request. Where the dataset names its images, the image
 * itself (one range request for its bytes) and its name show too. Zoom, pan and hiding classes redraw the plane.
 */
import type { Quadtree } from 'd3-quadtree';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomTransform } from 'd3-zoom';
import type { LatentPoints } from '../../vae/latents-file.ts';
import { classColours } from '../lib/draw/class-colours.ts';
import { fitCanvas } from '../lib/draw/fit-canvas.ts';
import { getSpec, imageShape } from '../../vae/spec.ts';
import { originAxes, probsImage } from '../lib/draw/paint.ts';
import { datasetImage } from '../lib/engine/dataset-images.ts';
import { fittedSquare } from '../lib/draw/plane.ts';
import { testCodes } from '../lib/page/test-codes.ts';
import { FigureElement, type Engine, type Vae } from './figure-element.ts';
import {
  ARROWS,
  decodedStatus,
  dotRadius,
  drawnStatus,
  isIdentity,
  parseCentre,
  pickAt,
  pointIndex,
  readoutText,
  scatterPlane,
  scatterScales,
  shownPoints,
  stepFrom,
  type Scales,
} from './latent-scatter-plane.ts';

class LatentScatter extends FigureElement {
  protected override loadingText = 'Loading the test images’ codes…';
  protected override failureWhat = 'The test images’ codes could not be loaded';

  #points: LatentPoints | undefined;
  /** Where each point is drawn: its code, or for more than 2 dimensions its principal-plane coordinates. */
  #xy: Float32Array<ArrayBufferLike> = new Float32Array(0);
  #planeNote = '';
  #tree: Quadtree<number> | undefined;
  #hidden = new Set<number>();
  #transform: ZoomTransform = zoomIdentity;
  #chosen = -1;
  #decoder: Promise<{ engine: Engine; vae: Vae }> | undefined;
  #frame = 0;

  get #canvas(): HTMLCanvasElement {
    return this.el<HTMLCanvasElement>('canvas');
  }

  get #classes(): string[] {
    return JSON.parse(this.dataset['classes'] ?? '[]') as string[];
  }

  /** The test images' own names (the emoji's), if the figure was given them. */
  #names: string[] | undefined;

  protected override setup(): void {
    if (this.dataset['names']) this.#names = JSON.parse(this.dataset['names']) as string[];
    this.cleanup(() => cancelAnimationFrame(this.#frame));
  }

  protected override async start(): Promise<void> {
    const started = performance.now();
    this.#points = await testCodes(this.dataset['base'] ?? '', this.dataset['model']!);
    const { count, dims } = this.#points;
    const { xy, note } = scatterPlane(this.#points);
    this.#xy = xy;
    this.#planeNote = note;
    if (dims !== 2) this.dataset['dims'] = String(dims);
    const ms = Math.round(performance.now() - started);
    this.dataset['points'] = String(count);
    if (this.dataset['range'] === 'auto') {
      const [cx, cy, half] = fittedSquare(this.#xy);
      Object.assign(this.dataset, { centre: `${cx},${cy}`, range: String(half) });
    }
    this.status(drawnStatus(count, ms, this.#planeNote), 'ready');
    this.#wire();
    const resize = new ResizeObserver(() => this.#draw());
    resize.observe(this.#canvas);
    this.cleanup(() => resize.disconnect());
    this.onTheme(() => this.#redraw());
  }

  /** Data → CSS pixels of the canvas, after zoom. */
  #scales(): Scales {
    return scatterScales(Number(this.dataset['range'] ?? 4), parseCentre(this.dataset['centre']), this.#canvas.clientWidth, this.#transform);
  }

  #draw(): void {
    const points = this.#points;
    if (!points) return;
    const xy = this.#xy;
    const canvas = this.#canvas;
    const [ctx, size] = fitCanvas(canvas);
    const [x, y] = this.#scales();
    // Axes through the origin, in the colour of the canvas's own border (--rule, resolved for light or dark).
    ctx.strokeStyle = getComputedStyle(canvas).borderTopColor;
    ctx.lineWidth = 1;
    originAxes(ctx, x(0), y(0), size);
    const r = dotRadius(size, this.#transform.k);
    const shown = shownPoints(points.labels, points.count, this.#hidden);
    const palette = classColours();
    ctx.globalAlpha = 0.75;
    let label = -1;
    for (const i of shown) {
      if (points.labels[i] !== label) {
        if (label >= 0) ctx.fill();
        label = points.labels[i]!;
        ctx.fillStyle = palette[label]!;
        ctx.beginPath();
      }
      const px = x(xy[2 * i]!);
      const py = y(xy[2 * i + 1]!);
      ctx.moveTo(px + r, py);
      ctx.arc(px, py, r, 0, 2 * Math.PI);
    }
    if (label >= 0) ctx.fill();
    ctx.globalAlpha = 1;
    this.dataset['visible'] = String(shown.length);
    this.#tree = pointIndex(xy, shown);
    if (this.#chosen >= 0) {
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = getComputedStyle(this).color;
      ctx.beginPath();
      ctx.arc(x(xy[2 * this.#chosen]!), y(xy[2 * this.#chosen + 1]!), r + 5, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }

  #redraw(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => this.#draw());
  }

  #wire(): void {
    const canvas = this.#canvas;
    const reset = this.el<HTMLButtonElement>('reset');
    const behaviour = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.5, 40])
      .on('zoom', (event: { transform: ZoomTransform }) => {
        this.#transform = event.transform;
        reset.hidden = isIdentity(event.transform);
        this.#redraw();
      });
    select(canvas).call(behaviour);
    this.cleanup(() => select(canvas).on('.zoom', null));
    this.listen(reset, 'click', () => select(canvas).call(behaviour.transform, zoomIdentity));
    this.listen(canvas, 'pointermove', (e) => this.#pick(e.offsetX, e.offsetY));
    this.listen(canvas, 'click', (e) => this.#pick(e.offsetX, e.offsetY));
    this.listen(canvas, 'keydown', (e) => this.#key(e));
    for (const button of this.querySelectorAll<HTMLButtonElement>('.legend button')) {
      this.listen(button, 'click', () => {
        const label = Number(button.dataset['class']);
        const show = this.#hidden.has(label);
        if (show) this.#hidden.delete(label);
        else this.#hidden.add(label);
        button.setAttribute('aria-pressed', String(show));
        if (!show && this.#chosen >= 0 && this.#points!.labels[this.#chosen] === label) this.#chosen = -1;
        this.#draw();
      });
    }
  }

  /** Picks the shown test image nearest to canvas position (px, py), if one is near enough. */
  #pick(px: number, py: number): void {
    if (!this.#tree) return;
    const found = pickAt(this.#tree, this.#scales(), px, py);
    if (found !== undefined) this.#choose(found);
  }

  /** Arrow keys step to the nearest shown image in that direction from the chosen one. */
  #key(e: KeyboardEvent): void {
    const dir = ARROWS[e.key];
    const points = this.#points;
    if (!dir || !points) return;
    e.preventDefault();
    const best = stepFrom(this.#xy, points.labels, points.count, this.#chosen, dir, this.#hidden);
    if (best >= 0) this.#choose(best);
  }

  #choose(i: number): void {
    if (i === this.#chosen) return;
    this.#chosen = i;
    const p = this.#points!;
    const label = p.labels[i]!;
    const code = p.mu.slice(i * p.dims, (i + 1) * p.dims);
    this.dataset['chosen'] = String(i);
    const className = this.#classes[label] ?? String(label);
    const called = this.#names?.[i];
    this.el<HTMLOutputElement>('readout').textContent = readoutText(i, called === undefined ? className : `${called} (${className})`, code);
    this.#redraw();
    if (this.maybeEl('original')) void this.track(this.#showOriginal(i));
    void this.track(this.#decode(i, code));
  }

  /** Test image i itself, beside its decoding. */
  async #showOriginal(i: number): Promise<void> {
    try {
      const { image } = await datasetImage(this.dataset['data']!, 'test', i);
      if (this.#chosen !== i) return;
      this.el<HTMLCanvasElement>('original').getContext('2d')?.putImageData(probsImage(image, imageShape(getSpec(this.dataset['model']!))), 0, 0);
      this.dataset['shown'] = String(i);
    } catch (err) {
      this.status(`The test image could not be loaded: ${err instanceof Error ? err.message : String(err)}. The scatter still works.`, 'error');
    }
  }

  async #decode(i: number, code: Float32Array): Promise<void> {
    try {
      if (!this.#decoder) {
        this.status('Loading TensorFlow.js to decode the codes…');
        this.#decoder = this.engine().then(async (engine) => ({ engine, vae: await engine.pretrainedWithProgress(this.dataset['model']!, (text) => this.status(text)) }));
      }
      const { engine, vae } = await this.#decoder;
      const probs = await engine.decodeAsync(vae, code);
      if (this.#chosen !== i) return;
      this.el<HTMLCanvasElement>('digit').getContext('2d')?.putImageData(probsImage(probs, imageShape(vae.spec)), 0, 0);
      this.dataset['decoded'] = String(i);
      this.status(decodedStatus(this.#points!.count, this.#planeNote), 'ready');
    } catch (err) {
      this.#decoder = undefined;
      this.status(`The model could not be loaded to decode the codes: ${err instanceof Error ? err.message : String(err)}. The scatter still works.`, 'error');
    }
  }
}

customElements.define('latent-scatter', LatentScatter);
