/**
 * A dataset from a folder of 28×28 (grey) or 32×32 (colour) PNG images and a labels.csv that says each one's class and
 * split, the layout the page's "your own data" download has (src/vae/dataset-zip.ts):
 *
 *   <dir>/labels.csv      file,label,split          (that header, then one row per image)
 *                         shapes/0001.png,0,train
 *                         shapes/0002.png,ring,test
 *   <dir>/classes.txt     optional: one class name per line, in label order
 *   <dir>/<file>          8-bit PNG: at 28 × 28, greyscale, or RGB/RGBA made grey by luminance;
 *                         at 32 × 32, colour (RGB, or RGBA over white; grey is spread to R, G, B)
 *
 * `file` is a path relative to <dir> (no commas or quotes); `label` is a whole number 0…C−1 or
 * one of the class names, which come from `classes` or else classes.txt (C is then their
 * number; with neither, the largest label + 1, the classes named "0", "1", …); `split` is train
 * or test. A label left empty on every row makes the data unlabelled: one class, and the
 * manifest says `labelled: false`. Images keep the order of labels.csv within each split.
 * Grey pixels are levels 0 (background) to 255 (ink), as in MNIST. The first image's size
 * decides the dataset's shape, as the page's download writes it: 28 × 28 grey or 32 × 32 × 3
 * colour (the emoji's shape); every other image must have the same size.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { colourOver } from '../../../src/vae/prepare-image.ts';
import { GREY_28, imageValues, isDatasetId, type ImageShape } from '../../../src/vae/spec.ts';
import { LABELS_HEADER, MAX_CLASSES, parseClassNames, parseLabelsCsv, type LabelRow, type LabelTable } from '../../../src/vae/labels-csv.ts';
import { decodePng, decodePngRgba, PngError } from '../png.ts';
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

/** The shapes a folder's images may have: grey 28 × 28, or colour 32 × 32 × 3. */
const SHAPES: readonly ImageShape[] = [GREY_28, { height: 32, width: 32, channels: 3 }];

/** One image's levels in `shape` (undefined: the shape its size gives, for the first image), and that shape. */
function readImage(options: FolderOptions, row: LabelRow, shape?: ImageShape): { levels: Uint8Array; shape: ImageShape } {
  const path = join(options.dir, row.file);
  try {
    const bytes = new Uint8Array(readFileSync(path));
    const { width, height, rgba } = decodePngRgba(bytes);
    const own = SHAPES.find((s) => s.width === width && s.height === height);
    if (!own) throw new Error(`Dataset ${options.id}: ${path} is ${width}×${height} pixels; the models take 28×28 (grey) or 32×32 (colour).`);
    if (shape && own !== shape) throw new Error(`Dataset ${options.id}: ${path} is ${width}×${height} pixels, but the first image is ${shape.width}×${shape.height}: give images of one size.`);
    return { levels: own.channels === 1 ? decodePng(bytes).grey : colourOver(rgba), shape: own };
  } catch (err) {
    if (err instanceof PngError) throw new Error(`Dataset ${options.id}: ${path} cannot be read: ${err.message}.`);
    throw err;
  }
}

/** A DatasetSource over a folder of 28×28 or 32×32 PNGs and their labels.csv (see the top of this file). */
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
      const shape = rows.length > 0 ? readImage(options, rows[0]!).shape : GREY_28;
      const per = imageValues(shape);
      const pack = (split: 'train' | 'test'): RawSplit => {
        const list = rows.filter((r) => r.split === split);
        const images = new Uint8Array(list.length * per);
        list.forEach((row, k) => images.set(readImage(options, row, shape).levels, k * per));
        return { images, labels: Uint8Array.from(list, (r) => r.label) };
      };
      const train = pack('train');
      const test = pack('test');
      return {
        source: source(),
        classes,
        ...(labelled ? {} : { labelled: false }),
        ...(shape === GREY_28 ? {} : { shape }),
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
