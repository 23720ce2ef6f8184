/**
 * The two text files beside a folder of images, read the same way by `npm run data`
 * (scripts/lib/datasets/folder.ts) and by the page's "your own data" figure:
 *
 *   labels.csv     file,label,split     one row per image
 *   classes.txt    one class name per line, in label order (optional)
 *
 * `file` is a path inside the folder; `label` a class number 0…C−1, one of the class names, or
 * empty on every row (unlabelled data: one class); `split` train or test. Errors name the line.
 * No Node and no DOM.
 */
/** The header labels.csv starts with. */
export const LABELS_HEADER = 'file,label,split';
/** Labels are stored as bytes. */
export const MAX_CLASSES = 256;
/** The one class of unlabelled data. */
export const UNLABELLED = 'unlabelled';

/** Whether a relative path (from a zip, a folder or labels.csv) stays inside its folder. */
export function isSafePath(path: string): boolean {
  if (path === '' || path.includes('\0') || path.includes('\\')) return false;
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return false;
  return !path.split('/').some((part) => part === '..');
}

export interface LabelRow {
  /** Line number in labels.csv, from 1 (the header). */
  line: number;
  file: string;
  label: number;
  split: 'train' | 'test';
}

export interface LabelTable {
  rows: LabelRow[];
  /** Class names in label order; `[UNLABELLED]` when no row has a label. */
  classes: string[];
  labelled: boolean;
}

/** The class names of a classes.txt: one per line, blank lines at the end ignored. */
export function parseClassNames(text: string): string[] {
  const names = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((n) => n.trim());
  while (names.at(-1) === '') names.pop();
  const blank = names.indexOf('');
  if (blank >= 0) throw new Error(`line ${blank + 1} is empty; every class needs a name.`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`names the class ${JSON.stringify(twice)} twice.`);
  if (names.length === 0 || names.length > MAX_CLASSES) throw new Error(`names ${names.length} classes; give 1 to ${MAX_CLASSES}.`);
  return names;
}

/**
 * The rows of a labels.csv, each checked, with the class names from `named` (classes.txt) or
 * else "0", "1", … up to the largest label. Both splits must have rows.
 */
export function parseLabelsCsv(text: string, named?: string[]): LabelTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]!.trim() !== LABELS_HEADER) throw new Error(`line 1 is ${JSON.stringify(lines[0])}; the header must be ${LABELS_HEADER}.`);
  const rows: LabelRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    const line = i + 1;
    const fields = text.split(',').map((f) => f.trim());
    if (fields.length !== 3) throw new Error(`line ${line} has ${fields.length} fields; expected 3 (${LABELS_HEADER}).`);
    const [path, labelText, split] = fields as [string, string, string];
    if (split !== 'train' && split !== 'test') throw new Error(`line ${line}: the split is ${JSON.stringify(split)}; it must be train or test.`);
    if (!isSafePath(path)) throw new Error(`line ${line}: ${JSON.stringify(path)} is not a path inside the folder.`);
    // "./a.png" and "a//b.png" name the files "a.png" and "a/b.png".
    const file = path.split('/').filter((part) => part !== '.' && part !== '').join('/');
    if (file === '') throw new Error(`line ${line}: ${JSON.stringify(path)} names no file.`);
    let label: number;
    if (labelText === '') {
      label = -1;
    } else if (/^\d+$/.test(labelText)) {
      label = Number(labelText);
      const limit = named ? named.length : MAX_CLASSES;
      if (label >= limit) throw new Error(`line ${line}: label ${label} is out of range; labels are 0 to ${limit - 1}${named ? ` (${named.join(', ')})` : ''}.`);
    } else if (named?.includes(labelText)) {
      label = named.indexOf(labelText);
    } else {
      throw new Error(`line ${line}: the label ${JSON.stringify(labelText)} is ${named ? `neither a class number nor one of ${named.join(', ')}` : 'not a whole number (name the classes in classes.txt to use names)'}.`);
    }
    rows.push({ line, file, label, split });
  }
  for (const split of ['train', 'test'] as const) {
    if (!rows.some((r) => r.split === split)) throw new Error(`lists no ${split} images; both splits need some.`);
  }
  const unlabelled = rows.filter((r) => r.label < 0);
  if (unlabelled.length > 0 && unlabelled.length < rows.length) {
    const [some, other] = [unlabelled[0]!, rows.find((r) => r.label >= 0)!];
    throw new Error(`line ${some.line} has no label but line ${other.line} has one; label every image or none.`);
  }
  const labelled = unlabelled.length === 0;
  if (!labelled) for (const row of rows) row.label = 0;
  const classes = !labelled ? [UNLABELLED] : (named ?? Array.from({ length: Math.max(...rows.map((r) => r.label)) + 1 }, (_, c) => String(c)));
  return { rows, classes, labelled };
}
