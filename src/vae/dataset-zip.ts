/**
 * A prepared dataset as a zip, and zips read without trusting them, with no Node or DOM: the
 * page writes the zip a reader downloads, and `npm run data -- --folder <zip> --id <id>` reads
 * it back into public/data/<id>/ (scripts/lib/datasets/folder.ts). The folder inside:
 *
 *   <id>/labels.csv     file,label,split   one row per image; label empty when unlabelled
 *   <id>/classes.txt    one class name per line, in label order (labelled data only)
 *   <id>/images/*.png   28 × 28 8-bit greyscale PNGs, ink 255 on a ground of 0, or for colour
 *                       data 32 × 32 8-bit RGB PNGs (the size tells `npm run data` which)
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { Side } from './dataset-split.ts';
import { encodePng } from './grey-png.ts';
import { isSafePath, LABELS_HEADER } from './labels-csv.ts';
import { GREY_28, imageValues, type ImageShape } from './spec.ts';

export interface PreparedSet {
  /** The folder name inside the zip and the dataset id `npm run data` suggests. */
  id: string;
  /** Class names in label order, or null for unlabelled images. */
  classes: string[] | null;
  /** count images' levels: 784 grey each, unless `shape` says otherwise. */
  images: Uint8Array;
  /** The images' shape when not 28 × 28 grey (colour: 32 × 32 × 3). */
  shape?: ImageShape;
  /** One label per image (all 0 when unlabelled). */
  labels: Uint8Array;
  sides: Side[];
}


/** The zip of a prepared dataset, in the layout at the top of this file. */
export function datasetZip(set: PreparedSet): Uint8Array {
  const count = set.labels.length;
  const { height, width, channels } = set.shape ?? GREY_28;
  const per = imageValues({ height, width, channels });
  if (set.images.length !== count * per || set.sides.length !== count) throw new Error(`datasetZip: ${set.images.length} pixel bytes and ${set.sides.length} sides for ${count} labels`);
  const digits = Math.max(5, String(count).length);
  const images: Zippable = {};
  const rows = [LABELS_HEADER];
  for (let i = 0; i < count; i++) {
    const name = `${String(i + 1).padStart(digits, '0')}.png`;
    // PNGs are compressed already: stored, not deflated again.
    images[name] = [encodePng(set.images.subarray(i * per, (i + 1) * per), width, height, channels as 1 | 3), { level: 0 }];
    rows.push(`images/${name},${set.classes ? set.labels[i] : ''},${set.sides[i]}`);
  }
  const folder: Zippable = { 'labels.csv': strToU8(rows.join('\n') + '\n'), images };
  if (set.classes) folder['classes.txt'] = strToU8(set.classes.join('\n') + '\n');
  return zipSync({ [set.id]: folder }, { level: 6 });
}

/** The most a zip may hold, so that a crafted one cannot exhaust memory. */
export interface ZipLimits {
  /** Files (not counting folders). */
  files: number;
  /** Bytes of all files once inflated, as the zip declares them (inflating never writes more). */
  bytes: number;
}

/** 60,000 images of up to about 4 kB each, and the files beside them. */
const ZIP_LIMITS: ZipLimits = { files: 100_000, bytes: 1 << 30 };

/** A zip refused before anything in it was inflated; the message says why. */
export class ZipRefused extends Error {
  override name = 'ZipRefused';
}

/** Folders and the clutter of some zip tools: not files of the dataset. */
function isClutter(path: string): boolean {
  return path.endsWith('/') || path.startsWith('__MACOSX/') || path.split('/').some((part) => part.startsWith('.'));
}

/**
 * The files of a zip, by path, after checking every entry's name and declared size: a path that
 * would leave the folder (`..`, an absolute path) or more than `limits` refuses the whole zip
 * with a ZipRefused that says which. Inflating writes at most the declared size of each entry.
 */
export function unzipChecked(bytes: Uint8Array, limits: ZipLimits = ZIP_LIMITS): Map<string, Uint8Array> {
  let files = 0;
  let total = 0;
  let refusal: string | null = null;
  let listing: Record<string, Uint8Array>;
  try {
    // A first pass reads only the central directory: the filter keeps nothing.
    unzipSync(bytes, {
      filter(entry) {
        if (refusal) return false;
        if (!isSafePath(entry.name)) refusal = `it holds the path ${JSON.stringify(entry.name)}, which points outside its folder`;
        else if (!isClutter(entry.name)) {
          files++;
          total += entry.originalSize;
          if (files > limits.files) refusal = `it holds more than ${limits.files.toLocaleString('en-US')} files`;
          else if (total > limits.bytes) refusal = `its files would take more than ${Math.round(limits.bytes / 2 ** 20).toLocaleString('en-US')} MB once unpacked`;
        }
        return false;
      },
    });
    if (refusal) throw new ZipRefused(`The zip was refused: ${refusal}.`);
    listing = unzipSync(bytes, { filter: (entry) => !isClutter(entry.name) });
  } catch (err) {
    if (err instanceof ZipRefused) throw err;
    throw new ZipRefused(`The zip cannot be read: ${err instanceof Error ? err.message : String(err)}.`);
  }
  return new Map(Object.entries(listing));
}

/** Text of a file from a zip, without a byte-order mark. */
export function zipText(bytes: Uint8Array): string {
  return strFromU8(bytes).replace(/^\uFEFF/, '');
}
