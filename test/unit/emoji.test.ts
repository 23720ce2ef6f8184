/**
 * The emoji dataset from the installed artwork packages: each package still states its
 * artwork's licence and the manifest records it; the counts add up; every category is on both
 * sides, and every variant of one emoji (skin tones, both artwork sets) on one side only; a
 * picture is its PNG over white, halved by 2 × 2 means (recomputed here with integer arithmetic);
 * names.json names each image. The RGBA decoder reads the palette PNGs some emoji come as,
 * checked on pictures written here with known palettes, indices and transparency. The emoji-art
 * dataset holds the same images and names, labelled by the artwork set its names end with.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { ARTWORK_SETS, emojiDataset } from '../../scripts/lib/datasets/emoji.ts';
import type { RawDataset } from '../../scripts/lib/datasets/types.ts';
import { writeDataset } from '../../scripts/lib/datasets/write.ts';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { decodePngRgba } from '../../scripts/lib/png.ts';
import { loadSplit, setShape } from '../../src/vae/data.ts';
import { crc32 } from '../../src/vae/grey-png.ts';

const require = createRequire(import.meta.url);
let raw: RawDataset;

before(async () => {
  raw = await emojiDataset().load();
});

/** The emoji a name belongs to: the name without its skin tone and artwork set. */
const emojiOf = (name: string) => name.replace(/ · .*$/, '').replace(/ \(skin tone [0-9A-F-]+\)$/, '');

describe('the emoji dataset', () => {
  test('each package states its artwork licence, and the manifest records licence and attribution', () => {
    const artwork = raw.preparation!['artwork'] as { set: string; licence: string; attribution: string }[];
    assert.deepEqual(artwork.map((a) => [a.set, a.licence]), [['Twemoji', 'CC BY 4.0'], ['Noto Emoji', 'Apache-2.0']]);
    for (const set of ARTWORK_SETS) {
      const readme = readFileSync(join(dirname(require.resolve(`${set.package}/package.json`)), 'README.md'), 'utf8');
      assert.match(readme, set.statement);
    }
    assert.match(String(raw.preparation!['leftOut']), /OpenMoji \(CC BY-SA 4\.0/);
  });

  test('the counts add up, every category is on both sides, and no emoji is on both', () => {
    const p = raw.preparation as { pictures: number; exactCopiesDropped: number; train: Record<string, number>; test: Record<string, number>; emoji: { train: number; test: number } };
    const total = raw.train.labels.length + raw.test.labels.length;
    assert.equal(total, p.pictures - p.exactCopiesDropped);
    // The counts docs/DATA.md gives, for the package versions in package-lock.json.
    assert.deepEqual([total, raw.train.labels.length, raw.test.labels.length, p.emoji.train + p.emoji.test], [7509, 6733, 776, 1894]);
    assert.deepEqual(raw.shape, { height: 32, width: 32, channels: 3 });
    assert.equal(raw.train.images.length, raw.train.labels.length * 3072);
    assert.ok(!raw.classes.includes('Component'));
    assert.equal(raw.classes.length, 9);
    for (const [c, name] of raw.classes.entries()) {
      assert.ok(raw.test.labels.includes(c) && raw.train.labels.includes(c), `${name} on both sides`);
      assert.equal(p.test[name], raw.test.labels.filter((l) => l === c).length);
    }
    const trainEmoji = new Set(raw.names!.train.map(emojiOf));
    const testEmoji = new Set(raw.names!.test.map(emojiOf));
    const both = [...testEmoji].filter((e) => trainEmoji.has(e));
    assert.deepEqual(both, [], 'emoji on both sides');
    assert.equal(testEmoji.size, p.emoji.test);
    // About a tenth of the emoji are held out (at least one per category, rounded per category).
    assert.ok(Math.abs(testEmoji.size / (trainEmoji.size + testEmoji.size) - 0.1) < 0.01, `${testEmoji.size} of ${trainEmoji.size + testEmoji.size}`);
    // Both artwork sets are there, on both sides.
    for (const names of [raw.names!.train, raw.names!.test]) for (const set of ['Twemoji', 'Noto Emoji']) assert.ok(names.some((n) => n.endsWith(` · ${set}`)), set);
  });

  test('the training images come in a seeded order: the last 500, held out for validation, mix every category and both sets', () => {
    const last = raw.train.labels.subarray(-500);
    for (const [c, name] of raw.classes.entries()) assert.ok(last.includes(c), `${name} among the last 500`);
    const lastNames = raw.names!.train.slice(-500);
    const twemoji = lastNames.filter((n) => n.endsWith(' · Twemoji')).length;
    assert.ok(twemoji > 150 && twemoji < 350, `${twemoji} of the last 500 are Twemoji`);
  });

  test('a picture is its PNG over white, each 2 × 2 block averaged', () => {
    for (const [split, set, file] of [['train', 'twitter', '1f600.png'], ['train', 'google', '1f600.png']] as const) {
      const name = `grinning face · ${set === 'twitter' ? 'Twemoji' : 'Noto Emoji'}`;
      const k = raw.names![split].indexOf(name);
      assert.ok(k >= 0, `${name} is in the ${split} set`);
      const png = decodePngRgba(new Uint8Array(readFileSync(join(dirname(require.resolve(`emoji-datasource-${set}/package.json`)), 'img', set, '64', file))));
      assert.deepEqual([png.width, png.height], [64, 64]);
      let worst = 0;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          for (let c = 0; c < 3; c++) {
            // Over white in whole numbers: (α·v + (255 − α)·255) / 255 per pixel, then the block's mean.
            let sum = 0;
            for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
              const o = 4 * ((2 * y + dy!) * 64 + 2 * x + dx!);
              sum += (png.rgba[o + 3]! * png.rgba[o + c]! + (255 - png.rgba[o + 3]!) * 255) / 255;
            }
            worst = Math.max(worst, Math.abs(raw[split].images[k * 3072 + (y * 32 + x) * 3 + c]! - sum / 4));
          }
        }
      }
      assert.ok(worst <= 0.5 + 1e-9, `${name}: off by ${worst}`);
    }
  });

  test('written with names.json and a 32 × 32 × 3 manifest, and read back', async () => {
    const id = `test-emoji-${process.pid}`;
    const target = join(PUBLIC, 'data', id);
    try {
      const manifest = await writeDataset(raw, id, target);
      assert.deepEqual([manifest.height, manifest.width, manifest.channels, manifest.names], [32, 32, 3, 'names.json']);
      const names = JSON.parse(await readFile(join(target, 'names.json'), 'utf8')) as Record<'train' | 'test', string[]>;
      assert.equal(names.test.length, raw.test.labels.length);
      const test = await loadSplit(readPublic, `data/${id}`, 'test');
      assert.deepEqual(setShape(test), { height: 32, width: 32, channels: 3 });
      assert.deepEqual(test.images.subarray(0, 3072), raw.test.images.subarray(0, 3072));
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });
});

describe('the emoji-art dataset: the same pictures, labelled by artwork set', () => {
  let art: RawDataset;
  before(async () => {
    art = await emojiDataset('artwork').load();
  });

  test('its images, labels\' order and names equal the emoji dataset\'s byte for byte; its classes are the two sets', () => {
    assert.deepEqual(art.classes, ['Twemoji', 'Noto Emoji']);
    assert.deepEqual(art.shape, raw.shape);
    assert.equal(art.source, raw.source);
    for (const split of ['train', 'test'] as const) {
      assert.ok(Buffer.from(art[split].images).equals(Buffer.from(raw[split].images)), `${split} images differ`);
      assert.deepEqual(art.names![split], raw.names![split]);
    }
  });

  test('each label is the artwork set its name ends with, and both sets are on both sides', () => {
    for (const split of ['train', 'test'] as const) {
      const labels = art[split].labels;
      art.names![split].forEach((name, k) => {
        const set = / · (Twemoji|Noto Emoji)$/.exec(name)?.[1];
        assert.ok(set, `${name} names no artwork set`);
        assert.equal(labels[k], set === 'Twemoji' ? 0 : 1, name);
      });
      assert.ok(labels.includes(0) && labels.includes(1), `both sets in ${split}`);
      const counts = art.preparation![split] as Record<string, number>;
      assert.deepEqual([counts['Twemoji'], counts['Noto Emoji']], [0, 1].map((c) => labels.filter((l) => l === c).length));
    }
  });

  test('its manifest records the same artwork licences, and says how it is labelled', () => {
    assert.deepEqual(art.preparation!['artwork'], raw.preparation!['artwork']);
    assert.match(String(art.preparation!['labels']), /0 Twemoji, 1 Noto Emoji/);
    assert.equal(raw.preparation!['labels'], undefined);
  });
});

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A palette PNG of `depth` bits per index, rows unfiltered. */
function palettePng(width: number, indices: number[][], depth: number, palette: number[][], alphas?: number[]): Uint8Array {
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, indices.length);
  header.set([depth, 3, 0, 0, 0], 8);
  const stride = Math.ceil((width * depth) / 8);
  const rows = new Uint8Array(indices.length * (stride + 1));
  indices.forEach((row, y) => row.forEach((index, x) => (rows[y * (stride + 1) + 1 + Math.floor((x * depth) / 8)]! |= index << (8 - depth - ((x * depth) % 8)))));
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', header), chunk('PLTE', Uint8Array.from(palette.flat()))];
  if (alphas) parts.push(chunk('tRNS', Uint8Array.from(alphas)));
  parts.push(chunk('IDAT', new Uint8Array(deflateSync(rows))), chunk('IEND', new Uint8Array(0)));
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

describe('decodePngRgba', () => {
  const palette = [[10, 20, 30], [200, 100, 0], [0, 255, 90], [7, 8, 9]];
  const indices = [[0, 1, 2, 3, 2], [3, 2, 1, 0, 1]];
  for (const depth of [2, 4, 8]) {
    test(`a palette image of ${depth} bits per index, with a shorter tRNS than its palette`, () => {
      const { width, height, rgba } = decodePngRgba(palettePng(5, indices, depth, palette, [0, 128]));
      assert.deepEqual([width, height], [5, 2]);
      const want = indices.flat().flatMap((i) => [...palette[i]!, [0, 128][i] ?? 255]);
      assert.deepEqual(Array.from(rgba), want);
    });
  }
  test('an index beyond the palette is refused', () => {
    assert.throws(() => decodePngRgba(palettePng(2, [[0, 3]], 8, palette.slice(0, 2))), /pixel \(1, 0\) uses palette entry 3 of 2/);
  });
});
