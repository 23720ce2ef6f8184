/**
 * A reader's own files made into a dataset, the steps that need neither Node nor the DOM:
 *
 * 1. `sortFiles`: which files are images, which is labels.csv or classes.txt, and which are
 *    skipped (not an image, beyond the cap);
 * 2. `planLabels`: each image's class, from labels.csv, else from the names of class folders
 *    (`cats/1.png`, `dogs/2.png`, as image-folder datasets do), else none;
 * 3. `assemble`: the prepared images (28 × 28 grey, or 32 × 32 colour) put together, exact duplicates dropped, split into
 *    train and test (as labels.csv says, or seeded and stratified by class), with counts per
 *    class and every skipped file with its reason.
 *
 * The page's preparation worker runs them around its decoding; the unit tests run them in Node.
 */
import { dropDuplicates, sideCounts, stratifiedSplit, DEFAULT_SPLIT, type Side } from './dataset-split.ts';
import { isSafePath, MAX_CLASSES, parseClassNames, parseLabelsCsv, UNLABELLED } from './labels-csv.ts';
import { MAX_IMAGES, SKIP_TEXT, type SkipReason } from './skip-reasons.ts';
import { GREY_28, imageValues, sameShape, type ImageShape } from './spec.ts';

/** The file names a browser may decode as images (the type is checked too, and decoding decides). */
const IMAGE_EXTENSIONS = /\.(?:png|jpe?g|jfif|webp|gif|bmp|avif|ico)$/i;

export interface Skipped {
  path: string;
  reason: SkipReason;
  /** For a duplicate, the image it copies. */
  of?: string;
}

export interface FileRef {
  /** The path inside what the reader gave (a folder's relative path, a zip entry, a file name). */
  path: string;
  /** The MIME type the browser reports, if any. */
  type?: string;
}

export interface SortedFiles<F extends FileRef> {
  images: F[];
  labelsCsv?: F;
  classesTxt?: F;
  skipped: Skipped[];
}

/** Whether a file is one `sortFiles` would take as an image (cap aside): a safe path and an image's name or type. */
export function mayBeImage(file: FileRef): boolean {
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  return isSafePath(file.path) && name !== 'labels.csv' && name !== 'classes.txt' && (IMAGE_EXTENSIONS.test(name) || file.type?.startsWith('image/') === true);
}

/** The files the reader gave, sorted into images, the label files and the skipped. */
export function sortFiles<F extends FileRef>(files: F[], cap = MAX_IMAGES): SortedFiles<F> {
  const sorted: SortedFiles<F> = { images: [], skipped: [] };
  const depth = (f: F) => f.path.split('/').length;
  // The label files nearest the top count; others are left out like any other file.
  const shallowest = (name: string) => files.filter((f) => f.path === name || f.path.endsWith(`/${name}`)).sort((a, b) => depth(a) - depth(b) || compareNames(a.path, b.path))[0];
  for (const file of [...files].sort((a, b) => compareNames(a.path, b.path))) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    if (!isSafePath(file.path)) sorted.skipped.push({ path: file.path, reason: 'unsafe path' });
    else if (name === 'labels.csv' && file === shallowest('labels.csv')) sorted.labelsCsv = file;
    else if (name === 'classes.txt' && file === shallowest('classes.txt')) sorted.classesTxt = file;
    else if (!IMAGE_EXTENSIONS.test(name) && !file.type?.startsWith('image/')) sorted.skipped.push({ path: file.path, reason: 'not an image' });
    else if (sorted.images.length >= cap) sorted.skipped.push({ path: file.path, reason: 'beyond the cap' });
    else sorted.images.push(file);
  }
  return sorted;
}

/** Names in the order a person expects: "2.png" before "10.png", case aside. */
const NAMES = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
function compareNames(a: string, b: string): number {
  // One collator for every comparison: `localeCompare` with options builds one per call.
  return NAMES.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export interface LabelPlan {
  /** Where the labels came from. */
  source: 'labels.csv' | 'folders' | 'none';
  /** Class names in label order; `[UNLABELLED]` when there are no labels. */
  classes: string[];
  labelled: boolean;
  /** Each image's label, by path; an image not here is skipped (see `skipped`). */
  labels: Map<string, number>;
  /** The split labels.csv gives, by path. */
  sides?: Map<string, Side>;
  skipped: Skipped[];
  /** Rows of labels.csv that name a file not given. */
  missing: string[];
}

/** The folder part of a path ("a/b/c.png" → "a/b"; "c.png" → ""). */
function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * The label of each image path. A labels.csv (its rows naming files relative to its own folder,
 * with classes.txt beside it if given) decides when present; otherwise the first folder below
 * the folder all images share names the class, and images beside the class folders are
 * skipped; with no class folders, the images are unlabelled. Throws, with the file and line,
 * when labels.csv or classes.txt cannot be used, or when there are more classes than labels
 * can hold.
 */
export function planLabels(imagePaths: string[], labelsCsv?: { path: string; text: string }, classesTxt?: { path: string; text: string }): LabelPlan {
  if (labelsCsv) {
    let named: string[] | undefined;
    if (classesTxt && folderOf(classesTxt.path) === folderOf(labelsCsv.path)) {
      try {
        named = parseClassNames(classesTxt.text);
      } catch (err) {
        throw new Error(`${classesTxt.path} ${(err as Error).message}`);
      }
    }
    let table;
    try {
      table = parseLabelsCsv(labelsCsv.text, named);
    } catch (err) {
      throw new Error(`${labelsCsv.path} ${(err as Error).message}`);
    }
    const base = folderOf(labelsCsv.path);
    const full = (file: string) => (base ? `${base}/${file}` : file);
    const given = new Set(imagePaths);
    const labels = new Map<string, number>();
    const sides = new Map<string, Side>();
    const missing: string[] = [];
    for (const row of table.rows) {
      const path = full(row.file);
      if (!given.has(path)) missing.push(row.file);
      labels.set(path, row.label);
      sides.set(path, row.split);
    }
    const skipped = imagePaths.filter((p) => !labels.has(p)).map((path): Skipped => ({ path, reason: 'not listed in labels.csv' }));
    for (const path of missing) labels.delete(full(path));
    return { source: 'labels.csv', classes: table.classes, labelled: table.labelled, labels, sides, skipped, missing };
  }
  // The folder every image shares (a picked folder's own name, a zip's top folder) is not a class.
  const folders = imagePaths.map((p) => folderOf(p).split('/').filter(Boolean));
  let shared = 0;
  while (folders.length > 0 && folders.every((f) => f.length > shared && f[shared] === folders[0]![shared])) shared++;
  const classOf = (k: number) => folders[k]![shared];
  const names = [...new Set(imagePaths.map((_, k) => classOf(k)).filter((c): c is string => c !== undefined))].sort(compareNames);
  if (names.length === 0) {
    return { source: 'none', classes: [UNLABELLED], labelled: false, labels: new Map(imagePaths.map((p) => [p, 0])), skipped: [], missing: [] };
  }
  if (names.length > MAX_CLASSES) throw new Error(`The images are in ${names.length} class folders; labels hold at most ${MAX_CLASSES} classes.`);
  const index = new Map(names.map((n, c) => [n, c]));
  const labels = new Map<string, number>();
  const skipped: Skipped[] = [];
  imagePaths.forEach((path, k) => {
    const name = classOf(k);
    if (name === undefined) skipped.push({ path, reason: 'outside the class folders' });
    else labels.set(path, index.get(name)!);
  });
  return { source: 'folders', classes: names, labelled: true, labels, skipped, missing: [] };
}

/** One image as the worker prepared it: its levels (784 grey, or 32 × 32 × 3 colour), or why it has none. */
export interface PreparedImage {
  path: string;
  image?: Uint8Array;
  reason?: SkipReason;
}

export interface OwnDataset {
  classes: string[];
  labelled: boolean;
  /** count images' levels (784 grey each unless `shape` says otherwise), in the order of the files' names. */
  images: Uint8Array;
  /** The images' shape when not 28 × 28 grey (colour: 32 × 32 × 3). */
  shape?: ImageShape;
  labels: Uint8Array;
  sides: Side[];
  /** Each image's path. */
  paths: string[];
  /** Images per class on each side. */
  counts: { train: number[]; test: number[] };
  /** Where the split came from. */
  split: 'labels.csv' | 'seeded';
  skipped: Skipped[];
}

/** A dataset the page cannot train on; the message says what to give instead. */
export class UnusableData extends Error {
  override name = 'UnusableData';
}

/**
 * The dataset from the prepared images and their labels: exact duplicates dropped (the first
 * kept), then labels.csv's split if it leaves images on both sides, else a seeded split
 * stratified by class. Throws UnusableData when fewer than two different images remain.
 */
export function assemble(prepared: PreparedImage[], plan: LabelPlan, seed = DEFAULT_SPLIT.seed, shape: ImageShape = GREY_28): OwnDataset {
  const per = imageValues(shape);
  const skipped = [...plan.skipped];
  const usable: { path: string; image: Uint8Array; label: number }[] = [];
  for (const item of prepared) {
    const label = plan.labels.get(item.path);
    if (label === undefined) continue;
    if (item.image) usable.push({ path: item.path, image: item.image, label });
    else skipped.push({ path: item.path, reason: item.reason ?? 'cannot be decoded' });
  }
  if (usable.length === 0) throw new UnusableData(`None of the ${prepared.length.toLocaleString('en')} images could be used${reasonsText(skipped)}.`);
  const all = new Uint8Array(usable.length * per);
  usable.forEach((u, k) => all.set(u.image, k * per));
  const { keep, dropped } = dropDuplicates(all, per, usable.length);
  for (const [i, twin] of dropped) skipped.push({ path: usable[i]!.path, reason: 'duplicate', of: usable[twin]!.path });
  if (keep.length < 2) {
    throw new UnusableData(`Only ${keep.length} different image${keep.length === 1 ? '' : 's'} remained${reasonsText(skipped)}; a model needs at least 2, one to train on and one to test.`);
  }
  const kept = Array.from(keep, (i) => usable[i]!);
  const images = new Uint8Array(kept.length * per);
  kept.forEach((u, k) => images.set(u.image, k * per));
  const labels = Uint8Array.from(kept, (u) => u.label);
  let sides = plan.sides ? kept.map((u) => plan.sides!.get(u.path)!) : undefined;
  let split: OwnDataset['split'] = 'labels.csv';
  if (!sides || !sides.includes('train') || !sides.includes('test')) {
    sides = stratifiedSplit(labels, { ...DEFAULT_SPLIT, seed });
    split = 'seeded';
  }
  const counts = sideCounts(plan.classes.length, labels, sides);
  return { classes: plan.classes, labelled: plan.labelled, images, ...(sameShape(shape, GREY_28) ? {} : { shape }), labels, sides, paths: kept.map((u) => u.path), counts, split, skipped };
}

/** ": 3 not an image file, 2 blank: nothing to centre", or "" when nothing was skipped. */
function reasonsText(skipped: Skipped[]): string {
  const byReason = new Map<SkipReason, number>();
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  if (byReason.size === 0) return '';
  return `: ${[...byReason].map(([reason, n]) => `${n.toLocaleString('en')} ${SKIP_TEXT[reason]}`).join(', ')}`;
}
