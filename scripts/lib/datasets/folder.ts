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
import { basename, join } from 'node:path';
import { IMAGE_SIZE, isDatasetId, PIXELS } from '../../../src/vae/spec.ts';
import { LABELS_HEADER, MAX_CLASSES, parseClassNames, parseLabelsCsv, type LabelRow, type LabelTable } from '../../../src/vae/labels-csv.ts';
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

/** The class names of `options`, or of classes.txt beside labels.csv, or undefined. */
function classNames(options: FolderOptions): string[] | undefined {
  if (options.classes) {
    if (options.classes.length === 0 || options.classes.length > MAX_CLASSES) throw new Error(`Dataset ${options.id}: give 1 to ${MAX_CLASSES} class names, not ${options.classes.length}.`);
    return options.classes;
  }
  const path = join(options.dir, 'classes.txt');
  if (!existsSync(path)) return undefined;
  try {
    return parseClassNames(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`Dataset ${options.id}: ${path} ${(err as Error).message}`);
  }
}

function readRows(options: FolderOptions): { csv: Uint8Array; rows: LabelRow[]; classes: string[]; labelled: boolean } {
  const csvPath = join(options.dir, 'labels.csv');
  if (!existsSync(csvPath)) throw new Error(`Dataset ${options.id}: there is no labels.csv in ${options.dir} (it lists every image as ${LABELS_HEADER}).`);
  const csv = new Uint8Array(readFileSync(csvPath));
  const named = classNames(options);
  let table: LabelTable;
  try {
    table = parseLabelsCsv(new TextDecoder().decode(csv), named);
  } catch (err) {
    throw new Error(`Dataset ${options.id}: ${csvPath} ${(err as Error).message.replace('inside the folder', `inside ${options.dir}`)}`);
  }
  for (const row of table.rows) {
    if (!existsSync(join(options.dir, row.file))) throw new Error(`Dataset ${options.id}: ${csvPath} line ${row.line} names ${row.file}, which is not in ${options.dir}.`);
  }
  return { csv, ...table };
}

function readImage(options: FolderOptions, row: LabelRow): Uint8Array {
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
