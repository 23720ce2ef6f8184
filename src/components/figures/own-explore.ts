/**
 * `<own-explore>` (OwnExplore.astro): the latent space of a model trained on the reader's own
 * images. It takes the model the page's own training panel hands over ("Use it in the figures
 * on this page", `trainedModel` in lib/page/shared.ts), or the one this browser kept beside the
 * dataset, and draws four views of it: the held-out images' codes μ(x), coloured by class
 * (hover or tap one for the image and its reconstruction decode(μ(x))); the manifold, decodes
 * over a grid of the plane (2-D models), or a traversal of each unit (larger latents); the decodes along the straight line between two
 * held-out images' codes; and samples decoded from codes drawn from the prior N(0, I).
 */
import { decodeBundle } from '../../vae/bundle.ts';
import { ACTIVE_THRESHOLD, columnVariances, meanCode, traversalCodes, TRAVERSAL_VALUES } from '../../vae/code-stats.ts';
import { toFloat, type ImageSet } from '../../vae/data.ts';
import { scatterView } from '../../vae/panel-recipe.ts';
import { imageShape, imageValues, type ImageShape } from '../../vae/spec.ts';
import { classColours } from '../lib/draw/class-colours.ts';
import { levelsImage, probsImage } from '../lib/draw/paint.ts';
import { keptDatasetInto, sideOf, storedOwnModel, type StoredDataset } from '../lib/page/own-store.ts';
import { ownDataset, trainedModel, type TrainedModel } from '../lib/page/shared.ts';
import { FigureElement, type Engine, type Vae } from './figure-element.ts';
import { betweenCodes, nearestPoint } from './own-explore-maths.ts';

const WAITING = 'Train a model on your images in the panel above, then press “Use it in the figures on this page”; a model this browser kept with your dataset shows here by itself.';

/** The manifold's decodes per side, over [−RANGE, RANGE]². */
const SIDE = 12;
const RANGE = 3;
/** Decodes along the line between two codes, ends included. */
const STEPS = 8;
/** Prior samples per side. */
const SAMPLES = 6;

/** "a", "a and b", "a, b and c". */
function listed(items: string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A whole number in subscript digits: 12 → ₁₂. */
function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => String.fromCharCode(0x2080 + Number(d)));
}

/**
 * Paints a mosaic of `columns` × `rows` images of `shape` (levels, channels last) into
 * `canvas`, sized to hold it: 28 × 28 grey or 32 × 32 colour images alike.
 */
function paintMosaic(canvas: HTMLCanvasElement, levels: Uint8Array, columns: number, rows: number, shape: ImageShape): void {
  const [width, height] = [columns * shape.width, rows * shape.height];
  if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
  canvas.getContext('2d')!.putImageData(levelsImage(levels, width, height, shape.channels), 0, 0);
}

class OwnExplore extends FigureElement {
  protected override loadingText = 'Loading TensorFlow.js…';
  protected override failureWhat = 'The model you trained could not be shown here';
  #engine: Engine | undefined;
  #vae: Vae | undefined;
  #set: StoredDataset | undefined;
  #test: ImageSet | undefined;
  /** The held-out images' codes μ, row-major [n, latentDim], and where each is drawn, in canvas pixels. */
  #mu: Float32Array | undefined;
  #points: Float32Array | undefined;
  #seed = 1;
  /** The model shown, by its step, so the same hand-over twice is drawn once. */
  #shown = '';

  protected override setup(): void {
    const scatter = this.el<HTMLCanvasElement>('scatter');
    const pick = (e: PointerEvent) => {
      const box = scatter.getBoundingClientRect();
      this.#hover(((e.clientX - box.left) / box.width) * scatter.width, ((e.clientY - box.top) / box.height) * scatter.height);
    };
    this.listen(scatter, 'pointermove', pick);
    this.listen(scatter, 'pointerdown', pick);
    for (const name of ['from', 'to']) this.listen(this.el(name), 'change', () => this.#between());
    this.listen(this.el('again'), 'click', () => {
      this.#seed++;
      this.#samples();
    });
    this.onTheme(() => this.#scatter());
  }

  protected override async start(): Promise<void> {
    this.#engine = await this.engine();
    this.cleanup(() => this.#drop());
    // The dataset from the page's own-data figure, or, on a page without one, this browser's slot.
    await keptDatasetInto(ownDataset);
    this.cleanup(ownDataset.subscribe((set) => void this.track(this.#dataChanged(set))));
    this.cleanup(trainedModel.subscribe((model) => void this.track(this.#offer(model))));
    if (!this.#vae) this.status(WAITING, 'ready');
  }

  /** A new or forgotten dataset: a model of the old one no longer applies; a kept one of the new one is shown. */
  async #dataChanged(set: StoredDataset | undefined): Promise<void> {
    if (set?.prepared === this.#set?.prepared) return;
    this.#set = set;
    if (this.#vae) {
      this.#drop();
      this.status(WAITING, 'ready');
    }
    if (set) await this.#offerKept();
  }

  /** Lets go of the model shown and hides the views. */
  #drop(): void {
    if (this.#vae) this.#engine?.disposeFromFiles(this.#vae);
    this.#vae = undefined;
    this.#shown = '';
    this.#mu = this.#points = undefined;
    this.el('views').hidden = true;
    delete this.dataset['step'];
  }

  /** A model the panel handed over: shown if it was trained on the reader's images. */
  async #offer(model: TrainedModel | undefined): Promise<void> {
    if (!model || model.spec.dataset !== 'own' || !this.#engine || !this.#set) return;
    const key = `${model.spec.id}@${model.step}`;
    if (key === this.#shown) return;
    this.#shown = key;
    const vae = await this.#engine.fromFiles(model.spec, model.files);
    if (this.#vae) this.#engine.disposeFromFiles(this.#vae);
    this.#vae = vae;
    this.dataset['step'] = String(model.step);
    this.#drawAll();
    this.status(`Your model after ${model.step.toLocaleString('en')} steps, on ${this.#test?.count.toLocaleString('en') ?? 0} held-out images.`, 'ready');
  }

  /** The model this browser kept beside the dataset, if there is one. */
  async #offerKept(): Promise<void> {
    const set = this.#set;
    if (!set) return;
    const bytes = await storedOwnModel(set.prepared).catch(() => undefined);
    if (!bytes || this.#vae) return;
    const { spec, files, meta } = decodeBundle(bytes);
    await this.#offer({ spec, files, step: meta.steps });
  }

  #drawAll(): void {
    const vae = this.#vae;
    const set = this.#set;
    if (!vae || !set || !this.#engine) return;
    this.#test = sideOf(set, 'test');
    this.#mu = this.#engine.encode(vae, toFloat(this.#test, Array.from({ length: this.#test.count }, (_, k) => k))).mu;
    this.#fillPickers(set);
    this.#scatter();
    this.#manifold();
    this.#between();
    this.#samples();
    this.el('views').hidden = false;
  }

  #scatter(): void {
    const mu = this.#mu;
    const test = this.#test;
    const vae = this.#vae;
    if (!mu || !test || !vae) return;
    const canvas = this.el<HTMLCanvasElement>('scatter');
    const ctx = canvas.getContext('2d')!;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const { xy, range, planeShare } = scatterView(mu, test.count, vae.spec.latentDim);
    const palette = classColours();
    this.#points = new Float32Array(2 * test.count);
    for (let i = 0; i < test.count; i++) {
      const x = ((xy[2 * i]! + range) / (2 * range)) * canvas.width;
      const y = ((range - xy[2 * i + 1]!) / (2 * range)) * canvas.height;
      this.#points.set([x, y], 2 * i);
      ctx.fillStyle = this.#set?.labelled ? palette[test.labels[i]! % palette.length]! : palette[0]!;
      ctx.fillRect(x - 2, y - 2, 4, 4);
    }
    this.el('axes').textContent =
      planeShare === undefined ? `z₁ across, z₂ up, from −${range.toFixed(2)} to ${range.toFixed(2)}` : `the ${vae.spec.latentDim}-D codes along the two directions in which they spread most (${(planeShare * 100).toFixed(0)}% of their variance)`;
  }

  /** Shows the held-out image nearest the pointer and its reconstruction. */
  #hover(x: number, y: number): void {
    const test = this.#test;
    const vae = this.#vae;
    if (!this.#points || !test || !vae || !this.#engine || !this.#mu) return;
    const i = nearestPoint(this.#points, x, y, 12);
    if (i < 0) return;
    this.dataset['hovered'] = String(i);
    const shape = imageShape(vae.spec);
    const per = imageValues(shape);
    paintMosaic(this.el<HTMLCanvasElement>('image'), test.images.subarray(i * per, (i + 1) * per), 1, 1, shape);
    const dims = vae.spec.latentDim;
    const recon = this.#engine.decode(vae, this.#mu.subarray(i * dims, (i + 1) * dims));
    const canvas = this.el<HTMLCanvasElement>('recon');
    [canvas.width, canvas.height] = [shape.width, shape.height];
    canvas.getContext('2d')!.putImageData(probsImage(recon, shape), 0, 0);
    const name = this.#set?.labelled ? `, ${this.#set.classes[test.labels[i]!]}` : '';
    this.el('hover-text').textContent = `Held-out image #${i + 1}${name}, and decode(μ(x)).`;
  }

  /** The manifold of a 2-D model; above 2-D, a traversal of every unit. */
  #manifold(): void {
    const vae = this.#vae;
    const mu = this.#mu;
    const test = this.#test;
    if (!vae || !mu || !test || !this.#engine) return;
    const canvas = this.el<HTMLCanvasElement>('manifold');
    const note = this.el('manifold-note');
    const dims = vae.spec.latentDim;
    const shape = imageShape(vae.spec);
    if (dims === 2) {
      this.el('manifold-title').textContent = 'The manifold';
      canvas.style.aspectRatio = '1';
      canvas.style.maxWidth = '';
      canvas.setAttribute('aria-label', 'Decodes over a grid of the latent plane');
      note.textContent = `Decodes on a ${SIDE} × ${SIDE} grid over [−${RANGE}, ${RANGE}]², z₁ across and z₂ up.`;
      paintMosaic(canvas, this.#engine.manifoldMosaic(vae, SIDE, RANGE), SIDE, SIDE, shape);
      delete this.dataset['active'];
      return;
    }
    // A plane cannot show more than two units at once: sweep each unit alone from the mean code.
    const columns = TRAVERSAL_VALUES.length;
    const probs = this.#engine.decode(vae, traversalCodes(meanCode(mu, test.count, dims)));
    this.el('manifold-title').textContent = 'Traversals, one row per unit';
    canvas.style.aspectRatio = `${columns} / ${dims}`;
    // Narrower as it grows taller, so that 16 rows stay on one screen.
    canvas.style.maxWidth = `min(18rem, ${((32 * columns) / dims).toFixed(2)}rem)`;
    canvas.setAttribute('aria-label', `Decodes as each of the ${dims} latent units is swept from −2 to 2, one row per unit`);
    paintMosaic(canvas, this.#engine.tileRows(probs, columns, shape), columns, dims, shape);
    const activity = columnVariances(mu, test.count, dims);
    const idle = activity.flatMap((a, u) => (a > ACTIVE_THRESHOLD ? [] : [`z${subscript(u + 1)}`]));
    this.dataset['active'] = String(dims - idle.length);
    note.textContent =
      `Row k decodes the mean code of the held-out images with zₖ set to −2, …, 2 and the other ${dims - 1} units kept. ` +
      `${dims - idle.length} of ${dims} units are active (their μ varies over the held-out images by more than 0.01)` +
      (idle.length > 0 ? `; ${listed(idle)} ${idle.length === 1 ? 'is' : 'are'} not: ${idle.length === 1 ? 'its' : 'their'} μ hardly depends on the image.` : '.');
  }

  #fillPickers(set: StoredDataset): void {
    const test = this.#test!;
    for (const [name, first] of [['from', 0], ['to', 1]] as const) {
      const select = this.el<HTMLSelectElement>(name);
      select.replaceChildren(
        ...Array.from({ length: test.count }, (_, i) => {
          const option = document.createElement('option');
          option.value = String(i);
          option.textContent = `#${i + 1}${set.labelled ? `, ${set.classes[test.labels[i]!]}` : ''}`;
          return option;
        }),
      );
      // The second picker starts on the first image of another class, where there is one.
      const other = set.labelled ? Array.from(test.labels).findIndex((l) => l !== test.labels[0]) : -1;
      select.value = String(first === 1 && other > 0 ? other : Math.min(first, test.count - 1));
    }
  }

  #between(): void {
    const vae = this.#vae;
    const mu = this.#mu;
    if (!vae || !mu || !this.#engine) return;
    const dims = vae.spec.latentDim;
    const [a, b] = ['from', 'to'].map((n) => Number(this.el<HTMLSelectElement>(n).value)) as [number, number];
    const codes = betweenCodes(mu.subarray(a * dims, (a + 1) * dims), mu.subarray(b * dims, (b + 1) * dims), STEPS);
    const probs = this.#engine.decode(vae, codes);
    const shape = imageShape(vae.spec);
    paintMosaic(this.el<HTMLCanvasElement>('between'), this.#engine.tileRows(probs, STEPS, shape), STEPS, 1, shape);
    this.dataset['between'] = `${a}-${b}`;
  }

  #samples(): void {
    const vae = this.#vae;
    if (!vae || !this.#engine) return;
    const { images } = this.#engine.sample(vae, SAMPLES * SAMPLES, this.#seed);
    const shape = imageShape(vae.spec);
    paintMosaic(this.el<HTMLCanvasElement>('samples'), this.#engine.tileDigits(images, SAMPLES, shape), SAMPLES, SAMPLES, shape);
    this.dataset['seed'] = String(this.#seed);
  }
}

customElements.define('own-explore', OwnExplore);
