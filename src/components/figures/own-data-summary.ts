/**
 * What the "your own data" figure says about a prepared dataset, without the page: the summary
 * sentence, the skipped files grouped by reason, the rows of its class table, and the bytes kept.
 */
import type { OwnDataset, Skipped } from '../../vae/own-dataset.ts';
import { SKIP_TEXT, type SkipReason } from '../../vae/skip-reasons.ts';

/** Class rows the table shows; the rest are counted in one line. */
const SHOWN_CLASSES = 12;
/** Images each class row shows. */
export const STRIP = 12;
/** Paths listed per skip reason; the rest are counted. */
export const LISTED = 8;

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** "1,204 images in 4 classes: 1,084 to train on, 120 held out to test; 37 inverted." */
export function summary(set: Pick<OwnDataset, 'labels' | 'sides' | 'classes' | 'labelled' | 'split'>, inverted: number): string {
  const test = set.sides.filter((s) => s === 'test').length;
  const train = set.sides.length - test;
  const classes = set.labelled ? ` in ${count(set.classes.length, 'class', 'classes')}` : ', unlabelled';
  const split = set.split === 'labels.csv' ? ' as labels.csv splits them' : '';
  const flipped = inverted > 0 ? `; ${count(inverted, 'picture')} looked dark on light and ${inverted === 1 ? 'was' : 'were'} inverted` : '';
  return `${count(set.labels.length, 'image')}${classes}: ${train.toLocaleString('en')} to train on, ${test.toLocaleString('en')} held out to test${split}${flipped}.`;
}

export interface SkipGroup {
  reason: SkipReason;
  text: string;
  count: number;
  /** The first LISTED paths, a duplicate's with the image it copies. */
  examples: string[];
}

/** The skipped files by reason, in the order the reasons first occur. */
export function skipGroups(skipped: readonly Skipped[]): SkipGroup[] {
  const groups = new Map<SkipReason, SkipGroup>();
  for (const s of skipped) {
    let group = groups.get(s.reason);
    if (!group) {
      group = { reason: s.reason, text: SKIP_TEXT[s.reason], count: 0, examples: [] };
      groups.set(s.reason, group);
    }
    group.count++;
    if (group.examples.length < LISTED) group.examples.push(s.of ? `${s.path} (= ${s.of})` : s.path);
  }
  return [...groups.values()];
}

export interface ClassRow {
  label: number;
  name: string;
  train: number;
  test: number;
  /** Indices of the images the row shows, training ones first. */
  shown: number[];
}

/** The class table's rows: the first SHOWN_CLASSES classes, each with up to STRIP images. */
export function classRows(set: Pick<OwnDataset, 'labels' | 'sides' | 'classes' | 'counts'>): ClassRow[] {
  const rows: ClassRow[] = set.classes.slice(0, SHOWN_CLASSES).map((name, label) => ({ label, name, train: set.counts.train[label]!, test: set.counts.test[label]!, shown: [] }));
  for (const side of ['train', 'test'] as const) {
    for (let i = 0; i < set.labels.length; i++) {
      const row = rows[set.labels[i]!];
      if (row && set.sides[i] === side && row.shown.length < STRIP) row.shown.push(i);
    }
  }
  return rows;
}

/** "1.2 MB", "340 kB". */
export function bytesText(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}
