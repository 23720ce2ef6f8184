/**
 * `<draw-digit>` (DrawDigit.astro): a drawing pad whose ink is preprocessed as MNIST's digits
 * were (src/vae/preprocess.ts), and for each 2-D model the code it gives the result, as a ring
 * over its faint test codes, and the reconstruction decoded from that code. "Use a test digit"
 * puts a real test image on the pad, so the figure works without a pointer.
 */
import { nearestNeighbours } from '../../vae/code-neighbours.ts';
import type { LatentPoints } from '../../vae/latents-file.ts';
import { inkFromAlpha, preprocessDigit } from '../../vae/preprocess.ts';
import { createRng, type Rng } from '../../vae/random.ts';
import { classColours } from '../lib/draw/class-colours.ts';
import { digitImage } from '../lib/draw/paint.ts';
import { fittedSquare, planePoint, ringSpot } from '../lib/draw/plane.ts';
import { traceStroke } from '../lib/draw/stroke.ts';
import { datasetGrey, datasetManifest } from '../lib/engine/dataset-images.ts';
import { testCodes } from '../lib/page/test-codes.ts';
import { inkPixels, PAD, padDescription, padPoint, PEN, visibleMarks, type Mark } from './draw-digit-pad.ts';
import { codeParts, nearSentence, NEIGHBOURS, OUTSIDE } from './draw-digit-readout.ts';
import { FigureElement, type Engine, type Vae } from './figure-element.ts';

interface Panel {
  id: string;
  kind: string;
  name: string;
  el: HTMLElement;
  vae?: Vae;
  points?: LatentPoints;
  /** [cx, cy, half] of the plotted square. */
  square?: [number, number, number];
  /** The faint test codes, drawn once per theme. */
  backdrop?: HTMLCanvasElement;
  /** The drawing's code, while the pad holds one. */
  code?: Float32Array;
}

interface Result {
  panel: Panel;
  mu: Float32Array;
  sigma: Float32Array | null;
  probs: Float32Array;
}

/** The element marked `data-NAME` inside a panel. */
function part<T extends Element = HTMLElement>(panel: Panel, name: string): T {
  const el = panel.el.querySelector<T>(`[data-${name}]`);
  if (!el) throw new Error(`draw-digit: missing [data-${name}] in ${panel.id}`);
  return el;
}

class DrawDigit extends FigureElement {
  protected override loadingText = 'Loading the test codes, TensorFlow.js and the two models…';
  protected override failureWhat = 'The models could not be loaded, so this figure cannot encode your drawing';

  #marks: Mark[] = [];
  #panels: Panel[] = [];
  #engine: Engine | undefined;
  #input: Float32Array | undefined;
  #pointer: number | undefined;
  #frame = 0;
  #busy = false;
  #dirty = false;
  /** Say the result in the status line once it is computed (after a stroke ends, not during it). */
  #announce = false;
  #runs = 0;
  #rng: Rng = createRng(1);

  get #pad(): HTMLCanvasElement {
    return this.el<HTMLCanvasElement>('pad');
  }

  get #classes(): string[] {
    return JSON.parse(this.dataset['classes'] ?? '[]') as string[];
  }

  /** The pad works at once; the models follow when the figure comes near. */
  protected override setup(): void {
    this.#rng = createRng(Number(this.dataset['seed'] ?? 1));
    this.#panels = Array.from(this.querySelectorAll<HTMLElement>('[data-result]'), (el) => ({
      id: el.dataset['result']!,
      kind: el.dataset['kind']!,
      name: el.dataset['name']!,
      el,
    }));
    this.#wire();
    this.cleanup(() => cancelAnimationFrame(this.#frame));
    this.onTheme(() => {
      for (const panel of this.#panels) this.#paintBackdrop(panel);
    });
  }

  #wire(): void {
    const pad = this.#pad;
    this.listen(pad, 'pointerdown', (e) => {
      if (this.#pointer !== undefined || (e.pointerType === 'mouse' && e.button !== 0)) return;
      e.preventDefault();
      this.#pointer = e.pointerId;
      try {
        pad.setPointerCapture(e.pointerId);
      } catch {
        // A synthetic pointer cannot be captured; the stroke still follows it over the pad.
      }
      this.#marks.push({ kind: 'stroke', points: this.#padPoint(e) });
      this.#changed(false);
    });
    this.listen(pad, 'pointermove', (e) => {
      const stroke = this.#marks.at(-1);
      if (e.pointerId !== this.#pointer || stroke?.kind !== 'stroke') return;
      const events = e.getCoalescedEvents?.() ?? [];
      for (const each of events.length > 0 ? events : [e]) stroke.points.push(...this.#padPoint(each));
      this.#changed(false);
    });
    const end = (e: PointerEvent) => {
      if (e.pointerId !== this.#pointer) return;
      this.#pointer = undefined;
      this.#changed(true);
    };
    this.listen(pad, 'pointerup', end);
    this.listen(pad, 'pointercancel', end);
    this.listen(this.el('undo'), 'click', () => {
      this.#marks.pop();
      this.#changed(true);
    });
    this.listen(this.el('clear'), 'click', () => {
      this.#marks = [];
      this.#changed(true);
    });
    const example = this.el<HTMLButtonElement>('example');
    example.disabled = false;
    this.listen(example, 'click', () => void this.track(this.#useTestDigit()));
  }

  #padPoint(e: PointerEvent): [number, number] {
    return padPoint(e.clientX, e.clientY, this.#pad.getBoundingClientRect());
  }

  protected override async start(): Promise<void> {
    // The planes of test codes draw first; they need no TF.js.
    await Promise.all(this.#panels.map((panel) => this.#loadCodes(panel)));
    const engine = (this.#engine = await this.engine());
    await Promise.all(this.#panels.map(async (panel) => (panel.vae = await engine.pretrainedWithProgress(panel.id, (text) => this.status(text, 'loading'), 'Loading the models'))));
    this.status('Both models run in your browser. Draw a digit, or press Use a test digit.', 'ready');
    this.#announce = this.#input !== undefined;
    void this.track(this.#run());
  }

  async #loadCodes(panel: Panel): Promise<void> {
    const points = await testCodes(this.dataset['base'] ?? '', panel.id);
    Object.assign(panel, { points, square: fittedSquare(points.mu) });
    this.#paintBackdrop(panel);
  }

  /** Draws a panel's test codes, faint and coloured by class, into its backdrop, and shows it. */
  #paintBackdrop(panel: Panel): void {
    const { points, square } = panel;
    if (!points || !square) return;
    const plane = part<HTMLCanvasElement>(panel, 'plane');
    const backdrop = (panel.backdrop ??= document.createElement('canvas'));
    [backdrop.width, backdrop.height] = [plane.width, plane.height];
    const ctx = backdrop.getContext('2d')!;
    ctx.globalAlpha = 0.3;
    const palette = classColours();
    for (let label = 0; label < 10; label++) {
      ctx.fillStyle = palette[label]!;
      ctx.beginPath();
      for (let i = 0; i < points.count; i++) {
        if (points.labels[i] !== label) continue;
        const [x, y] = planePoint(square, plane.width, points.mu[2 * i]!, points.mu[2 * i + 1]!);
        ctx.moveTo(x + 1.4, y);
        ctx.arc(x, y, 1.4, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
    this.#paintPlane(panel);
  }

  /** The test codes, and the drawing's code as a ring (held at the edge when it falls outside). */
  #paintPlane(panel: Panel): boolean {
    const plane = part<HTMLCanvasElement>(panel, 'plane');
    const ctx = plane.getContext('2d')!;
    ctx.clearRect(0, 0, plane.width, plane.height);
    if (panel.backdrop) ctx.drawImage(panel.backdrop, 0, 0);
    const code = panel.code;
    if (!code || !panel.square) return true;
    const r = 13;
    const [x, y] = planePoint(panel.square, plane.width, code[0]!, code[1]!);
    const spot = ringSpot(x, y, plane.width, plane.height, r);
    const colour = getComputedStyle(this).color;
    ctx.lineWidth = 7;
    ctx.strokeStyle = getComputedStyle(plane).backgroundColor;
    ctx.beginPath();
    ctx.arc(spot.x, spot.y, r, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.lineWidth = 3.5;
    ctx.strokeStyle = colour;
    ctx.stroke();
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.arc(spot.x, spot.y, 3.5, 0, 2 * Math.PI);
    ctx.fill();
    return spot.inside;
  }

  /** Something changed on the pad: redraw it and rerun the models on the next frame. */
  #changed(final: boolean): void {
    if (final) this.#announce = true;
    this.dataset['marks'] = String(this.#marks.length);
    this.el<HTMLButtonElement>('undo').disabled = this.#marks.length === 0;
    this.el<HTMLButtonElement>('clear').disabled = this.#marks.length === 0;
    if (!this.#frame) this.#frame = requestAnimationFrame(() => this.#onFrame());
  }

  #onFrame(): void {
    this.#frame = 0;
    const ctx = this.#pad.getContext('2d', { willReadFrequently: true })!;
    this.#paintPad(ctx);
    const input = preprocessDigit(inkFromAlpha(ctx.getImageData(0, 0, PAD, PAD).data), PAD, PAD);
    this.#input = input.drawn ? input.image : undefined;
    this.dataset['drawn'] = String(input.drawn);
    const preview = this.el<HTMLCanvasElement>('input');
    preview.getContext('2d')!.putImageData(digitImage(this.#input ?? new Float32Array(784)), 0, 0);
    preview.setAttribute('aria-label', `The models' input: ${input.drawn ? 'your drawing, scaled and centred in 28 × 28 pixels' : 'empty'}`);
    this.#pad.setAttribute('aria-label', `Drawing pad, ${padDescription(this.#marks, this.#classes)}. Draw a digit with a mouse, pen or finger, or use the Use a test digit button.`);
    void this.track(this.#run());
  }

  #paintPad(ctx: CanvasRenderingContext2D): void {
    ctx.clearRect(0, 0, PAD, PAD);
    ctx.fillStyle = ctx.strokeStyle = '#fff';
    ctx.lineWidth = PEN;
    ctx.lineCap = ctx.lineJoin = 'round';
    for (const mark of visibleMarks(this.#marks)) {
      if (mark.kind === 'stroke') {
        traceStroke(ctx, mark.points, PEN);
        continue;
      }
      // The test digit's 28 × 28 pixels, as ink, smoothly enlarged to fill the pad.
      const small = document.createElement('canvas');
      small.width = small.height = 28;
      small.getContext('2d')!.putImageData(new ImageData(inkPixels(mark.grey), 28, 28), 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(small, 0, 0, PAD, PAD);
    }
  }

  async #useTestDigit(): Promise<void> {
    const button = this.el<HTMLButtonElement>('example');
    const dataset = this.dataset['dataset'] ?? 'mnist';
    button.disabled = true;
    try {
      const manifest = await datasetManifest(`data/${dataset}`);
      const index = Math.floor(this.#rng() * manifest.splits.test.count);
      const { grey, label } = await datasetGrey(`data/${dataset}`, 'test', index);
      this.#marks.push({ kind: 'digit', grey, index, label });
      this.dataset['testIndex'] = String(index);
      this.#changed(true);
    } catch (err) {
      this.status(`The test digit could not be fetched: ${err instanceof Error ? err.message : String(err)}. Drawing still works.`, 'error');
    } finally {
      button.disabled = false;
    }
  }

  /** Encodes and decodes the current input with every model; one run at a time, the latest input next. */
  async #run(): Promise<void> {
    if (this.#busy) {
      this.#dirty = true;
      return;
    }
    const engine = this.#engine;
    const image = this.#input;
    if (!image) {
      this.#showEmpty();
      return;
    }
    if (!engine || this.#panels.some((panel) => !panel.vae)) {
      if (this.state !== 'error') for (const panel of this.#panels) part(panel, 'code').textContent = 'Waiting for the model…';
      return;
    }
    this.#busy = true;
    try {
      const results: Result[] = [];
      for (const panel of this.#panels) {
        const { mu, logVar } = engine.encode(panel.vae!, image);
        const probs = await engine.decodeAsync(panel.vae!, mu);
        results.push({ panel, mu, sigma: logVar && logVar.map((v) => Math.exp(v / 2)), probs });
      }
      const lines = results.map((result) => this.#show(result));
      this.dataset['runs'] = String(++this.#runs);
      if (this.#announce && !this.#dirty) {
        this.#announce = false;
        this.el('said').textContent = lines.join(' ');
      }
    } catch (err) {
      this.status(`The models could not run on your drawing: ${err instanceof Error ? err.message : String(err)}.`, 'error');
    } finally {
      this.#busy = false;
    }
    if (this.#dirty) {
      this.#dirty = false;
      await this.#run();
    }
  }

  /** One model's code and reconstruction; returns a sentence that says them. */
  #show({ panel, mu, sigma, probs }: Result): string {
    const parts = codeParts(panel.kind, mu, sigma);
    const code = parts.join(', ');
    part(panel, 'code').replaceChildren(...parts.map((text, k) => Object.assign(document.createElement('span'), { textContent: `${text}${k < parts.length - 1 ? ', ' : ''}` })));
    panel.el.dataset['code'] = `${mu[0]},${mu[1]}`;
    panel.code = mu;
    const inside = this.#paintPlane(panel);
    const near = panel.points && panel.square ? nearSentence(nearestNeighbours(panel.points, mu[0]!, mu[1]!, NEIGHBOURS), this.#classes, panel.square[2]) : '';
    const where = `${near}${inside ? '' : OUTSIDE}`;
    part(panel, 'near').textContent = where;
    const recon = part<HTMLCanvasElement>(panel, 'recon');
    recon.getContext('2d')!.putImageData(digitImage(probs), 0, 0);
    recon.setAttribute('aria-label', `Reconstruction by the ${panel.name}, decoded from ${code}`);
    return `${panel.name}: ${code}. ${where}`;
  }

  #showEmpty(): void {
    for (const panel of this.#panels) {
      part(panel, 'code').textContent = 'Draw a digit';
      part(panel, 'near').textContent = '';
      delete panel.el.dataset['code'];
      delete panel.code;
      this.#paintPlane(panel);
      const recon = part<HTMLCanvasElement>(panel, 'recon');
      recon.getContext('2d')!.clearRect(0, 0, recon.width, recon.height);
      recon.setAttribute('aria-label', `Reconstruction by the ${panel.name}: none, the pad is empty`);
    }
    if (this.#announce && this.state === 'ready') {
      this.#announce = false;
      this.el('said').textContent = 'The pad is empty.';
    }
  }
}

customElements.define('draw-digit', DrawDigit);
