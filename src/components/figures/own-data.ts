/**
 * `<own-data>` (OwnData.astro): a reader's own images made into a dataset in the page. Files,
 * a folder or a zip (picked or dropped), drawings, or the seeded toy shapes go to a worker
 * (lib/worker/prepare-files.ts), which decodes and prepares them with a progress bar; the
 * figure then shows what the model will see (a strip of images per class with the counts of
 * each side, and every skipped file with the reason), keeps the dataset in this browser's own
 * slot (lib/page/own-store.ts), offers it as a zip for `npm run data -- --folder`, and hands it
 * to the page's other figures (`ownDataset` in lib/page/shared.ts). Nothing is uploaded.
 */
import { sideCounts } from '../../vae/dataset-split.ts';
import type { PreparedSet } from '../../vae/dataset-zip.ts';
import type { OwnDataset } from '../../vae/own-dataset.ts';
import type { FitMode } from '../../vae/prepare-image.ts';
import { GREY_28, imageValues } from '../../vae/spec.ts';
import { levelsImage } from '../lib/draw/paint.ts';
import { traceStroke } from '../lib/draw/stroke.ts';
import { forgetOwn, saveDataset, storedDataset, storedOwnModel, type StoredDataset } from '../lib/page/own-store.ts';
import { droppedFiles, pickedFiles, type PickedFile } from '../lib/page/picked-files.ts';
import { ownDataset, trainedModel } from '../lib/page/shared.ts';
import type { PrepareEvent, PrepareSource } from '../lib/worker/prepare-files.ts';
import { bytesText, classRows, skipGroups, summary, STRIP } from './own-data-summary.ts';
import { PAD, PEN, padPoint } from './draw-digit-pad.ts';
import { FigureElement } from './figure-element.ts';

/** Files read from one drop or pick at most (a zip is checked by its own limits). */
const MAX_FILES = 100_000;
/** Files per message to the worker (#sendInParts). */
const FILES_PER_MESSAGE = 25;
/** The page sends messages of files for this long before it lets other work run (#sendInParts). */
const SLICE_MS = 20;
/** The toy set's seed: the same shapes for every reader. */
const TOY_SEED = 1;

class OwnData extends FigureElement {
  protected override loadingText = 'Looking for a dataset you prepared here before…';
  protected override failureWhat = 'Your dataset could not be read back from this browser';
  #worker: Worker | undefined;
  #request = 0;
  #source: PrepareSource | undefined;
  #set: StoredDataset | undefined;
  /** Drawings not yet prepared: PNG blobs with their class. */
  #drawings: { label: string; png: Blob }[] = [];
  /** Drawings added but not yet encoded as PNG. */
  #adding: Promise<void>[] = [];
  #strokes: number[][] = [];

  protected override setup(): void {
    const files = this.el<HTMLInputElement>('pick-files');
    const folder = this.el<HTMLInputElement>('pick-folder');
    this.listen(files, 'change', () => this.#fromPicked(pickedFiles(files.files), files.files?.[0]?.name ?? 'your files'));
    this.listen(folder, 'change', () => this.#fromPicked(pickedFiles(folder.files), pickedFiles(folder.files)[0]?.path.split('/')[0] ?? 'your folder'));
    const drop = this.el('drop');
    this.listen(drop, 'dragover', (e) => {
      e.preventDefault();
      drop.dataset['over'] = 'true';
    });
    this.listen(drop, 'dragleave', () => delete drop.dataset['over']);
    this.listen(drop, 'drop', (e) => {
      e.preventDefault();
      delete drop.dataset['over'];
      if (!e.dataTransfer) return;
      const name = e.dataTransfer.items?.[0]?.webkitGetAsEntry?.()?.name ?? e.dataTransfer.files[0]?.name ?? 'your files';
      void this.track(
        droppedFiles(e.dataTransfer, MAX_FILES).then(({ files: list, more }) => {
          if (more) this.el('note').textContent = `Only the first ${MAX_FILES.toLocaleString('en')} files of the drop were read.`;
          this.#fromPicked(list, name);
        }),
      );
    });
    this.listen(this.el('toy'), 'click', () => this.#prepare({ kind: 'toy', count: Number(this.dataset['toy'] ?? 2000), seed: TOY_SEED }));
    for (const input of this.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-option]')) {
      // A new choice prepares the same files again.
      this.listen(input, 'change', () => {
        this.#greyChoices();
        if (this.#source) this.#prepare(this.#source);
      });
    }
    this.#greyChoices();
    this.listen(this.el('cancel'), 'click', () => {
      this.#worker?.postMessage({ type: 'cancel' });
      this.#request++;
      this.#progress(undefined);
      this.status(this.#set ? 'Cancelled: the dataset before stays.' : 'Cancelled.', 'ready');
    });
    this.listen(this.el('download'), 'click', () => void this.track(this.#download()));
    this.listen(this.el('forget'), 'click', () => void this.track(this.#forget()));
    this.#setupPad();
    // A model handed over on this page has been kept beside the dataset: the storage line counts it.
    this.cleanup(
      trainedModel.subscribe((model) => {
        if (model?.spec.dataset === 'own') void this.track(this.#storage());
      }),
    );
  }

  protected override async start(): Promise<void> {
    const kept = await storedDataset().catch(() => undefined);
    if (kept && !this.#set) {
      this.#show(kept, 0);
      ownDataset.set(kept);
      this.status(`Your dataset from your last visit, ${kept.name}, kept in this browser.`, 'ready');
    } else {
      this.status('Give the figure some pictures, draw some, or take the toy shapes.', 'ready');
    }
    await this.#storage();
  }

  /** Grey or colour, and the fit and inversion the reader chose (grey only). */
  get #options(): { colour: boolean; fit: FitMode; invert: boolean | 'auto' } {
    const colour = this.querySelector<HTMLInputElement>('[data-option="colour"]:checked')?.value === 'colour';
    const fit = this.querySelector<HTMLInputElement>('[data-option="fit"]:checked')?.value === 'resize' ? 'resize' : 'mnist';
    const invert = this.el<HTMLSelectElement>('invert').value;
    return { colour, fit, invert: invert === 'auto' ? 'auto' : invert === 'yes' };
  }

  /** Colour pictures are neither fitted nor inverted: those choices are off while colour is on. */
  #greyChoices(): void {
    const colour = this.#options.colour;
    for (const input of this.el('grey-options').querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) input.disabled = colour;
  }

  #fromPicked(files: PickedFile[], name: string): void {
    if (files.length === 0) return;
    this.el('note').textContent = '';
    const zip = files.length === 1 && /\.zip$/i.test(files[0]!.path) ? files[0]! : undefined;
    this.#prepare(zip ? { kind: 'zip', name: zip.path.replace(/\.zip$/i, ''), file: zip.file } : { kind: 'files', name, files });
  }

  #prepare(source: PrepareSource): void {
    this.#source = source;
    this.#worker ??= this.#startWorker();
    const id = ++this.#request;
    this.#progress({ done: 0, total: 0, phase: 'reading' });
    this.status('Preparing your images in a worker…', 'loading');
    this.dataset['settled'] = 'false';
    if (source.kind !== 'files' || source.files.length <= FILES_PER_MESSAGE) {
      this.#worker.postMessage({ type: 'prepare', id, source, ...this.#options });
      return;
    }
    void this.#sendInParts(this.#worker, id, source);
  }

  /**
   * Sends many files in parts, yielding every SLICE_MS: the first copy of a picked File into a
   * worker's message costs a fraction of a millisecond, so 10,000 in one message would hold the
   * page for seconds. The worker starts on the first part while the rest are sent.
   */
  async #sendInParts(worker: Worker, id: number, source: Extract<PrepareSource, { kind: 'files' }>): Promise<void> {
    const { files } = source;
    worker.postMessage({ type: 'prepare', id, source: { ...source, files: files.slice(0, FILES_PER_MESSAGE) }, ...this.#options, more: true });
    let sliceStart = -Infinity;
    for (let start = FILES_PER_MESSAGE; start < files.length; start += FILES_PER_MESSAGE) {
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve));
        sliceStart = performance.now();
        // A newer request, or Cancel, replaced this one: the worker has let it go.
        if (id !== this.#request) return;
      }
      const end = Math.min(files.length, start + FILES_PER_MESSAGE);
      worker.postMessage({ type: 'more', id, files: files.slice(start, end), last: end === files.length });
    }
  }

  #startWorker(): Worker {
    const worker = new Worker(new URL('../lib/worker/prepare.worker.ts', import.meta.url), { type: 'module' });
    this.cleanup(() => worker.terminate());
    worker.onmessage = (e: MessageEvent<PrepareEvent>) => this.#heard(e.data);
    worker.onerror = (e) => {
      this.#progress(undefined);
      this.fail(new Error(e.message || 'the preparation worker stopped'), 'Your images could not be prepared');
      this.dataset['settled'] = 'true';
    };
    return worker;
  }

  /** Counts finished preparations in `data-runs`, so a test can wait for the next one. */
  #finished(): void {
    this.dataset['runs'] = String(Number(this.dataset['runs'] ?? 0) + 1);
  }

  #heard(event: PrepareEvent): void {
    if (event.id !== this.#request) return;
    if (event.type === 'progress') {
      this.#progress(event);
    } else if (event.type === 'failed') {
      this.#progress(undefined);
      this.status(`${event.message.replace(/\.$/, '')}. ${this.#set ? 'The dataset before stays.' : 'Nothing was kept.'}`, this.#set ? 'ready' : 'error');
      this.dataset['settled'] = 'true';
      this.#finished();
    } else if (event.type === 'done') {
      this.#progress(undefined);
      void this.track(this.#prepared(event.dataset, event.name, event.inverted, event.millis).finally(() => this.#finished()));
      this.dataset['settled'] = 'true';
    }
  }

  async #prepared(dataset: OwnDataset, name: string, inverted: number, millis: number): Promise<void> {
    const { fit, invert } = this.#options;
    const set: StoredDataset = {
      prepared: Date.now(),
      name,
      classes: dataset.classes,
      labelled: dataset.labelled,
      images: dataset.images,
      ...(dataset.shape ? { shape: dataset.shape } : {}),
      labels: dataset.labels,
      sides: dataset.sides,
      split: dataset.split,
      fit,
      inverted: invert === true || inverted > 0,
      skipped: dataset.skipped,
    };
    this.#show(set, inverted);
    ownDataset.set(set);
    try {
      await saveDataset(set);
      this.status(`Prepared ${name} in ${(millis / 1000).toFixed(1)} s and kept it in this browser.`, 'ready');
    } catch (err) {
      this.status(`Prepared ${name}; it is here until you leave the page, but not kept: ${err instanceof Error ? err.message : String(err)}.`, 'ready');
    }
    await this.#storage();
  }

  /** Shows a dataset: the summary, a strip per class, the skipped files. */
  #show(set: StoredDataset, inverted: number): void {
    this.#set = set;
    this.el('result').hidden = false;
    const full = { ...set, counts: sideCounts(set.classes.length, set.labels, set.sides) };
    this.el('summary').textContent = summary(full, inverted);
    const body = this.el('classes');
    body.replaceChildren();
    for (const row of classRows(full)) {
      const tr = document.createElement('tr');
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = row.name;
      const { height, width, channels } = set.shape ?? GREY_28;
      const per = imageValues({ height, width, channels });
      const line = width * channels;
      const strip = document.createElement('canvas');
      strip.width = STRIP * width;
      strip.height = height;
      strip.className = 'own-strip';
      strip.setAttribute('role', 'img');
      strip.setAttribute('aria-label', `${row.shown.length} of the ${row.name} images as the model sees them`);
      const levels = new Uint8Array(STRIP * per);
      row.shown.forEach((i, k) => {
        for (let y = 0; y < height; y++) levels.set(set.images.subarray(i * per + y * line, i * per + (y + 1) * line), y * STRIP * line + k * line);
      });
      strip.getContext('2d')!.putImageData(levelsImage(levels, STRIP * width, height, channels), 0, 0);
      const cells = [name, cell(strip), cell(row.train.toLocaleString('en')), cell(row.test.toLocaleString('en'))];
      tr.append(...cells);
      body.append(tr);
    }
    const more = set.classes.length - body.children.length;
    this.el('more-classes').textContent = more > 0 ? `and ${more} more classes` : '';
    const groups = skipGroups(set.skipped);
    const skipped = this.el<HTMLDetailsElement>('skipped');
    skipped.hidden = groups.length === 0;
    this.el('skipped-summary').textContent = `${set.skipped.length.toLocaleString('en')} file${set.skipped.length === 1 ? '' : 's'} left out`;
    this.el('skipped-list').replaceChildren(
      ...groups.map((g) => {
        const li = document.createElement('li');
        const rest = g.count - g.examples.length;
        li.textContent = `${g.count.toLocaleString('en')} ${g.text}: ${g.examples.join(', ')}${rest > 0 ? `, and ${rest.toLocaleString('en')} more` : ''}`;
        li.dataset['reason'] = g.reason;
        return li;
      }),
    );
    this.el<HTMLButtonElement>('download').disabled = false;
    this.el<HTMLButtonElement>('forget').disabled = false;
  }

  #progress(p: { done: number; total: number; phase: string } | undefined): void {
    const box = this.el('progress');
    box.hidden = !p;
    if (!p) return;
    const bar = this.el<HTMLProgressElement>('progress-bar');
    if (p.total > 0) {
      bar.max = p.total;
      bar.value = p.done;
    } else {
      bar.removeAttribute('value');
    }
    this.el('progress-text').textContent = p.phase === 'reading' ? 'Reading the files…' : `${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} images prepared`;
  }

  async #download(): Promise<void> {
    const set = this.#set;
    if (!set) return;
    this.#worker ??= this.#startWorker();
    const id = ++this.#request;
    const slug = set.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'my-images';
    const prepared: PreparedSet = { id: slug, classes: set.labelled ? set.classes : null, images: set.images, ...(set.shape ? { shape: set.shape } : {}), labels: set.labels, sides: set.sides };
    const bytes = await new Promise<Uint8Array>((resolve, reject) => {
      const worker = this.#worker!;
      const heard = (e: MessageEvent<PrepareEvent>) => {
        if (e.data.id !== id) return;
        worker.removeEventListener('message', heard);
        if (e.data.type === 'zipped') resolve(e.data.bytes);
        else if (e.data.type === 'failed') reject(new Error(e.data.message));
      };
      worker.addEventListener('message', heard);
      worker.postMessage({ type: 'zip', id, set: prepared });
    });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
    a.download = `${slug}.zip`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    this.el('note').textContent = `In a clone of this site: npm run data -- --folder ${slug}.zip --id ${slug}, then npm run train -- --model mnist-conv-z2 --dataset ${slug}.`;
  }

  async #forget(): Promise<void> {
    await forgetOwn().catch(() => undefined);
    this.#set = undefined;
    this.#source = undefined;
    ownDataset.set(undefined);
    this.el('result').hidden = true;
    this.el<HTMLButtonElement>('download').disabled = true;
    this.el<HTMLButtonElement>('forget').disabled = true;
    this.status('Forgotten: this browser no longer keeps your dataset or a model trained on it.', 'ready');
    await this.#storage();
  }

  /** What the slot keeps: the dataset's bytes as stored, and the model kept beside it. */
  async #storage(): Promise<void> {
    const set = this.#set;
    const model = set ? await storedOwnModel(set.prepared).catch(() => undefined) : undefined;
    if (set !== this.#set) return;
    const kept = set ? set.images.length + set.labels.length : 0;
    this.el('storage').textContent =
      kept > 0 ? `Kept in this browser: your dataset, about ${bytesText(kept)}${model ? `, and the model trained on it, about ${bytesText(model.length)}` : ''}.` : '';
  }

  // ——— The drawing pad ———

  #setupPad(): void {
    const pad = this.el<HTMLCanvasElement>('pad');
    const ctx = pad.getContext('2d')!;
    const paint = () => {
      ctx.clearRect(0, 0, PAD, PAD);
      ctx.fillStyle = ctx.strokeStyle = '#000';
      for (const points of this.#strokes) traceStroke(ctx, points, PEN);
    };
    let drawing: number[] | undefined;
    this.listen(pad, 'pointerdown', (e) => {
      pad.setPointerCapture(e.pointerId);
      drawing = [...padPoint(e.clientX, e.clientY, pad.getBoundingClientRect())];
      this.#strokes.push(drawing);
      paint();
    });
    this.listen(pad, 'pointermove', (e) => {
      if (!drawing) return;
      drawing.push(...padPoint(e.clientX, e.clientY, pad.getBoundingClientRect()));
      paint();
    });
    const end = () => (drawing = undefined);
    this.listen(pad, 'pointerup', end);
    this.listen(pad, 'pointercancel', end);
    this.listen(this.el('pad-clear'), 'click', () => {
      this.#strokes = [];
      paint();
    });
    this.listen(this.el('pad-add'), 'click', () => {
      const label = this.el<HTMLInputElement>('pad-class').value.trim();
      if (this.#strokes.length === 0) return void (this.el('pad-count').textContent = 'Draw something first.');
      if (!label || label.includes('/')) return void (this.el('pad-count').textContent = 'Name the class first (no slashes).');
      // The pad is read now; the next drawing may start before the PNG is ready.
      this.#strokes = [];
      const done = new Promise<void>((resolve) =>
        pad.toBlob((png) => {
          if (png) this.#drawings.push({ label, png });
          this.#padCount();
          resolve();
        }, 'image/png'),
      );
      this.#adding.push(done);
      paint();
    });
    this.listen(this.el('pad-use'), 'click', () => void this.track(this.#useDrawings()));
  }

  /** Prepares the drawings, once every one added has become a PNG. */
  async #useDrawings(): Promise<void> {
    await Promise.all(this.#adding.splice(0));
    if (this.#drawings.length < 2) {
      this.el('pad-count').textContent = 'Add at least two drawings first.';
      return;
    }
    const files = this.#drawings.map((d, i) => ({ path: `drawings/${d.label}/${String(i + 1).padStart(4, '0')}.png`, file: d.png }));
    this.#prepare({ kind: 'files', name: 'Your drawings', files });
  }

  #padCount(): void {
    const byClass = new Map<string, number>();
    for (const d of this.#drawings) byClass.set(d.label, (byClass.get(d.label) ?? 0) + 1);
    this.el('pad-count').textContent = `${this.#drawings.length} drawing${this.#drawings.length === 1 ? '' : 's'}: ${[...byClass].map(([c, n]) => `${n} ${c}`).join(', ')}`;
  }
}

function cell(content: Node | string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.append(content);
  return td;
}

customElements.define('own-data', OwnData);
