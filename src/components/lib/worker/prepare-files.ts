/**
 * What the preparation worker does with a reader's files: unzip a zip (limits checked first),
 * sort the files, find the labels, decode each image (whatever this browser's
 * `createImageBitmap` decodes; a large one is scaled down as it is decoded, so memory stays
 * small), make it 28 × 28 grey (src/vae/prepare-image.ts), then drop duplicates and split
 * (src/vae/own-dataset.ts). It reports progress as it goes and can be cancelled between images.
 * The pixels never leave the worker except to the page that asked.
 */
/// <reference lib="webworker" />
import { datasetZip, unzipChecked, type PreparedSet } from '../../../vae/dataset-zip.ts';
import { assemble, planLabels, sortFiles, UnusableData, type FileRef, type OwnDataset, type PreparedImage } from '../../../vae/own-dataset.ts';
import { prepareGrey, greyOver, type FitMode } from '../../../vae/prepare-image.ts';
import { toyShapes } from '../../../vae/toy-shapes.ts';
import { IMAGE_SIZE, PIXELS } from '../../../vae/spec.ts';

/** Decoded pictures larger than this on their longer side are scaled down to it as they decode. */
const MAX_SIDE = 224;
/** Pictures decoded at once: enough to keep the decoder busy, few enough to bound memory. */
const IN_FLIGHT = 8;

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

/** The RGBA pixels of an encoded picture, at most MAX_SIDE on its longer side, or null if it cannot be decoded. */
async function decode(blob: Blob, canvas: OffscreenCanvas): Promise<{ rgba: Uint8ClampedArray; width: number; height: number } | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    return null;
  }
  try {
    if (bitmap.width === 0 || bitmap.height === 0) return null;
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    if (scale < 1) {
      const small = await createImageBitmap(bitmap, { resizeWidth: Math.max(1, Math.round(bitmap.width * scale)), resizeHeight: Math.max(1, Math.round(bitmap.height * scale)), resizeQuality: 'high' });
      bitmap.close();
      bitmap = small;
    }
    const { width, height } = bitmap;
    if (canvas.width < width) canvas.width = width;
    if (canvas.height < height) canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0);
    return { rgba: ctx.getImageData(0, 0, width, height).data, width, height };
  } finally {
    bitmap.close();
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
    this.#gathering = undefined;
  }

  /** A request whose files are still arriving. */
  #gathering: PrepareRequest | undefined;

  /** Starts a request, or waits for the rest of its files. */
  receive(req: PrepareRequest): void {
    this.#current = req.id;
    this.#gathering = req.more ? req : undefined;
    if (!req.more) void this.prepare(req);
  }

  /** Adds a part of the files to the request gathering them; starts it with the last part. */
  more(part: MoreFiles): void {
    const req = this.#gathering;
    if (!req || req.id !== part.id || req.source.kind !== 'files') return;
    req.source.files.push(...part.files);
    if (!part.last) return;
    this.#gathering = undefined;
    void this.prepare(req);
  }

  async prepare(req: PrepareRequest): Promise<void> {
    this.#current = req.id;
    const started = performance.now();
    try {
      const result = req.source.kind === 'toy' ? this.#toy(req) : await this.#files(req);
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
      const { image, inverted: flipped } = prepareGrey(toy.images.slice(i * PIXELS, (i + 1) * PIXELS), IMAGE_SIZE, IMAGE_SIZE, req);
      if (flipped) inverted.add(path);
      return image ? { path, image } : { path, reason: 'no ink' };
    });
    return kept(assemble(prepared, plan), inverted);
  }

  async #files(req: PrepareRequest): Promise<{ dataset: OwnDataset; inverted: number } | undefined> {
    let entries: Entry[];
    if (req.source.kind === 'zip') {
      this.#post({ type: 'progress', id: req.id, done: 0, total: 0, phase: 'reading' });
      const files = unzipChecked(new Uint8Array(await req.source.file.arrayBuffer()));
      entries = [...files].map(([path, bytes]) => ({ path, blob: new Blob([bytes as BlobPart]) }));
    } else if (req.source.kind === 'files') {
      entries = req.source.files.map(({ path, file }) => ({ path, type: file.type, blob: file }));
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
    const prepared: PreparedImage[] = new Array<PreparedImage>(wanted.length);
    const canvases = Array.from({ length: IN_FLIGHT }, () => new OffscreenCanvas(1, 1));
    const inverted = new Set<string>();
    let done = 0;
    let told = 0;
    let next = 0;
    const lane = async (canvas: OffscreenCanvas) => {
      while (next < wanted.length && this.#current === req.id) {
        const k = next++;
        const entry = wanted[k]!;
        const pixels = await decode(entry.blob, canvas);
        if (!pixels) {
          prepared[k] = { path: entry.path, reason: 'cannot be decoded' };
        } else {
          const { image, inverted: flipped } = prepareGrey(greyOver(pixels.rgba), pixels.width, pixels.height, req);
          if (flipped) inverted.add(entry.path);
          prepared[k] = image ? { path: entry.path, image } : { path: entry.path, reason: 'no ink' };
        }
        done++;
        if (performance.now() - told > 100) {
          told = performance.now();
          this.#post({ type: 'progress', id: req.id, done, total: wanted.length, phase: 'preparing' });
        }
      }
    };
    await Promise.all(canvases.map(lane));
    if (this.#current !== req.id) return undefined;
    this.#post({ type: 'progress', id: req.id, done, total: wanted.length, phase: 'preparing' });
    if (wanted.length === 0 && sorted.images.length === 0) {
      throw new UnusableData(`There are no images among the ${entries.length.toLocaleString('en')} file${entries.length === 1 ? '' : 's'}: give PNG, JPEG, WebP, GIF or BMP pictures.`);
    }
    return kept(assemble(prepared, plan), inverted);
  }
}

/** The dataset, and how many of the images it kept were inverted. */
function kept(dataset: OwnDataset, inverted: Set<string>): { dataset: OwnDataset; inverted: number } {
  return { dataset, inverted: dataset.paths.filter((p) => inverted.has(p)).length };
}
