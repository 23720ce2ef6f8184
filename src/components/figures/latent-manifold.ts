/**
 * `<latent-manifold>` (LatentManifold.astro): the mosaic of a 2-D model's decodes over the latent
 * plane, drawn row by row (and again only once on screen after a change made off screen), and a
 * ring the reader drags, taps or moves by key, whose code is decoded live into a large digit.
 * The reader may switch grids, classes (a conditional model), backends, and to a model they trained,
 * and (with the pixels choice) see a sample x ~ p(x|z) in place of the decoder's mean π.
 */
import { MANIFOLD_GRIDS, type ManifoldGrid } from '../../vae/manifold-grid.ts';
import { bernoulliGrey, bernoulliSample, PIXELS_SHOWN, type PixelsShown } from '../../vae/pixel-samples.ts';
import { getSpec, imageShape } from '../../vae/spec.ts';
import { levelsImage, probsImage } from '../lib/draw/paint.ts';
import { modelFiles } from '../lib/engine/model-files.ts';
import { backendPicker } from '../lib/page/backend-picker.ts';
import { keptModel } from '../lib/page/kept-model.ts';
import { nextTask } from '../lib/page/lazy.ts';
import { trainedModel, type TrainedModel } from '../lib/page/shared.ts';
import { parseChoice, parsePoint, parseWhole, readParam, writeParam } from '../lib/page/url-state.ts';
import { FigureElement, type Engine, type Vae } from './figure-element.ts';
import { backendSentence, keyMove, massText, pointerCode, readoutText, ringCode, ringPlace, ringText, type Code } from './latent-manifold-plane.ts';

/** The seed of row r's sample in a mosaic: the same picture each time it is drawn. */
const MOSAIC_SEED = 1000;

class LatentManifold extends FigureElement {
  #engine: Engine | undefined;
  #pretrained: Vae | undefined;
  #yours: Vae | undefined;
  #vae: Vae | undefined;
  #z: Code = [0, 0];
  #frame = 0;
  #wired = false;
  #dragging = false;
  /** Whether the reader has moved the ring (only then does the URL record it). */
  #moved = false;
  /** What the URL asked for and could not get, said in the status once the figure runs. */
  #urlNote = '';
  /** A mosaic change made while off screen, drawn once the figure is back on screen. */
  #mosaicStale = false;
  /** Counts redraws of the mosaic; a row-by-row draw goes on only while it is the newest. */
  #mosaicDraw = 0;
  #mosaicDrawn = false;
  /** Settles when the newest mosaic draw has finished or stopped. */
  #mosaicDone: Promise<void> = Promise.resolve();
  /** What the figure draws of p(x|z): its mean π, or a sample with each pixel black or white. */
  #pixels: PixelsShown = 'mean';
  /** Seeds the ring's samples: each decode of the ring draws afresh. */
  #ringDraws = 0;

  get #model(): string {
    return this.dataset['model'] ?? 'mnist-conv-z2';
  }

  get #range(): number {
    return Number(this.dataset['range'] ?? 3);
  }

  get #side(): number {
    return Number(this.dataset['side'] ?? 15);
  }

  get #grid(): ManifoldGrid {
    return this.dataset['grid'] === 'gaussian' ? 'gaussian' : 'linear';
  }

  /** The class a conditional model decodes with; undefined for other models. */
  get #label(): number | undefined {
    return this.dataset['label'] === undefined ? undefined : Number(this.dataset['label']);
  }

  protected override setup(): void {
    this.#fromUrl();
    this.#wireGrids();
    this.cleanup(() => cancelAnimationFrame(this.#frame));
  }

  /** The grid switch works at once: before the model loads it swaps the static previews. */
  #wireGrids(): void {
    const grids = this.maybeEl<HTMLFieldSetElement>('grids');
    if (!grids) return;
    for (const input of grids.querySelectorAll('input')) input.disabled = false;
    this.listen(grids, 'change', (e) => {
      const grid = (e.target as HTMLInputElement).value as ManifoldGrid;
      writeParam(this.#model, 'grid', grid);
      this.#useGrid(grid);
    });
  }

  #useGrid(grid: ManifoldGrid): void {
    this.dataset['grid'] = grid;
    const radio = this.querySelector<HTMLInputElement>(`[data-grids] input[value="${grid}"]`);
    if (radio) radio.checked = true;
    const axis = this.el('axis-x');
    axis.textContent = axis.dataset[grid] ?? axis.textContent;
    if (this.#engine && this.#vae) this.#drawMosaic();
    this.#moveTo(...this.#z);
  }

  /**
   * The URL key of a conditional model's class (`digit`, or `class` for data other than
   * digits), how a note names it, and how many classes the markup offers.
   */
  get #classChoice(): { param: string; noun: string; count: number } | undefined {
    const fieldset = this.maybeEl('classes');
    if (!fieldset) return undefined;
    return { param: fieldset.dataset['param'] ?? 'digit', noun: fieldset.dataset['noun'] ?? 'the digit', count: fieldset.querySelectorAll('input').length };
  }

  /** Starts from the point, grid and class in the URL, if a shared link carries them. */
  #fromUrl(): void {
    const notes: string[] = [];
    const z = parsePoint(readParam(this.#model, 'z'), this.#range, [0, 0]);
    this.#z = z.value;
    if (z.note) notes.push(z.note);
    if (this.dataset['gridChoice'] !== undefined) {
      const grid = parseChoice(readParam(this.#model, 'grid'), MANIFOLD_GRIDS, this.#grid, 'the grid');
      if (grid.note) notes.push(grid.note);
      if (grid.value !== this.#grid) this.#useGrid(grid.value);
    }
    if (this.maybeEl('pixels-choice')) {
      const pixels = parseChoice(readParam(this.#model, 'pixels'), PIXELS_SHOWN, 'mean', 'pixels');
      if (pixels.note) notes.push(pixels.note);
      this.#pixels = pixels.value;
      for (const radio of this.querySelectorAll<HTMLInputElement>('input[data-pixels]')) radio.checked = radio.value === this.#pixels;
    }
    this.dataset['pixels'] = this.#pixels;
    const choice = this.#classChoice;
    if (this.#label !== undefined && choice) {
      const picked = parseWhole(readParam(this.#model, choice.param), 0, choice.count - 1, this.#label, choice.noun);
      if (picked.note) notes.push(picked.note);
      if (picked.value !== this.#label) {
        this.dataset['label'] = String(picked.value);
        this.querySelector<HTMLInputElement>(`[data-classes] input[value="${picked.value}"]`)!.checked = true;
        // The static preview shows another class: let the mosaic replace it when the model runs.
        this.querySelector('.preview')?.remove();
      }
    }
    this.#urlNote = notes.join(' ');
  }

  protected override async start(): Promise<void> {
    // The weights start downloading now, while TF.js itself loads.
    modelFiles(this.#model);
    this.#engine = await this.engine();
    const engine = this.#engine;
    this.status('Starting TensorFlow.js and loading the model…', 'loading');
    const start = await engine.startPageBackend();
    this.#pretrained = await engine.pretrainedWithProgress(this.#model, (text) => this.status(text, 'loading'));
    this.#vae = this.#yours && this.dataset['source'] === 'yours' ? this.#yours : this.#pretrained;
    this.#drawMosaic();
    if (!this.#wired) this.#wire(engine);
    this.#moveTo(...this.#z);
    // Ready once the whole mosaic is on screen (its first row arrives long before).
    await this.#mosaicDone;
    this.dataset['activeBackend'] = start.report.name;
    const probe = start.probe ? engine.describeProbe(start.probe, 'ms per digit') : undefined;
    const said = backendSentence(engine.describeBackend(start.report), start.how, probe);
    this.status(`${said}${this.#urlNote ? ` ${this.#urlNote}` : ''}`, 'ready');
  }

  /** Only a model of the same kind and data fits this figure (a conditional one needs a label, others refuse one). */
  #fits(model: TrainedModel): boolean {
    const own = getSpec(this.#model);
    return model.spec.kind === own.kind && model.spec.dataset === own.dataset && model.spec.latentDim === 2;
  }

  /** A model the reader trained on this page: offer it, and switch to it (or, kept from another visit, only offer it). */
  async #offerTrained(model: TrainedModel | undefined, switchTo = true): Promise<void> {
    if (!this.#engine) return;
    if (!model) return this.#withdrawTrained();
    if (!this.#fits(model)) return;
    const previous = this.#yours;
    this.#yours = await this.#engine.fromFiles(model.spec, model.files);
    const source = this.el<HTMLFieldSetElement>('source');
    source.hidden = false;
    const yours = source.querySelector<HTMLInputElement>('input[value="yours"]')!;
    yours.disabled = false;
    this.dataset['modelStep'] = String(model.step);
    if (switchTo) {
      yours.checked = true;
      this.#useModel('yours');
    } else if (this.dataset['source'] === 'yours') {
      this.#useModel('yours');
    }
    if (previous) this.#engine.disposeFromFiles(previous);
  }

  /**
   * The model the reader trained and this browser kept (chapter 5's panel, any earlier visit):
   * offered beside the pretrained one, which stays on until the reader picks theirs.
   */
  async #offerKept(): Promise<void> {
    const kept = await keptModel();
    // A panel on this page may have handed over a model meanwhile: that one is newer.
    if (!kept || trainedModel.get() || !this.#fits(kept)) return;
    await this.#offerTrained(kept, false);
    this.dataset['kept'] = String(kept.step);
    const note = this.el('kept-note');
    note.textContent = `“Yours” is the model you trained in chapter 5 (step ${kept.step.toLocaleString('en')}), kept in this browser.`;
    note.hidden = false;
  }

  /** The reader forgot their model: back to the pretrained one. */
  #withdrawTrained(): void {
    const yours = this.#yours;
    if (!yours) return;
    this.#yours = undefined;
    const source = this.el<HTMLFieldSetElement>('source');
    source.querySelector<HTMLInputElement>('input[value="pretrained"]')!.checked = true;
    source.querySelector<HTMLInputElement>('input[value="yours"]')!.disabled = true;
    source.hidden = true;
    this.el('kept-note').hidden = true;
    this.#useModel('pretrained');
    delete this.dataset['modelStep'];
    this.#engine?.disposeFromFiles(yours);
  }

  #useModel(which: string): void {
    const vae = which === 'yours' ? this.#yours : this.#pretrained;
    if (!vae) return;
    this.#vae = vae;
    this.dataset['source'] = which;
    this.#drawMosaic();
    this.#moveTo(...this.#z);
  }

  /**
   * Draws the mosaic row by row, yielding between rows, so the first row is on screen after
   * one row of decodes and the page stays responsive. A newer redraw stops an older one; the
   * data-mosaic-* attributes describe the last mosaic drawn in full. The draw counts as the
   * figure's pending work (`data-settled`); one put off while the figure is off screen does not.
   */
  #drawMosaic(): void {
    const engine = this.#engine!;
    const draw = ++this.#mosaicDraw;
    if (engine.backendSwitching()) return;
    // A new model, grid or backend while nobody looks: 225 decodes can wait until someone does.
    if (!this.visible && this.#mosaicDrawn) {
      this.#mosaicStale = true;
      return;
    }
    this.#mosaicStale = false;
    this.#mosaicDrawn = true;
    const source = this.dataset['source'] ?? 'pretrained';
    const grid = this.#grid;
    const side = this.#side;
    const pixels = this.#pixels;
    const ctx = this.el<HTMLCanvasElement>('mosaic').getContext('2d');
    const { height, width, channels } = imageShape(this.#vae!.spec);
    this.dataset['mosaicRows'] = '0';
    this.#mosaicDone = this.track(
      engine
        .manifoldMosaicByRows(this.#vae!, side, this.#range, {
          label: this.#label,
          grid,
          paint: (row, grey) => {
            // A sample: every pixel of the row's digits black or white by its own coin, seeded by the row.
            const shown = pixels === 'sample' ? bernoulliGrey(grey, MOSAIC_SEED + row) : grey;
            ctx?.putImageData(levelsImage(shown, side * width, height, channels), 0, row * height);
            this.dataset['mosaicRows'] = String(row + 1);
            this.liveDecoded();
          },
          between: async () => {
            await nextTask();
            return draw === this.#mosaicDraw && !engine.backendSwitching();
          },
        })
        .then((complete) => {
          if (!complete) return;
          for (const preview of this.querySelectorAll('.preview')) preview.remove();
          this.dataset['mosaicSource'] = source;
          this.dataset['mosaicGrid'] = grid;
          this.dataset['mosaicPixels'] = pixels;
        })
        .catch((err: unknown) => {
          // A lost WebGL context mid-draw: the engine moves the models and this figure redraws then.
          if (draw !== this.#mosaicDraw || engine.backendSwitching()) return;
          const message = err instanceof Error ? err.message : String(err);
          this.status(`The mosaic could not be drawn: ${message}. The rest of the figure still works.`);
        }),
    );
  }

  #wire(engine: Engine): void {
    this.#wired = true;
    this.cleanup(() => (this.#wired = false));
    this.watchVisibility((visible) => {
      this.dataset['drawing'] = visible ? 'live' : 'paused';
      if (visible && this.#mosaicStale) this.#drawMosaic();
    });
    this.cleanup(trainedModel.subscribe((m) => void this.track(this.#offerTrained(m))));
    if (!trainedModel.get()) void this.track(this.#offerKept());
    // The GPU's context can be lost at any time: the engine moves the models, this figure redraws.
    this.cleanup(
      engine.onBackendChange((change) => {
        if (change.phase === 'switched' && change.start) {
          this.dataset['activeBackend'] = change.start.report.name;
          this.#drawMosaic();
          this.#moveTo(...this.#z);
        }
        this.status(change.text, change.phase === 'failed' ? 'error' : change.phase === 'switching' ? 'loading' : 'ready');
      }),
    );
    backendPicker(this.el<HTMLSelectElement>('backend'), 'decode', () => void this.run(), this.signal);
    this.listen(this.el('source'), 'change', (e) => this.#useModel((e.target as HTMLInputElement).value));
    const classes = this.maybeEl<HTMLFieldSetElement>('classes');
    if (classes) {
      for (const input of classes.querySelectorAll('input')) input.disabled = false;
      this.listen(classes, 'change', (e) => {
        this.dataset['label'] = (e.target as HTMLInputElement).value;
        writeParam(this.#model, this.#classChoice!.param, this.dataset['label']);
        this.#drawMosaic();
        this.#moveTo(...this.#z);
      });
    }
    this.#wirePixels();
    this.#wireRing();
  }

  /** The mean or a sample: the mosaic and the ring's digit are drawn again the chosen way. */
  #wirePixels(): void {
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[data-pixels]')) {
      radio.disabled = false;
      this.listen(radio, 'change', () => {
        if (!radio.checked) return;
        this.#pixels = radio.value as PixelsShown;
        this.dataset['pixels'] = this.#pixels;
        writeParam(this.#model, 'pixels', this.#pixels === 'mean' ? undefined : this.#pixels);
        this.#drawMosaic();
        this.#moveTo(...this.#z);
      });
    }
  }

  /** The ring follows a pointer held down on the plane (a tap moves it there) and the arrow keys. */
  #wireRing(): void {
    const plane = this.el('plane');
    const handle = this.el('handle');
    handle.hidden = false;
    const fromPointer = (e: PointerEvent) => this.#readerMoves(...pointerCode(e.clientX, e.clientY, plane.getBoundingClientRect(), this.#range, this.#grid));
    this.listen(plane, 'pointerdown', (e) => {
      this.#dragging = true;
      plane.setPointerCapture(e.pointerId);
      fromPointer(e);
      handle.focus({ preventScroll: true });
      e.preventDefault();
    });
    this.listen(plane, 'pointermove', (e) => {
      if (this.#dragging) fromPointer(e);
    });
    const end = () => (this.#dragging = false);
    this.listen(plane, 'pointerup', end);
    this.listen(plane, 'pointercancel', end);
    this.listen(handle, 'keydown', (e) => {
      const to = keyMove(e.key, e.shiftKey, this.#z);
      if (!to) return;
      e.preventDefault();
      this.#readerMoves(...to);
    });
  }

  /** The reader moved the ring: from now on the URL keeps its position. */
  #readerMoves(x: number, y: number): void {
    this.#moved = true;
    this.#moveTo(x, y);
  }

  #moveTo(x: number, y: number): void {
    this.#z = ringCode(x, y, this.#range);
    const handle = this.el('handle');
    const place = ringPlace(this.#z, this.#range, this.#grid);
    handle.style.left = `${place.left}%`;
    handle.style.top = `${place.top}%`;
    handle.setAttribute('aria-valuetext', ringText(this.#z));
    const mass = this.maybeEl<HTMLOutputElement>('mass');
    if (mass) mass.value = massText(this.#z, this.#side, this.#range, this.#grid);
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => this.#decodeRing());
  }

  #decodeRing(): void {
    const engine = this.#engine;
    if (!engine || !this.#vae || engine.backendSwitching()) return;
    const z = this.#z;
    const probs = engine.decode(this.#vae, z, this.#label);
    const shown = this.#pixels === 'sample' ? bernoulliSample(probs, ++this.#ringDraws) : probs;
    this.el<HTMLCanvasElement>('digit').getContext('2d')?.putImageData(probsImage(shown, imageShape(this.#vae.spec)), 0, 0);
    this.liveDecoded();
    this.el<HTMLOutputElement>('readout').value = readoutText(z);
    // What is on screen now, for readers' tools and tests.
    this.dataset['z'] = `${z[0]},${z[1]}`;
    if (this.#moved) writeParam(this.#model, 'z', `${z[0]},${z[1]}`);
  }
}

customElements.define('latent-manifold', LatentManifold);
