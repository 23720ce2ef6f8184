/**
 * A reader's files made into a dataset without the DOM (src/vae/own-dataset.ts, labels-csv.ts,
 * toy-shapes.ts) and what the figure says about it (own-data-summary.ts): which files are
 * images, where labels come from, duplicates, the split and every bad input the page meets.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bytesText, classRows, skipGroups, summary, LISTED, STRIP } from '../../src/components/figures/own-data-summary.ts';
import { parseClassNames, parseLabelsCsv } from '../../src/vae/labels-csv.ts';
import { assemble, planLabels, sortFiles, UnusableData, type PreparedImage } from '../../src/vae/own-dataset.ts';
import { MAX_IMAGES } from '../../src/vae/skip-reasons.ts';
import { PIXELS } from '../../src/vae/spec.ts';
import { segmentDistance, TOY_CLASSES, toyShapes } from '../../src/vae/toy-shapes.ts';

/** A 784-byte image with `value` in pixel `at` and 0 elsewhere. */
function image(at: number, value = 255): Uint8Array {
  const out = new Uint8Array(PIXELS);
  out[at % PIXELS] = value;
  return out;
}

describe('sorting what the reader gave', () => {
  test('images by extension or type, the shallowest labels.csv and classes.txt, the rest skipped as not images', () => {
    const sorted = sortFiles([
      { path: 'set/b/10.png' },
      { path: 'set/b/2.PNG' },
      { path: 'set/notes.docx' },
      { path: 'set/labels.csv' },
      { path: 'set/deeper/labels.csv' },
      { path: 'set/classes.txt' },
      { path: 'set/a/photo', type: 'image/jpeg' },
      { path: 'set/a/x.webp' },
    ]);
    assert.deepEqual(
      sorted.images.map((f) => f.path),
      ['set/a/photo', 'set/a/x.webp', 'set/b/2.PNG', 'set/b/10.png'],
      'names in natural order: 2 before 10',
    );
    assert.equal(sorted.labelsCsv?.path, 'set/labels.csv');
    assert.equal(sorted.classesTxt?.path, 'set/classes.txt');
    assert.deepEqual(sorted.skipped, [
      { path: 'set/deeper/labels.csv', reason: 'not an image' },
      { path: 'set/notes.docx', reason: 'not an image' },
    ]);
  });

  test('images beyond the cap are skipped and counted, and the cap is 60,000', () => {
    const files = Array.from({ length: 25 }, (_, i) => ({ path: `${i}.png` }));
    const sorted = sortFiles(files, 20);
    assert.equal(sorted.images.length, 20);
    assert.deepEqual(sorted.images.at(-1)?.path, '19.png');
    assert.equal(sorted.skipped.filter((s) => s.reason === 'beyond the cap').length, 5);
    assert.equal(MAX_IMAGES, 60_000);
  });

  test('a path that leaves the folder is skipped as unsafe', () => {
    assert.deepEqual(sortFiles([{ path: '../x.png' }]).skipped, [{ path: '../x.png', reason: 'unsafe path' }]);
  });
});

describe('labels', () => {
  test('class folders below the shared folder name the classes, in natural order; images beside them are skipped', () => {
    const plan = planLabels(['pets/dogs/1.png', 'pets/cats/a/2.png', 'pets/cats/3.png', 'pets/loose.png', 'pets/class10/x.png', 'pets/class9/y.png']);
    assert.equal(plan.source, 'folders');
    assert.deepEqual(plan.classes, ['cats', 'class9', 'class10', 'dogs']);
    assert.equal(plan.labels.get('pets/dogs/1.png'), 3);
    assert.equal(plan.labels.get('pets/cats/a/2.png'), 0, 'a deeper folder belongs to its class folder');
    assert.deepEqual(plan.skipped, [{ path: 'pets/loose.png', reason: 'outside the class folders' }]);
  });

  test('loose files, or one folder of them, are unlabelled; one class folder is one labelled class', () => {
    for (const paths of [['a.png', 'b.png'], ['shots/a.png', 'shots/b.png']]) {
      const plan = planLabels(paths);
      assert.equal(plan.source, 'none');
      assert.equal(plan.labelled, false);
      assert.deepEqual(plan.classes, ['unlabelled']);
      assert.deepEqual([...plan.labels.values()], [0, 0]);
    }
    const one = planLabels(['set/only/a.png', 'set/only/b.png', 'set/x.png']);
    assert.deepEqual([one.classes, one.labelled, one.labels.size], [['only'], true, 2]);
  });

  test('more than 256 class folders is refused with the reason', () => {
    const paths = Array.from({ length: 257 }, (_, i) => `c${i}/x.png`);
    assert.throws(() => planLabels(paths), /257 class folders; labels hold at most 256/);
  });

  test('labels.csv decides, relative to its folder, with classes.txt beside it; unlisted images are skipped and missing rows counted', () => {
    const csv = { path: 'set/labels.csv', text: 'file,label,split\nimages/1.png,dog,train\nimages/2.png,0,test\nimages/gone.png,1,train\n' };
    const classes = { path: 'set/classes.txt', text: 'cat\ndog\n' };
    const plan = planLabels(['set/images/1.png', 'set/images/2.png', 'set/images/extra.png'], csv, classes);
    assert.equal(plan.source, 'labels.csv');
    assert.deepEqual(plan.classes, ['cat', 'dog']);
    assert.deepEqual([...plan.labels], [['set/images/1.png', 1], ['set/images/2.png', 0]]);
    assert.deepEqual([...plan.sides!], [['set/images/1.png', 'train'], ['set/images/2.png', 'test'], ['set/images/gone.png', 'train']]);
    assert.deepEqual(plan.missing, ['images/gone.png']);
    assert.deepEqual(plan.skipped, [{ path: 'set/images/extra.png', reason: 'not listed in labels.csv' }]);
  });

  test('a bad labels.csv or classes.txt is refused with the file and the line', () => {
    assert.throws(() => planLabels(['a.png'], { path: 'd/labels.csv', text: 'file,label,split\na.png,cat,train\nb.png,0,test' }), /^Error: d\/labels\.csv line 2: the label "cat" is not a whole number/);
    assert.throws(() => planLabels(['a.png'], { path: 'labels.csv', text: 'file,label\n' }), /labels\.csv line 1 is "file,label"/);
    assert.throws(() => planLabels(['a.png'], { path: 'labels.csv', text: 'file,label,split\na.png,0,train\n' }, { path: 'classes.txt', text: 'x\n\ny\n' }), /classes\.txt line 2 is empty/);
  });

  test('parseLabelsCsv: names, numbers, unlabelled rows, paths that leave the folder, and "./" removed', () => {
    const table = parseLabelsCsv('\uFEFFfile,label,split\r\n./a.png,b,train\r\nx//c.png,0,test\r\n', ['a', 'b']);
    assert.deepEqual(table.rows.map((r) => [r.file, r.label, r.split, r.line]), [['a.png', 1, 'train', 2], ['x/c.png', 0, 'test', 3]]);
    assert.deepEqual(parseLabelsCsv('file,label,split\na.png,,train\nb.png,,test').classes, ['unlabelled']);
    assert.throws(() => parseLabelsCsv('file,label,split\na.png,,train\nb.png,1,test'), /line 2 has no label but line 3 has one/);
    assert.throws(() => parseLabelsCsv('file,label,split\n../a.png,0,train\nb.png,0,test'), /line 2: "\.\.\/a\.png" is not a path inside the folder/);
    assert.deepEqual(parseLabelsCsv('file,label,split\na.png,3,train\nb.png,0,test').classes, ['0', '1', '2', '3']);
    assert.throws(() => parseClassNames('a\nb\na\n'), /names the class "a" twice/);
  });
});

describe('assembling the dataset', () => {
  const plan = planLabels(Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'odd' : 'even'}/${i}.png`));
  const prepared = (n: number): PreparedImage[] => Array.from({ length: n }, (_, i) => ({ path: `${i % 2 ? 'odd' : 'even'}/${i}.png`, image: image(i) }));

  test('keeps the files’ order, drops exact duplicates (the first kept), counts each side per class and splits a tenth of each class', () => {
    const items = prepared(40);
    items[7] = { path: 'odd/7.png', image: image(5) };
    items[8] = { path: 'even/8.png', reason: 'no ink' };
    items[9] = { path: 'odd/9.png', reason: 'cannot be decoded' };
    const set = assemble(items, plan);
    assert.equal(set.labels.length, 37);
    assert.equal(set.paths[0], 'even/0.png');
    assert.equal(set.paths.includes('odd/7.png'), false);
    assert.deepEqual(set.skipped.find((s) => s.reason === 'duplicate'), { path: 'odd/7.png', reason: 'duplicate', of: 'odd/5.png' });
    assert.deepEqual(set.skipped.filter((s) => s.reason !== 'duplicate').map((s) => s.reason), ['no ink', 'cannot be decoded']);
    for (let k = 0; k < set.labels.length; k++) {
      const i = Number(/\/(\d+)\.png$/.exec(set.paths[k]!)![1]);
      assert.deepEqual(set.images.subarray(k * PIXELS, (k + 1) * PIXELS), image(i), set.paths[k]);
      assert.equal(set.labels[k], i % 2 === 0 ? 0 : 1);
    }
    assert.equal(set.split, 'seeded');
    assert.deepEqual(set.counts, { train: [17, 16], test: [2, 2] });
    assert.deepEqual(assemble(items, plan).sides, set.sides, 'the same files give the same split');
  });

  test('labels.csv’s split is kept when both sides keep images, else a seeded split replaces it', () => {
    const paths = ['a.png', 'b.png', 'c.png'];
    const csv = (sides: string[]) => ({ path: 'labels.csv', text: `file,label,split\n${paths.map((p, i) => `${p},0,${sides[i]}`).join('\n')}` });
    const kept = assemble(paths.map((path, i) => ({ path, image: image(i) })), planLabels(paths, csv(['test', 'train', 'train'])));
    assert.deepEqual([kept.split, kept.sides], ['labels.csv', ['test', 'train', 'train']]);
    const lost = assemble([{ path: 'a.png', reason: 'no ink' }, { path: 'b.png', image: image(1) }, { path: 'c.png', image: image(2) }], planLabels(paths, csv(['test', 'train', 'train'])));
    assert.equal(lost.split, 'seeded');
    assert.deepEqual([...lost.sides].sort(), ['test', 'train']);
  });

  test('a class with one image trains; a single class and unlabelled data work', () => {
    const lone = planLabels(['a/1.png', 'a/2.png', 'a/3.png', 'b/1.png']);
    const set = assemble(['a/1.png', 'a/2.png', 'a/3.png', 'b/1.png'].map((path, i) => ({ path, image: image(i) })), lone);
    assert.deepEqual(set.counts, { train: [2, 1], test: [1, 0] });
    const none = assemble([{ path: 'x.png', image: image(1) }, { path: 'y.png', image: image(2) }], planLabels(['x.png', 'y.png']));
    assert.deepEqual([none.labelled, none.classes, [...none.sides].sort()], [false, ['unlabelled'], ['test', 'train']]);
  });

  test('no usable image, or everything identical, is refused with what was left out and why', () => {
    const all = planLabels(['a.png', 'b.png', 'c.png']);
    assert.throws(
      () => assemble([{ path: 'a.png', reason: 'cannot be decoded' }, { path: 'b.png', reason: 'cannot be decoded' }, { path: 'c.png', reason: 'no ink' }], all),
      (err: Error) => err instanceof UnusableData && err.message === 'None of the 3 images could be used: 2 this browser cannot decode it (corrupt, cut off, or a format it lacks), 1 blank: nothing to centre.',
    );
    assert.throws(
      () => assemble(['a.png', 'b.png', 'c.png'].map((path) => ({ path, image: image(3) })), all),
      /^UnusableData: Only 1 different image remained: 2 an exact copy of another image, once prepared; a model needs at least 2/,
    );
  });
});

describe('toy shapes', () => {
  test('the same seed draws the same shapes, the classes in turn, each with ink inside the frame', () => {
    const a = toyShapes(40, 3);
    assert.deepEqual(a, toyShapes(40, 3));
    assert.notDeepEqual(a.images, toyShapes(40, 4).images);
    assert.deepEqual(a.classes, [...TOY_CLASSES]);
    assert.deepEqual(Array.from(a.labels.subarray(0, 8)), [0, 1, 2, 3, 0, 1, 2, 3]);
    for (let i = 0; i < 40; i++) {
      const img = a.images.subarray(i * PIXELS, (i + 1) * PIXELS);
      const ink = img.reduce((s, v) => s + v, 0) / 255;
      assert.ok(ink > 20 && ink < 300, `shape ${i} has ${ink.toFixed(0)} pixels of ink`);
      for (let k = 0; k < 28; k++) assert.equal(img[k]! + img[27 * 28 + k]!, 0, `shape ${i} leaves the top and bottom rows blank`);
    }
  });

  test('a circle is a ring: ink at its radius, none at its centre', () => {
    // Circle outlines are class 0: the centre pixel of each is dark, and some pixel is bright.
    const set = toyShapes(8, 11);
    for (const i of [0, 4]) {
      const img = set.images.subarray(i * PIXELS, (i + 1) * PIXELS);
      let [sx, sy, total] = [0, 0, 0];
      img.forEach((v, p) => {
        sx += v * (p % 28);
        sy += v * Math.floor(p / 28);
        total += v;
      });
      const [cx, cy] = [Math.round(sx / total), Math.round(sy / total)];
      assert.equal(img[cy * 28 + cx], 0, `circle ${i}: its centre of mass (${cx}, ${cy}) is not inked`);
    }
    assert.equal(segmentDistance([0, 1], [[0, 0], [2, 0]]), 1);
    assert.equal(segmentDistance([3, 4], [[0, 0], [0, 0]]), 5);
    assert.throws(() => toyShapes(0), /positive whole number/);
  });
});

describe('what the figure says', () => {
  const set = { classes: ['cat', 'dog'], labelled: true, split: 'seeded' as const, labels: Uint8Array.of(0, 0, 1, 1, 1), sides: ['train', 'test', 'train', 'train', 'test'] as ('train' | 'test')[], counts: { train: [1, 2], test: [1, 1] } };

  test('the summary counts images, classes and sides, and says what was inverted', () => {
    assert.equal(summary(set, 0), '5 images in 2 classes: 3 to train on, 2 held out to test.');
    assert.equal(summary({ ...set, labelled: false, classes: ['unlabelled'], split: 'labels.csv' }, 1), '5 images, unlabelled: 3 to train on, 2 held out to test as labels.csv splits them; 1 picture looked dark on light and was inverted.');
  });

  test('class rows show training images first, up to a strip each', () => {
    const rows = classRows(set);
    assert.deepEqual(rows.map((r) => [r.name, r.train, r.test, r.shown]), [['cat', 1, 1, [0, 1]], ['dog', 2, 1, [2, 3, 4]]]);
    const many = { ...set, labels: new Uint8Array(30), sides: Array<'train'>(30).fill('train'), classes: ['x'], counts: { train: [30], test: [0] } };
    assert.equal(classRows(many)[0]!.shown.length, STRIP);
  });

  test('skipped files are grouped by reason with a few examples', () => {
    const skipped = [...Array.from({ length: LISTED + 3 }, (_, i) => ({ path: `${i}.txt`, reason: 'not an image' as const })), { path: 'b.png', reason: 'duplicate' as const, of: 'a.png' }];
    const groups = skipGroups(skipped);
    assert.deepEqual(groups.map((g) => [g.reason, g.count, g.examples.length]), [['not an image', LISTED + 3, LISTED], ['duplicate', 1, 1]]);
    assert.deepEqual(groups[1]!.examples, ['b.png (= a.png)']);
    assert.deepEqual([bytesText(1_234_567), bytesText(340_000), bytesText(12)], ['1.2 MB', '340 kB', '1 kB']);
  });
});
