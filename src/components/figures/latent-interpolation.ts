/**
 * `<latent-interpolation>` (LatentInterpolation.astro): two test digits A and B, encoded to their
 * means, and the digits decoded along the linear and the spherical path between them, with the
 * latent plane showing both paths; the reader picks A and B (by class, by stepping, by dragging
 * in the plane, or by name where the dataset names its images) and the step t. The plane draws from the precomputed test codes before TF.js
 * loads; the pair and t live in the URL.
 */
import { nearestCodes, type NearestCodes } from '../../vae/class-shares.ts';
import { norm, pathCodes, PATH_KINDS, type PathKind } from '../../vae/interpolate.ts';
import type { LatentPoints } from '../../vae/latents-file.ts';
import { getSpec, imageShape, imageValues, type ImageShape } from '../../vae/spec.ts';
import { probsImage } from '../lib/draw/paint.ts';
import { cssColour, paintPathPlane } from '../lib/draw/path-plane.ts';
import { squareView } from '../lib/draw/square-view.ts';
import { datasetImage } from '../lib/engine/dataset-images.ts';
import { testCodes } from '../lib/page/test-codes.ts';
import { readParam, writeParam } from '../lib/page/url-state.ts';
import { FigureElement, type Engine, type Vae } from './figure-element.ts';
import { classLists, codeAt, END_NAME, ENDS, linkState, markPlace, nearerEnd, stepAtFraction, stepInClass, tOfStep, tText, type End } from './latent-interpolation-steps.ts';

class LatentInterpolation extends FigureElement {
  protected override loadingText = 'Loading the test images’ codes…';

  #points: LatentPoints | undefined;
  #nearest: NearestCodes | undefined;
  #byClass: number[][] = [];
  #pick: Record<End, number> = { a: 0, b: 0 };
  #step = 0;
  /** The encoder's means for the pair the strips show. */
  #live: { a: number; b: number; za: Float32Array; zb: Float32Array } | undefined;
  #model: Promise<{ engine: Engine; vae: Vae }> | undefined;
  #dirty = false;
  #busy = false;
  #dragging: End | undefined;
  #frame = 0;
  /** The test images' names, in test order, where the figure offers picking by name. */
  #names: string[] = [];

  get #shape(): ImageShape {
    return imageShape(getSpec(this.dataset['model']!));
  }

  /** The element marked `data-NAME` inside `root` (one end's box, a row of the table). */
  #in<T extends Element = HTMLElement>(root: ParentNode, name: string): T {
    const el = root.querySelector<T>(`[data-${name}]`);
    if (!el) throw new Error(`latent-interpolation: missing [data-${name}]`);
    return el;
  }

  #end(end: End): HTMLFieldSetElement {
    return this.el<HTMLFieldSetElement>(`end="${end}"`);
  }

  get #steps(): number {
    return Number(this.dataset['steps'] ?? 11);
  }

  get #key(): string {
    return this.dataset['key'] ?? 'interp';
  }

  get #range(): number {
    return Number(this.dataset['range'] ?? 4);
  }

  get #t(): number {
    return tOfStep(this.#step, this.#steps);
  }

  protected override setup(): void {
    this.#names = Array.from(this.maybeEl<HTMLDataListElement>('names')?.options ?? [], (o) => o.value);
    this.#fromUrl();
    this.#showStep();
    this.cleanup(() => cancelAnimationFrame(this.#frame));
  }

  /** The pair and t of a shared link; values out of range are clamped, and the figure says so. */
  #fromUrl(): void {
    const last = Number(this.dataset['count'] ?? 10_000) - 1;
    const defaults = { a: Number(this.dataset['a'] ?? 0), b: Number(this.dataset['b'] ?? 0), t: Number(this.dataset['t'] ?? 0.5) };
    const { pick, step, notes } = linkState((name) => readParam(this.#key, name), last, this.#steps, defaults);
    this.#pick = pick;
    this.#step = step;
    for (const end of ENDS) this.#in<HTMLOutputElement>(this.#end(end), 'index').value = `#${pick[end]}`;
    if (pick.a !== Number(this.dataset['a']) || pick.b !== Number(this.dataset['b'])) {
      this.querySelector('[data-static]')?.remove();
      this.#removeStaticStrips();
    }
    const note = this.el('note');
    note.textContent = notes.join(' ');
    note.hidden = notes.length === 0;
  }

  protected override async start(): Promise<void> {
    try {
      this.#points = await testCodes(this.dataset['base'] ?? '', this.dataset['model']!);
    } catch (err) {
      this.fail(err, 'The test images’ codes could not be loaded');
      return;
    }
    const { count, mu, labels } = this.#points;
    this.#nearest = nearestCodes(mu, count);
    this.#byClass = classLists(labels);
    for (const end of ENDS) this.#showPick(end);
    this.#wire();
    const resize = new ResizeObserver(() => this.#drawPlane());
    resize.observe(this.el('plane'));
    this.cleanup(() => resize.disconnect());
    // The plane's colours are painted, not styled: it is drawn again when the theme changes.
    this.onTheme(() => this.#drawPlane());
    this.#refresh();
  }

  #wire(): void {
    for (const end of ENDS) {
      const box = this.#end(end);
      const select = this.#in<HTMLSelectElement>(box, 'class');
      this.listen(select, 'change', () => {
        const first = this.#byClass[Number(select.value)]?.[0];
        if (first !== undefined) this.#choose(end, first);
      });
      const step = (by: number) => this.#choose(end, stepInClass(this.#byClass[this.#points!.labels[this.#pick[end]]!]!, this.#pick[end], by));
      this.listen(this.#in(box, 'prev'), 'click', () => step(-1));
      this.listen(this.#in(box, 'next'), 'click', () => step(1));
      const name = box.querySelector<HTMLInputElement>('[data-name]');
      if (name) this.listen(name, 'change', () => this.#byName(end, name));
      for (const control of box.querySelectorAll<HTMLButtonElement | HTMLSelectElement | HTMLInputElement>('button, select, input')) control.disabled = false;
    }
    const slider = this.el<HTMLInputElement>('t');
    this.listen(slider, 'input', () => this.#setStep(Number(slider.value)));
    for (const strip of this.querySelectorAll<HTMLElement>('[data-strip]')) {
      const fromPointer = (e: PointerEvent) => {
        const box = strip.getBoundingClientRect();
        this.#setStep(stepAtFraction((e.clientX - box.left) / box.width, this.#steps));
      };
      this.listen(strip, 'pointerdown', (e) => {
        strip.setPointerCapture(e.pointerId);
        fromPointer(e);
      });
      this.listen(strip, 'pointermove', (e) => {
        if (strip.hasPointerCapture(e.pointerId)) fromPointer(e);
      });
    }
    const plane = this.el<HTMLCanvasElement>('plane');
    this.listen(plane, 'pointerdown', (e) => {
      const [x, y] = this.#toPlane(e.offsetX, e.offsetY);
      this.#dragging = nearerEnd(this.#code('a'), this.#code('b'), x, y);
      plane.setPointerCapture(e.pointerId);
      this.#grab(x, y);
      e.preventDefault();
    });
    this.listen(plane, 'pointermove', (e) => {
      if (this.#dragging) this.#grab(...this.#toPlane(e.offsetX, e.offsetY));
    });
    const drop = () => (this.#dragging = undefined);
    this.listen(plane, 'pointerup', drop);
    this.listen(plane, 'pointercancel', drop);
  }

  /** Canvas CSS pixels → latent coordinates. */
  #toPlane(px: number, py: number): [number, number] {
    return squareView([0, 0], this.#range, this.el<HTMLCanvasElement>('plane').clientWidth).toPlane(px, py);
  }

  /** The dragged end moves to the test image whose code is nearest (x, y). */
  #grab(x: number, y: number): void {
    if (!this.#nearest || !this.#dragging) return;
    const best = this.#nearest.nearest(x, y);
    if (best !== this.#pick[this.#dragging]) this.#choose(this.#dragging, best);
  }

  /** The reader typed or picked a name: that test image, or a note saying there is none. */
  #byName(end: End, input: HTMLInputElement): void {
    const typed = input.value.trim();
    const i = this.#names.indexOf(typed);
    const note = this.el('note');
    if (i < 0) {
      note.textContent = `No held-out image is called “${typed}”: pick a name from the list. ${END_NAME[end]} stays ${this.#names[this.#pick[end]]}.`;
      note.hidden = false;
      input.value = this.#names[this.#pick[end]] ?? '';
      return;
    }
    note.hidden = true;
    this.#choose(end, i);
  }

  /** The reader picked test image i for one end. */
  #choose(end: End, i: number): void {
    this.#pick[end] = i;
    writeParam(this.#key, end, String(i));
    this.#showPick(end);
    this.#drawPlane();
    this.#refresh();
  }

  #showPick(end: End): void {
    const i = this.#pick[end];
    const box = this.#end(end);
    const label = this.#points!.labels[i]!;
    this.#in<HTMLSelectElement>(box, 'class').value = String(label);
    this.#in<HTMLOutputElement>(box, 'index').value = `#${i}`;
    const name = (JSON.parse(this.dataset['classes'] ?? '[]') as string[])[label] ?? String(label);
    const called = this.#names[i];
    const input = box.querySelector<HTMLInputElement>('[data-name]');
    if (input && called !== undefined) input.value = called;
    this.#in(box, 'original').setAttribute('aria-label', `Test image ${END_NAME[end]}: number ${i}, ${called ?? `a ${name}`}`);
    this.dataset[end] = String(i);
  }

  #setStep(k: number): void {
    if (k === this.#step) return;
    this.#step = k;
    writeParam(this.#key, 't', tText(this.#t));
    this.#showStep();
    this.#drawPlane();
  }

  /** The slider, its readout, the marks on the strips and the codes at t. */
  #showStep(): void {
    const steps = this.#steps;
    const t = this.#t;
    const slider = this.el<HTMLInputElement>('t');
    slider.value = String(this.#step);
    slider.setAttribute('aria-valuetext', `t = ${tText(t)}`);
    this.el<HTMLOutputElement>('t-readout').value = `t = ${t.toFixed(2)}`;
    this.dataset['t'] = tText(t);
    const { left, width } = markPlace(this.#step, steps);
    for (const mark of this.querySelectorAll<HTMLElement>('.mark')) {
      mark.style.left = `${left}%`;
      mark.style.width = `${width}%`;
    }
    if (!this.#points) return;
    const f = (v: number) => v.toFixed(2);
    delete this.el('at-t').dataset['pending'];
    this.el('at-t-head').textContent = `at t = ${t.toFixed(2)}`;
    for (const kind of PATH_KINDS) {
      const z = this.#pathAt(kind, this.#step);
      const row = this.el<HTMLTableRowElement>(`row="${kind}"`);
      this.#in(row, 'code').textContent = `(${f(z[0]!)}, ${f(z[1]!)})`;
      this.#in(row, 'norm').textContent = f(norm(z));
    }
  }

  /** The code of one end: the encoder's mean once computed, until then the precomputed one. */
  #code(end: End): Float32Array {
    const live = this.#live;
    if (live && live.a === this.#pick.a && live.b === this.#pick.b) return end === 'a' ? live.za : live.zb;
    const i = this.#pick[end];
    return this.#points!.mu.slice(2 * i, 2 * i + 2);
  }

  #pathAt(kind: PathKind, k: number): Float32Array {
    return codeAt(kind, this.#code('a'), this.#code('b'), this.#steps, k);
  }

  /** The build-time strips of the default pair go once the live strips (or another pair) take over. */
  #removeStaticStrips(): void {
    for (const img of this.querySelectorAll('[data-static-strip]')) img.remove();
  }

  #drawPlane(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => this.#paintPlane());
  }

  #paintPlane(): void {
    if (!this.#points) return;
    this.querySelector('[data-static]')?.remove();
    const colour = (name: string) => cssColour(this, name);
    paintPathPlane(this.el<HTMLCanvasElement>('plane'), {
      points: this.#points,
      za: this.#code('a'),
      zb: this.#code('b'),
      steps: this.#steps,
      step: this.#step,
      range: this.#range,
      colours: { fg: colour('--fg'), bg: colour('--panel'), rule: colour('--rule'), linear: colour('--linear'), spherical: colour('--spherical') },
    });
  }

  /** Recomputes the strips for the current pair; picks made meanwhile are served by the next round. */
  #refresh(): void {
    this.#dirty = true;
    if (!this.#busy) void this.track(this.#drain());
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#dirty) {
        this.#dirty = false;
        await this.#compute();
      }
    } catch (err) {
      this.#model = undefined;
      const message = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
      this.status(`The strips could not be decoded: ${message}. The plane and the rest of the page still work.`, 'error');
    } finally {
      this.#busy = false;
    }
  }

  async #compute(): Promise<void> {
    const { a, b } = this.#pick;
    const stale = () => this.#pick.a !== a || this.#pick.b !== b;
    const data = this.dataset['data']!;
    const [{ image: imageA }, { image: imageB }] = await Promise.all([datasetImage(data, 'test', a), datasetImage(data, 'test', b)]);
    if (stale()) return;
    const shape = this.#shape;
    const per = imageValues(shape);
    this.#in<HTMLCanvasElement>(this.#end('a'), 'original').getContext('2d')?.putImageData(probsImage(imageA, shape), 0, 0);
    this.#in<HTMLCanvasElement>(this.#end('b'), 'original').getContext('2d')?.putImageData(probsImage(imageB, shape), 0, 0);
    if (!this.#model) {
      this.status('Loading TensorFlow.js and the model…');
      this.#model = this.engine().then(async (engine) => ({ engine, vae: await engine.pretrainedWithProgress(this.dataset['model']!, (text) => this.status(text)) }));
    }
    const { engine, vae } = await this.#model;
    if (stale()) return;
    const images = new Float32Array(2 * per);
    images.set(imageA);
    images.set(imageB, per);
    const { mu } = engine.encode(vae, images);
    const za = mu.slice(0, 2);
    const zb = mu.slice(2, 4);
    const steps = this.#steps;
    const codes = new Float32Array(2 * steps * 2);
    codes.set(pathCodes('linear', za, zb, steps));
    codes.set(pathCodes('spherical', za, zb, steps), 2 * steps);
    const probs = await engine.decodeAsync(vae, codes);
    if (stale()) return;
    this.#removeStaticStrips();
    PATH_KINDS.forEach((kind, row) => {
      const ctx = this.querySelector<HTMLCanvasElement>(`[data-strip="${kind}"] canvas`)!.getContext('2d')!;
      for (let k = 0; k < steps; k++) {
        const at = (row * steps + k) * per;
        ctx.putImageData(probsImage(probs.subarray(at, at + per), shape), k * shape.width, 0);
      }
    });
    this.#live = { a, b, za, zb };
    const f = (v: number) => v.toFixed(2);
    for (const [end, z] of [['a', za], ['b', zb]] as const) {
      this.#in<HTMLOutputElement>(this.#end(end), 'mu').value = `μ = (${f(z[0]!)}, ${f(z[1]!)})`;
      this.dataset[`z${end}`] = `${z[0]},${z[1]}`;
    }
    this.dataset['decoded'] = `${a},${b}`;
    this.#showStep();
    this.#drawPlane();
    this.status(`A and B are encoded to their means μ(x) and each strip decodes ${steps} codes along its path, live in your browser.`, 'ready');
  }
}

customElements.define('latent-interpolation', LatentInterpolation);
