/**
 * The drawing pad's state: which marks show (a test digit covers what came before it), how the
 * pad describes itself, where a pointer lands in its pixels, and a test digit painted as ink
 * that the pad's own reading of ink (opacity) turns back into the digit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inkFromAlpha } from '../../src/vae/preprocess.ts';
import { inkPixels, PAD, padDescription, padPoint, visibleMarks, type Mark } from '../../src/components/figures/draw-digit-pad.ts';

const digits = Array.from({ length: 10 }, (_, i) => String(i));
const stroke = (...points: number[]): Mark => ({ kind: 'stroke', points });
const digit = (index: number, label: number): Mark => ({ kind: 'digit', grey: new Uint8Array(784), index, label });

test('a test digit hides the marks before it, not those after', () => {
  const a = stroke(1, 2);
  const b = stroke(3, 4);
  const d = digit(12, 7);
  const c = stroke(5, 6);
  assert.deepEqual(visibleMarks([a, b]), [a, b]);
  assert.deepEqual(visibleMarks([a, d, c]), [d, c]);
  assert.deepEqual(visibleMarks([a, digit(1, 1), d]), [d]);
  assert.deepEqual(visibleMarks([]), []);
});

test('the pad says what it holds', () => {
  assert.equal(padDescription([], digits), 'empty');
  assert.equal(padDescription([stroke(1, 1)], digits), '1 stroke drawn');
  assert.equal(padDescription([stroke(1, 1), stroke(2, 2)], digits), '2 strokes drawn');
  assert.equal(padDescription([stroke(1, 1), digit(12, 7)], digits), 'test digit #12, a 7');
  assert.equal(padDescription([digit(12, 7), stroke(1, 1)], digits), 'test digit #12, a 7, with 1 stroke over it');
  assert.equal(padDescription([digit(3, 9), stroke(1, 1), stroke(2, 2)], ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']), 'test digit #3, a Ankle boot, with 2 strokes over it');
});

test('a pointer lands on the pad pixel at its share of the box, whatever size the pad is shown at', () => {
  const box = { left: 100, top: 50, width: 140, height: 140 };
  assert.deepEqual(padPoint(100, 50, box), [0, 0]);
  assert.deepEqual(padPoint(240, 190, box), [PAD, PAD]);
  assert.deepEqual(padPoint(135, 85, box), [70, 70]);
});

test('a test digit painted as ink reads back as its grey levels', () => {
  const grey = Uint8Array.from({ length: 784 }, (_, p) => (p * 37) % 256);
  const rgba = inkPixels(grey);
  assert.equal(rgba.length, 4 * 784);
  assert.deepEqual(Array.from(rgba.subarray(4 * 5, 4 * 6)), [255, 255, 255, grey[5]]);
  const ink = inkFromAlpha(rgba);
  for (let p = 0; p < 784; p++) assert.ok(Math.abs(ink[p]! - grey[p]! / 255) < 1e-6, `pixel ${p}`);
});
