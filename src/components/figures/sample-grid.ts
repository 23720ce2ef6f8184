/**
 * `<sample-grid>` (SampleGrid.astro): random codes and what a model decodes them to, drawn
 * again on request, with the class readout of a 2-D model's codes.
 */
import { classCounts, classLabeller, type ClassLabeller } from '../../vae/class-shares.ts';
import { boxCodes, codeBox, type CodeBox } from '../../vae/code-draws.ts';
import { bernoulliSample, PIXELS_SHOWN, type PixelsShown } from '../../vae/pixel-samples.ts';
import { imageShape } from '../../vae/spec.ts';
import { levelsImage } from '../lib/draw/paint.ts';
import { countsSentence, listAttribute } from '../lib/draw/class-readout.ts';
import { testCodes } from '../lib/page/test-codes.ts';
import { parseChoice, readParam, writeParam } from '../lib/page/url-state.ts';
import { FigureElement, type Engine, type Vae } from './figure-element.ts';


class SampleGrid extends FigureElement {
  #engine: Engine | undefined;
  #vae: Vae | undefined;
  #box: CodeBox | undefined;
  /** Labels codes by the nearest test code, for the class readout; unset without one. */
  #labeller: ClassLabeller | undefined;
  #classes: string[] = [];
  #seed = 1;
  #pixels: PixelsShown = 'mean';

  get #firstSeed(): number {
    return Number(this.dataset['seed'] ?? 1);
  }

  protected override setup(): void {
    this.#seed = this.#firstSeed;
    const pixels = parseChoice(readParam(this.dataset['model']!, 'pixels'), PIXELS_SHOWN, 'mean', 'pixels');
    this.#pixels = pixels.value;
    if (pixels.note) this.el('note').textContent = pixels.note;
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[data-pixels]')) radio.checked = radio.value === this.#pixels;
  }

  protected override async start(): Promise<void> {
    const model = this.dataset['model']!;
    const box = this.dataset['from'] === 'box';
    const counted = this.maybeEl('class-readout') !== null;
    if (box || counted) {
      const points = await testCodes(this.dataset['base'] ?? '', model).catch((err: unknown) => {
        // The box needs the test codes; the readout alone can do without, and says so.
        if (box) throw err;
        this.el('class-note').textContent = 'The test codes could not be loaded, so the drawn codes are not counted.';
        return undefined;
      });
      if (points && box) this.#box = codeBox(points.mu, points.count);
      if (points && counted) {
        this.#labeller = classLabeller(points);
        this.#classes = JSON.parse(this.dataset['classes'] ?? '[]') as string[];
      }
    }
    this.#engine = await this.engine();
    this.#vae = await this.#engine.pretrainedWithProgress(model, (text) => this.status(text, 'loading'));
    const again = this.el<HTMLButtonElement>('again');
    again.disabled = false;
    this.listen(again, 'click', () => {
      this.#seed++;
      this.#draw();
    });
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[data-pixels]')) {
      radio.disabled = false;
      this.listen(radio, 'change', () => {
        if (!radio.checked) return;
        this.#pixels = radio.value as PixelsShown;
        writeParam(this.dataset['model']!, 'pixels', this.#pixels === 'mean' ? undefined : this.#pixels);
        this.#draw();
      });
    }
    this.#draw();
  }

  #draw(): void {
    const engine = this.#engine!;
    const side = Number(this.dataset['side'] ?? 6);
    const n = side * side;
    const label = this.dataset['label'] === undefined ? undefined : Number(this.dataset['label']);
    // The prior's codes come from the engine's sampler, the box's from the seeded generator.
    const drawn = this.#box ? { z: boxCodes(this.#box, n, this.#seed), images: undefined } : engine.sample(this.#vae!, n, this.#seed, label);
    const means = drawn.images ?? engine.decode(this.#vae!, drawn.z, label);
    // A sample from p(x|z): each pixel black or white by its own coin, seeded by the draw.
    const images = this.#pixels === 'sample' ? bernoulliSample(means, this.#seed) : means;
    this.dataset['pixels'] = this.#pixels;
    const shape = imageShape(this.#vae!.spec);
    const mosaic = levelsImage(engine.tileDigits(images, side, shape), side * shape.width, side * shape.height, shape.channels);
    this.el<HTMLCanvasElement>('canvas').getContext('2d')?.putImageData(mosaic, 0, 0);
    this.dataset['drawn'] = String(this.#seed);
    this.el<HTMLOutputElement>('readout').textContent = `draw ${this.#seed - this.#firstSeed + 1} (seed ${this.#seed})`;
    this.#count(drawn.z);
    const box = this.#box;
    const f = (v: number) => v.toFixed(1);
    const where = box ? `z uniform in [${f(box[0])}, ${f(box[1])}] × [${f(box[2])}, ${f(box[3])}], the box the test codes fill.` : 'z drawn from the prior N(0, I).';
    this.status(`${where}${this.#pixels === 'sample' ? ' Each pixel drawn black or white from p(x | z).' : ''}`, 'ready');
  }

  /** Fills the readout's row for this draw: each code counted as its nearest test code's class. */
  #count(codes: Float32Array): void {
    if (!this.#labeller) return;
    const counts = classCounts(this.#labeller.classesOf(codes), this.#classes.length);
    counts.forEach((n, c) => {
      const cell = this.querySelector(`[data-count="${c}"]`);
      if (cell) cell.textContent = String(n);
    });
    this.dataset['classCounts'] = listAttribute(counts);
    this.el('counts-text').textContent = countsSentence(counts, this.#classes);
  }
}

customElements.define('sample-grid', SampleGrid);
