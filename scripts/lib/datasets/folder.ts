/**
 * A dataset from a folder of 28×28 PNG images and a labels.csv that says each one's class and
 * split, the layout the page's "your own data" download has (src/vae/dataset-zip.ts):
 *
 *   <dir>/labels.csv      file,label,split          (that header, then one row per image)
 *                         shapes/0001.png,0,train
 *                         shapes/0002.png,ring,test
 *   <dir>/classes.txt     optional: one class name per line, in label order
 *   <dir>/<file>          8-bit PNG, greyscale, or RGB/RGBA made grey by luminance
 *
 * `file` is a path relative to <dir> (no commas or quotes); `label` is a whole number 0…C−1 or
 * one of the class names, which come from `classes` or else classes.txt (C is then their
 * number; with neither, the largest label + 1, the classes named "0", "1", …); `split` is train
 * or test. A label left empty on every row makes the data unlabelled: one class, and the
 * manifest says `labelled: false`. Images keep the order of labels.csv within each split.
 * Pixels are grey levels 0 (background) to 255 (ink), as in MNIST.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, normalize } from 'node:path';
import { IMAGE_SIZE, isDatasetId, PIXELS } from '../../../src/vae/spec.ts';
import { LABELS_HEADER } from '../../../src/vae/dataset-zip.ts';
import { decodePng, PngError } from '../png.ts';
import type { DatasetSource, RawDataset, RawSplit } from './types.ts';

export interface FolderOptions {
  /** Folder name under public/data/: lower-case letters, digits and hyphens. */
  id: string;
  /** Human-readable name. */
  name: string;
  /** The folder that holds labels.csv and the images. */
  dir: string;
  /** Class names, in label order; labels.csv may then use a name or its index. Without it, classes.txt. */
  classes?: string[];
}

/** One row of labels.csv, checked. */
interface Row {
  line: number;
  file: string;
  label: number;
  split: 'train' | 'test';
}

const HEADER = LABELS_HEADER;
/** Labels are stored as bytes. */
const MAX_CLASSES = 256;
/** The one class of unlabelled data. */
const UNLABELLED = ['unlabelled'];

/** The class names of `options`, or of classes.txt beside labels.csv, or undefined. */
function classNames(options: FolderOptions): string[] | undefined {
  if (options.classes) return options.classes;
  const path = join(options.dir, 'classes.txt');
  if (!existsSync(path)) return undefined;
  const names = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).map((n) => n.trim());
  while (names.at(-1) === '') names.pop();
  const blank = names.indexOf('');
  if (blank >= 0) throw new Error(`Dataset ${options.id}: line ${blank + 1} of ${path} is empty; every class needs a name.`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`Dataset ${options.id}: ${path} names the class ${JSON.stringify(twice)} twice.`);
  return names;
}

function readRows(options: FolderOptions): { csv: Uint8Array; rows: Row[]; classes: string[]; labelled: boolean } {
  const csvPath = join(options.dir, 'labels.csv');
  if (!existsSync(csvPath)) throw new Error(`Dataset ${options.id}: there is no labels.csv in ${options.dir} (it lists every image as ${HEADER}).`);
  const csv = new Uint8Array(readFileSync(csvPath));
  const lines = new TextDecoder().decode(csv).replace(/^\uFEFF/, '').split(/\r?\n/);
  const where = (line: number) => `Dataset ${options.id}: ${csvPath} line ${line}`;
  if (lines[0]!.trim() !== HEADER) throw new Error(`${where(1)} is ${JSON.stringify(lines[0])}; the header must be ${HEADER}.`);
  const named = classNames(options);
  if (named && (named.length === 0 || named.length > MAX_CLASSES)) throw new Error(`Dataset ${options.id}: give 1 to ${MAX_CLASSES} class names, not ${named.length}.`);
  const rows: Row[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    const fields = text.split(',').map((f) => f.trim());
    if (fields.length !== 3) throw new Error(`${where(i + 1)} has ${fields.length} fields; expected 3 (${HEADER}).`);
    const [file, labelText, split] = fields as [string, string, string];
    if (split !== 'train' && split !== 'test') throw new Error(`${where(i + 1)}: the split is ${JSON.stringify(split)}; it must be train or test.`);
    if (file === '' || isAbsolute(file) || normalize(file).startsWith('..')) throw new Error(`${where(i + 1)}: ${JSON.stringify(file)} is not a path inside ${options.dir}.`);
    let label: number;
    if (labelText === '') {
      label = -1;
    } else if (/^\d+$/.test(labelText)) {
      label = Number(labelText);
      const limit = named ? named.length : MAX_CLASSES;
      if (label >= limit) throw new Error(`${where(i + 1)}: label ${label} is out of range; labels are 0 to ${limit - 1}${named ? ` (${named.join(', ')})` : ''}.`);
    } else if (named?.includes(labelText)) {
      label = named.indexOf(labelText);
    } else {
      throw new Error(`${where(i + 1)}: the label ${JSON.stringify(labelText)} is ${named ? `neither a class number nor one of ${named.join(', ')}` : 'not a whole number (name the classes in classes.txt to use names)'}.`);
    }
    rows.push({ line: i + 1, file, label, split });
  }
  for (const split of ['train', 'test'] as const) {
    if (!rows.some((r) => r.split === split)) throw new Error(`Dataset ${options.id}: ${csvPath} lists no ${split} images; both splits need some.`);
  }
  const unlabelled = rows.filter((r) => r.label < 0);
  if (unlabelled.length > 0 && unlabelled.length < rows.length) {
    const [some, other] = [unlabelled[0]!, rows.find((r) => r.label >= 0)!];
    throw new Error(`${where(some.line)} has no label but line ${other.line} has one; label every image or none.`);
  }
  const labelled = unlabelled.length === 0;
  if (!labelled) for (const row of rows) row.label = 0;
  const classes = !labelled ? UNLABELLED : (named ?? Array.from({ length: Math.max(...rows.map((r) => r.label)) + 1 }, (_, c) => String(c)));
  for (const row of rows) {
    if (!existsSync(join(options.dir, row.file))) throw new Error(`${where(row.line)} names ${row.file}, which is not in ${options.dir}.`);
  }
  return { csv, rows, classes, labelled };
}

function readImage(options: FolderOptions, row: Row): Uint8Array {
  const path = join(options.dir, row.file);
  let image: ReturnType<typeof decodePng>;
  try {
    image = decodePng(new Uint8Array(readFileSync(path)));
  } catch (err) {
    if (err instanceof PngError) throw new Error(`Dataset ${options.id}: ${path} cannot be read: ${err.message}.`);
    throw err;
  }
  if (image.width !== IMAGE_SIZE || image.height !== IMAGE_SIZE) {
    throw new Error(`Dataset ${options.id}: ${path} is ${image.width}×${image.height} pixels; the models take ${IMAGE_SIZE}×${IMAGE_SIZE}.`);
  }
  return image.grey;
}

/** A DatasetSource over a folder of 28×28 PNGs and their labels.csv (see the top of this file). */
export function folderDataset(options: FolderOptions): DatasetSource {
  if (!isDatasetId(options.id)) throw new Error(`"${options.id}" is not a usable dataset id: use lower-case letters, digits and hyphens.`);
  // A hash of labels.csv, the class names and every image it lists: any change rebuilds.
  const source = (): string => {
    const { csv, rows } = readRows(options);
    const hash = createHash('sha256').update(csv).update(JSON.stringify(classNames(options) ?? null));
    for (const row of rows) hash.update(readFileSync(join(options.dir, row.file)));
    return `folder:${basename(options.dir)}@sha256:${hash.digest('hex').slice(0, 16)}`;
  };
  return {
    id: options.id,
    name: options.name,
    source,
    async load(): Promise<RawDataset> {
      const { rows, classes, labelled } = readRows(options);
      const pack = (split: 'train' | 'test'): RawSplit => {
        const list = rows.filter((r) => r.split === split);
        const images = new Uint8Array(list.length * PIXELS);
        list.forEach((row, k) => images.set(readImage(options, row), k * PIXELS));
        return { images, labels: Uint8Array.from(list, (r) => r.label) };
      };
      const train = pack('train');
      const test = pack('test');
      return {
        source: source(),
        classes,
        ...(labelled ? {} : { labelled: false }),
        train,
        test,
        preparation: {
          split: 'as labels.csv gives it, in its order',
          train: train.labels.length,
          test: test.labels.length,
          perClass: classes.map((_, c) => rows.filter((r) => r.label === c).length),
        },
      };
    },
  };
}
