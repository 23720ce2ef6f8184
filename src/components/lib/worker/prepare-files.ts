/**
 * What the preparation worker does with a reader's files: unzip a zip (limits checked first),
 * sort the files, find the labels, decode each image (whatever this browser's
 * `createImageBitmap` decodes; a large one is scaled down as it is decoded, so memory stays
 * small), make it 28 × 28 grey or 32 × 32 colour (src/vae/prepare-image.ts), then drop duplicates and split
 * (src/vae/own-dataset.ts). It reports progress as it goes and can be cancelled between images.
 * The pixels never leave the worker except to the page that asked.
 */
/// <reference lib="webworker" />
import { datasetZip, unzipChecked, type PreparedSet } from '../../../vae/dataset-zip.ts';
import { assemble, mayBeImage, planLabels, sortFiles, UnusableData, type FileRef, type OwnDataset, type PreparedImage } from '../../../vae/own-dataset.ts';
import { COLOUR_32, prepareRgba, type FitMode, type PrepareOptions } from '../../../vae/prepare-image.ts';
import { toyShapes } from '../../../vae/toy-shapes.ts';
import { GREY_28, IMAGE_SIZE, PIXELS } from '../../../vae/spec.ts';

/** Decoded pictures larger than this on their longer side are scaled down to it as they decode. */
const MAX_SIDE = 224;
/** Pictures decoded at once: enough to keep the browser's decoder busy, few enough to bound memory. */
const IN_FLIGHT = 16;

export type PrepareSource =
  /** Files with their paths (a picked folder's relative paths, a dropped folder's, drawn pictures as PNG). */
  | { kind: 'files'; name: string; files: { path: string; file: Blob }[] }
  | { kind: 'zip'; name: string; file: Blob }
  /** The seeded toy shapes (src/vae/toy-shapes.ts). */
  | { kind: 'toy'; count: number; seed: number };

export interface PrepareRequest {
  type: 'prepare';
  id: number;
  source: PrepareSource;
  fit: FitMode;
  invert: boolean | 'auto';
  /** Colour at 32 × 32 instead of grey at 28 × 28 (fit and invert then do not apply). */
  colour?: boolean;
  /** More files follow in MoreFiles messages; the work starts with the last. */
  more?: boolean;
}

/** The next part of a request's files (a large folder is sent in parts). */
export interface MoreFiles {
  type: 'more';
  id: number;
  files: { path: string; file: Blob }[];
  last: boolean;
}

/** Writes a prepared dataset as the zip `npm run data -- --folder` reads (src/vae/dataset-zip.ts). */
export interface ZipRequest {
  type: 'zip';
  id: number;
  set: PreparedSet;
}

export type PrepareEvent =
  | { type: 'zipped'; id: number; bytes: Uint8Array }
  | { type: 'progress'; id: number; done: number; total: number; phase: 'reading' | 'preparing' }
  | { type: 'done'; id: number; dataset: OwnDataset; inverted: number; name: string; millis: number }
  /** The data cannot make a dataset, or a zip was refused: the message says why. */
  | { type: 'failed'; id: number; message: string };

type Post = (event: PrepareEvent, transfer?: Transferable[]) => void;

interface Entry extends FileRef {
  blob: Blob;
}

/** A decoded picture, at most MAX_SIDE on its longer side, or null if it cannot be decoded. */
async function bitmapOf(blob: Blob): Promise<ImageBitmap | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    return null;
  }
  if (bitmap.width === 0 || bitmap.height === 0) {
    bitmap.close();
    return null;
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  if (scale === 1) return bitmap;
  try {
    return await createImageBitmap(bitmap, { resizeWidth: Math.max(1, Math.round(bitmap.width * scale)), resizeHeight: Math.max(1, Math.round(bitmap.height * scale)), resizeQuality: 'high' });
  } catch {
    return null;
  } finally {
    bitmap.close();
  }
}

/**
 * Reads the pixels of decoded pictures side by side from one canvas: each read of a canvas
 * costs far more than the few pixels of a small picture, so pictures are read in rows of up
 * to ROW.
 */
class Atlas {
  readonly #canvas = new OffscreenCanvas(1, 1);
  readonly #ctx = this.#canvas.getContext('2d', { willReadFrequently: true })!;

  /** The RGBA pixels of each bitmap, in order; the bitmaps are closed. */
  read(bitmaps: ImageBitmap[]): Uint8ClampedArray[] {
    const width = bitmaps.reduce((sum, b) => sum + b.width, 0);
    const height = Math.max(...bitmaps.map((b) => b.height));
    if (this.#canvas.width < width) this.#canvas.width = width;
    if (this.#canvas.height < height) this.#canvas.height = height;
    this.#ctx.clearRect(0, 0, width, height);
    let x = 0;
    for (const b of bitmaps) {
      this.#ctx.drawImage(b, x, 0);
      x += b.width;
    }
    const all = this.#ctx.getImageData(0, 0, width, height).data;
    x = 0;
    return bitmaps.map((b) => {
      const rgba = new Uint8ClampedArray(b.width * b.height * 4);
      for (let y = 0; y < b.height; y++) rgba.set(all.subarray((y * width + x) * 4, (y * width + x + b.width) * 4), y * b.width * 4);
      x += b.width;
      b.close();
      return rgba;
    });
  }
}

/** The toy shapes' ink in colour, one per class: red, green, blue, orange. */
const TOY_INKS = [
  [200, 30, 40],
  [20, 140, 60],
  [30, 70, 200],
  [230, 130, 20],
] as const;

/** Pictures read from the atlas at once. */
const ROW = 16;

/** One picture prepared: its input, grey or colour (null: no ink) and whether it was inverted, or null if it cannot be decoded. */
type Outcome = { image: Uint8Array | null; inverted: boolean } | null;

/**
 * Decodes and prepares pictures as they arrive, IN_FLIGHT at a time: a large folder comes in
 * parts, and the first parts are prepared while the page still sends the rest. The outcomes
 * are kept by path; which of them the dataset takes is decided once every file is there.
 */
class Decoder {
  readonly outcomes = new Map<string, Outcome>();
  /** Pictures decoded so far, and given so far. */
  done = 0;
  #queue: Entry[] = [];
  #queued = new Set<string>();
  #next = 0;
  #closed = false;
  #waiting: (() => void)[] = [];
  /** Decoded pictures waiting to be read from the atlas. */
  #decoded: { path: string; bitmap: ImageBitmap }[] = [];
  readonly #atlas = new Atlas();
  readonly finished: Promise<void>;

  constructor(
    readonly alive: () => boolean,
    readonly options: PrepareOptions,
    readonly progress: () => void,
  ) {
    this.finished = Promise.all(Array.from({ length: IN_FLIGHT }, () => this.#lane())).then(() => undefined);
  }

  get given(): number {
    return this.#queue.length;
  }

  /** Queues pictures not queued before. */
  push(entries: Entry[]): void {
    for (const e of entries) {
      if (this.#queued.has(e.path)) continue;
      this.#queued.add(e.path);
      this.#queue.push(e);
    }
    this.#wake();
  }

  /** No more pictures come: the lanes stop when the queue is empty. */
  close(): void {
    this.#closed = true;
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiting.splice(0)) wake();
  }

  async #lane(): Promise<void> {
    while (this.alive()) {
      if (this.#next >= this.#queue.length) {
        // Nothing left to decode for now: read what waits, then wait for more or stop.
        this.#read();
        if (this.#closed) return;
        await new Promise<void>((resolve) => this.#waiting.push(resolve));
        continue;
      }
      const entry = this.#queue[this.#next++]!;
      const bitmap = await bitmapOf(entry.blob);
      if (!this.alive()) {
        bitmap?.close();
        return;
      }
      if (bitmap) this.#decoded.push({ path: entry.path, bitmap });
      else this.#settle(entry.path, null);
      if (this.#decoded.length >= ROW) this.#read();
    }
    for (const { bitmap } of this.#decoded.splice(0)) bitmap.close();
  }

  #read(): void {
    const row = this.#decoded.splice(0);
    if (row.length === 0) return;
    const sizes = row.map(({ bitmap }) => [bitmap.width, bitmap.height] as const);
    const pixels = this.#atlas.read(row.map((d) => d.bitmap));
    row.forEach(({ path }, k) => this.#settle(path, prepareRgba(pixels[k]!, sizes[k]![0], sizes[k]![1], this.options)));
  }

  #settle(path: string, outcome: Outcome): void {
    this.outcomes.set(path, outcome);
    this.done++;
    this.progress();
  }
}

export class Preparation {
  readonly #post: Post;
  /** The request now under way; a newer one cancels it. */
  #current = 0;

  constructor(post: Post) {
    this.#post = post;
  }

  zip(req: ZipRequest): void {
    try {
      const bytes = datasetZip(req.set);
      this.#post({ type: 'zipped', id: req.id, bytes }, [bytes.buffer as ArrayBuffer]);
    } catch (err) {
      this.#post({ type: 'failed', id: req.id, message: err instanceof Error ? err.message : String(err) });
    }
  }

  cancel(): void {
    this.#current = -1;
    this.#letGo();
  }

  /** Drops the request gathering files; its decoder's lanes stop. */
  #letGo(): void {
    this.#gathering?.decoder.close();
    this.#gathering = undefined;
  }

  /** A request whose files are still arriving, with the decoder already at work on them. */
  #gathering: { req: PrepareRequest; decoder: Decoder } | undefined;

  /** Starts a request; a request whose files come in parts starts decoding the first part at once. */
  receive(req: PrepareRequest): void {
    this.#current = req.id;
    this.#letGo();
    if (req.source.kind !== 'files') {
      void this.prepare(req);
      return;
    }
    const decoder = this.#decoder(req);
    decoder.push(req.source.files.map(entryOf).filter(mayBeImage));
    if (req.more) this.#gathering = { req, decoder };
    else void this.prepare(req, decoder);
  }

  /** Adds a part of the files to the request gathering them; the last part finishes it. */
  more(part: MoreFiles): void {
    const gathering = this.#gathering;
    if (!gathering || gathering.req.id !== part.id || gathering.req.source.kind !== 'files') return;
    gathering.req.source.files.push(...part.files);
    gathering.decoder.push(part.files.map(entryOf).filter(mayBeImage));
    if (!part.last) return;
    this.#gathering = undefined;
    void this.prepare(gathering.req, gathering.decoder);
  }

  #decoder(req: PrepareRequest): Decoder {
    let told = 0;
    const decoder: Decoder = new Decoder(
      () => this.#current === req.id,
      req,
      () => {
        if (performance.now() - told < 100) return;
        told = performance.now();
        this.#post({ type: 'progress', id: req.id, done: decoder.done, total: decoder.given, phase: 'preparing' });
      },
    );
    return decoder;
  }

  async prepare(req: PrepareRequest, decoder?: Decoder): Promise<void> {
    this.#current = req.id;
    const started = performance.now();
    try {
      const result = req.source.kind === 'toy' ? this.#toy(req) : await this.#files(req, decoder);
      if (!result || this.#current !== req.id) return;
      const { dataset, inverted } = result;
      const name = req.source.kind === 'toy' ? 'Toy shapes' : req.source.name;
      this.#post({ type: 'done', id: req.id, dataset, inverted, name, millis: performance.now() - started }, [dataset.images.buffer as ArrayBuffer, dataset.labels.buffer as ArrayBuffer]);
    } catch (err) {
      if (this.#current !== req.id) return;
      this.#post({ type: 'failed', id: req.id, message: err instanceof Error ? err.message : String(err) });
    }
  }

  #toy(req: PrepareRequest): { dataset: OwnDataset; inverted: number } {
    const source = req.source as Extract<PrepareSource, { kind: 'toy' }>;
    const toy = toyShapes(source.count, source.seed);
    const paths = Array.from(toy.labels, (label, i) => `${toy.classes[label]}/${String(i + 1).padStart(5, '0')}.png`);
    const plan = planLabels(paths);
    const inverted = new Set<string>();
    const prepared: PreparedImage[] = paths.map((path, i) => {
      // The toy's grey levels as an opaque picture, prepared as a decoded file would be: grey
      // as they are, or in colour each class's ink in a colour of its own on white.
      const ink = TOY_INKS[toy.labels[i]! % TOY_INKS.length]!;
      const rgba = new Uint8Array(PIXELS * 4);
      for (let p = 0; p < PIXELS; p++) {
        const g = toy.images[i * PIXELS + p]!;
        for (let c = 0; c < 3; c++) rgba[4 * p + c] = req.colour ? Math.round(255 - ((255 - ink[c]!) * g) / 255) : g;
        rgba[4 * p + 3] = 255;
      }
      const { image, inverted: flipped } = prepareRgba(rgba, IMAGE_SIZE, IMAGE_SIZE, req);
      if (flipped) inverted.add(path);
      return image ? { path, image } : { path, reason: 'no ink' };
    });
    return kept(assemble(prepared, plan, undefined, shapeOf(req)), inverted);
  }

  async #files(req: PrepareRequest, given?: Decoder): Promise<{ dataset: OwnDataset; inverted: number } | undefined> {
    let entries: Entry[];
    let decoder = given;
    if (req.source.kind === 'zip') {
      this.#post({ type: 'progress', id: req.id, done: 0, total: 0, phase: 'reading' });
      const files = unzipChecked(new Uint8Array(await req.source.file.arrayBuffer()));
      entries = [...files].map(([path, bytes]) => ({ path, blob: new Blob([bytes as BlobPart]) }));
      decoder = this.#decoder(req);
      decoder.push(entries.filter(mayBeImage));
    } else if (req.source.kind === 'files') {
      entries = req.source.files.map(entryOf);
      decoder ??= this.#decoder(req);
    } else {
      return undefined;
    }
    const sorted = sortFiles(entries);
    const text = async (e: Entry | undefined) => (e ? { path: e.path, text: await e.blob.text() } : undefined);
    const plan = planLabels(
      sorted.images.map((e) => e.path),
      await text(sorted.labelsCsv),
      await text(sorted.classesTxt),
    );
    plan.skipped.unshift(...sorted.skipped);
    const wanted = sorted.images.filter((e) => plan.labels.has(e.path));
    // Everything wanted is queued already, unless the cap left out pictures the decoder took early.
    decoder.push(wanted);
    decoder.close();
    await decoder.finished;
    if (this.#current !== req.id) return undefined;
    this.#post({ type: 'progress', id: req.id, done: decoder.done, total: decoder.given, phase: 'preparing' });
    if (wanted.length === 0 && sorted.images.length === 0) {
      throw new UnusableData(`There are no images among the ${entries.length.toLocaleString('en')} file${entries.length === 1 ? '' : 's'}: give PNG, JPEG, WebP, GIF or BMP pictures.`);
    }
    const inverted = new Set<string>();
    const prepared = wanted.map((entry): PreparedImage => {
      const outcome = decoder.outcomes.get(entry.path);
      if (!outcome) return { path: entry.path, reason: 'cannot be decoded' };
      if (outcome.inverted) inverted.add(entry.path);
      return outcome.image ? { path: entry.path, image: outcome.image } : { path: entry.path, reason: 'no ink' };
    });
    return kept(assemble(prepared, plan, undefined, shapeOf(req)), inverted);
  }
}

/** The shape the request prepares its pictures at. */
function shapeOf(req: PrepareRequest) {
  return req.colour ? COLOUR_32 : GREY_28;
}

function entryOf({ path, file }: { path: string; file: Blob }): Entry {
  return { path, type: file.type, blob: file };
}

/** The dataset, and how many of the images it kept were inverted. */
function kept(dataset: OwnDataset, inverted: Set<string>): { dataset: OwnDataset; inverted: number } {
  return { dataset, inverted: dataset.paths.filter((p) => inverted.has(p)).length };
}
