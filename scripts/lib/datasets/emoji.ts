/**
 * Emoji as a colour dataset: the 64 × 64 PNGs of two open emoji artwork sets, shipped in npm
 * packages, made 32 × 32 × 3 and labelled with their Unicode category.
 *
 * - Twemoji (package `emoji-datasource-twitter`): artwork under CC BY 4.0.
 * - Noto Emoji (package `emoji-datasource-google`): artwork under the Apache License 2.0.
 *
 * The packages' own licence (MIT) covers their code and data, not the artwork; each package's
 * README states the artwork's licence, and `load` checks that statement is still there and
 * records it in the manifest. OpenMoji is left out: its artwork is CC BY-SA 4.0, whose
 * share-alike term would carry over to a model trained on it and to the model's outputs, while
 * the site's text is CC BY 4.0; and its npm package ships SVG only.
 *
 * Each picture (every emoji and every skin-tone variant, in both sets) is composited over white,
 * scaled from 64 × 64 to 32 × 32 by averaging each 2 × 2 block (the area filter, exact for a
 * halving), and labelled with its category; the Component category (skin-tone swatches and hair
 * parts, not pictures of their own) is left out. Exact copies are dropped. The split is seeded
 * and stratified by category, and it keeps every variant of one emoji together: its skin tones
 * and both artwork sets land on the same side, so the test set holds emoji the model never saw.
 * names.json gives each image's emoji name and artwork set.
 *
 * `emoji-art` is the same images, split, order and names, labelled instead with the artwork set
 * each picture comes from (0 Twemoji, 1 Noto Emoji): a conditional model given that label draws
 * one emoji in either style.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRng, permutation } from '../../../src/vae/random.ts';
import { decodePngRgba } from '../png.ts';
import type { DatasetSource, RawDataset } from './types.ts';

const require = createRequire(import.meta.url);

export interface ArtworkSet {
  /** The key of emoji.json's has_img_<key> and of img/<key>/64/. */
  key: 'twitter' | 'google';
  package: string;
  artwork: string;
  licence: string;
  /** What the package's README says of the artwork's licence: checked at load. */
  statement: RegExp;
  attribution: string;
}

export const ARTWORK_SETS: ArtworkSet[] = [
  {
    key: 'twitter',
    package: 'emoji-datasource-twitter',
    artwork: 'Twemoji',
    licence: 'CC BY 4.0',
    statement: /Twitter images are available under the \[Creative Commons Attribution 4\.0 license\]/,
    attribution: 'Twemoji graphics by Twitter, Inc. and other contributors (jdecked/twemoji), CC BY 4.0',
  },
  {
    key: 'google',
    package: 'emoji-datasource-google',
    artwork: 'Noto Emoji',
    licence: 'Apache-2.0',
    statement: /Android\/Google\/Noto images, are available under the \[Apache License 2\.0\]/,
    attribution: 'Noto Emoji by Google, Apache License 2.0',
  },
];

const SIDE = 32;
const VALUES = SIDE * SIDE * 3;
/** Share of each category's emoji held out, and the split's seed. */
const TEST_SHARE = 0.1;
const SEED = 20_250_101;
const LEFT_OUT = new Set(['Component']);

interface EmojiEntry {
  name: string;
  unified: string;
  image: string;
  category: string;
  sort_order: number;
  [hasImage: `has_img_${string}`]: boolean | unknown;
  skin_variations?: Record<string, { unified: string; image: string; [hasImage: `has_img_${string}`]: boolean | unknown }>;
}

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

function version(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version;
}

/** RGBA over white, then each 2 × 2 block averaged: a 64 × 64 picture as 32 × 32 × 3 bytes. */
function emojiImage(rgba: Uint8Array, width: number, height: number): Uint8Array {
  if (width !== 2 * SIDE || height !== 2 * SIDE) throw new Error(`expected a 64 × 64 picture, got ${width} × ${height}`);
  const out = new Uint8Array(VALUES);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
          const p = 4 * ((2 * y + dy) * width + 2 * x + dx);
          const alpha = rgba[p + 3]! / 255;
          sum += alpha * rgba[p + c]! + (1 - alpha) * 255;
        }
        out[(y * SIDE + x) * 3 + c] = Math.round(sum / 4);
      }
    }
  }
  return out;
}

interface Picture {
  /** The emoji all variants share: its base code point sequence. */
  group: string;
  category: string;
  /** The artwork set's name, e.g. Twemoji. */
  artwork: string;
  name: string;
  image: Uint8Array;
}

/** Every picture of the sets, in emoji order, then set order. */
function pictures(sets: ArtworkSet[]): { all: Picture[]; missing: number; leftOut: number } {
  const all: Picture[] = [];
  let missing = 0;
  let leftOut = 0;
  for (const set of sets) {
    const dir = packageDir(set.package);
    const entries = (JSON.parse(readFileSync(join(dir, 'emoji.json'), 'utf8')) as EmojiEntry[]).sort((a, b) => a.sort_order - b.sort_order);
    for (const entry of entries) {
      const variants = [{ unified: entry.unified, image: entry.image, has: entry[`has_img_${set.key}`], tone: '' }, ...Object.entries(entry.skin_variations ?? {}).map(([tone, v]) => ({ unified: v.unified, image: v.image, has: v[`has_img_${set.key}`], tone }))];
      for (const v of variants) {
        if (LEFT_OUT.has(entry.category)) {
          leftOut++;
          continue;
        }
        const file = join(dir, 'img', set.key, '64', v.image);
        if (v.has !== true || !existsSync(file)) {
          missing++;
          continue;
        }
        const { width, height, rgba } = decodePngRgba(new Uint8Array(readFileSync(file)));
        const name = `${entry.name.toLowerCase()}${v.tone ? ` (skin tone ${v.tone})` : ''} · ${set.artwork}`;
        all.push({ group: entry.unified, category: entry.category, artwork: set.artwork, name, image: emojiImage(rgba, width, height) });
      }
    }
  }
  return { all, missing, leftOut };
}

/**
 * Which groups are held out: per category, round(TEST_SHARE · groups) of its emoji (at least
 * one), drawn with the seed from the groups in sorted order.
 */
function heldOutGroups(pics: Picture[]): Set<string> {
  const byCategory = new Map<string, string[]>();
  for (const p of pics) {
    const list = byCategory.get(p.category) ?? [];
    if (!list.includes(p.group)) list.push(p.group);
    byCategory.set(p.category, list);
  }
  const rng = createRng(SEED);
  const held = new Set<string>();
  for (const category of [...byCategory.keys()].sort()) {
    const groups = byCategory.get(category)!.sort();
    const order = permutation(groups.length, rng);
    const count = Math.max(1, Math.round(TEST_SHARE * groups.length));
    for (let k = 0; k < count; k++) held.add(groups[order[k]!]!);
  }
  return held;
}

/** What each picture is labelled with: its Unicode category, or the artwork set that drew it. */
type EmojiLabel = 'category' | 'artwork';

/**
 * The emoji dataset from the installed artwork packages, labelled by category (`emoji`) or by
 * artwork set (`emoji-art`). Only the labels differ: the split is stratified by category either
 * way, so both datasets hold the same images in the same order.
 */
export function emojiDataset(labelBy: EmojiLabel = 'category', sets: ArtworkSet[] = ARTWORK_SETS): DatasetSource {
  const source = () => sets.map((s) => `npm:${s.package}@${version(s.package)}`).join('+');
  const byArtwork = labelBy === 'artwork';
  return {
    id: byArtwork ? 'emoji-art' : 'emoji',
    name: byArtwork ? 'Emoji by artwork set' : 'Emoji',
    source,
    async load(): Promise<RawDataset> {
      for (const set of sets) {
        const readme = readFileSync(join(packageDir(set.package), 'README.md'), 'utf8');
        if (!set.statement.test(readme)) throw new Error(`${set.package}'s README no longer states the ${set.artwork} artwork's licence as ${set.licence}: check it before using the images.`);
      }
      const { all, missing, leftOut } = pictures(sets);
      // Exact copies: the first is kept.
      const seen = new Set<string>();
      const kept = all.filter((p) => {
        const hash = createHash('sha1').update(p.image).digest('hex');
        if (seen.has(hash)) return false;
        seen.add(hash);
        return true;
      });
      const classes = byArtwork ? sets.map((s) => s.artwork) : [...new Set(kept.map((p) => p.category))].sort();
      const classOf = (p: Picture) => classes.indexOf(byArtwork ? p.artwork : p.category);
      const held = heldOutGroups(kept);
      const side = (test: boolean) => {
        const inOrder = kept.filter((p) => held.has(p.group) === test);
        // The training side in a seeded order: the last images, which a trainer holds out for
        // validation, then mix every category and both artwork sets.
        const pics = test ? inOrder : Array.from(permutation(inOrder.length, createRng(SEED + 1)), (k) => inOrder[k]!);
        const images = new Uint8Array(pics.length * VALUES);
        pics.forEach((p, k) => images.set(p.image, k * VALUES));
        return { images, labels: Uint8Array.from(pics, classOf), names: pics.map((p) => p.name) };
      };
      const train = side(false);
      const test = side(true);
      const perClass = (labels: Uint8Array) => Object.fromEntries(classes.map((c, i) => [c, labels.filter((l) => l === i).length]));
      return {
        source: source(),
        classes,
        shape: { height: SIDE, width: SIDE, channels: 3 },
        train: { images: train.images, labels: train.labels },
        test: { images: test.images, labels: test.labels },
        names: { train: train.names, test: test.names },
        preparation: {
          artwork: sets.map((s) => ({ set: s.artwork, package: `${s.package}@${version(s.package)}`, licence: s.licence, attribution: s.attribution })),
          ...(byArtwork ? { labels: `the artwork set of each picture (${classes.map((c, i) => `${i} ${c}`).join(', ')}); images, split, order and names as the emoji dataset` } : {}),
          leftOut: 'OpenMoji (CC BY-SA 4.0 would bind the model and its outputs; its package ships SVG only) and the Component category (skin-tone swatches and hair parts)',
          pictures: all.length,
          componentPicturesLeftOut: leftOut,
          withoutArtwork: missing,
          exactCopiesDropped: all.length - kept.length,
          split: `seeded (${SEED}), stratified by category, ${TEST_SHARE * 100}% of each category's emoji held out with all their skin tones and artwork sets; the training images in a seeded order (${SEED + 1})`,
          emoji: { train: new Set(kept.filter((p) => !held.has(p.group)).map((p) => p.group)).size, test: held.size },
          train: perClass(train.labels),
          test: perClass(test.labels),
        },
      };
    },
  };
}
