/**
 * The sample grid's class readout: the compact line, the spoken sentence, percentages, the
 * data-attribute lists and the bar geometry.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barTops, countsLine, countsSentence, listAttribute, parseList, percent } from '../../src/components/lib/draw/class-readout.ts';

const digits = Array.from({ length: 10 }, (_, i) => String(i));

test('countsLine lists the classes that occur, in class order, with their counts', () => {
  assert.equal(countsLine([9, 2, 0, 0, 0, 0, 4, 0, 0, 21], digits), '0 ×9 · 1 ×2 · 6 ×4 · 9 ×21');
  assert.equal(countsLine([0, 0, 3], ['shoe', 'bag', 'coat']), 'coat ×3');
  assert.equal(countsLine(new Array(10).fill(0), digits), 'none');
});

test('countsSentence says how many codes were counted, and how they fall', () => {
  assert.equal(countsSentence([30, 0, 6], digits), 'The 36 codes by the class of the nearest test code: 0 ×30, 2 ×6.');
});

test('percent rounds a share to a whole percentage', () => {
  assert.deepEqual([0.388, 0.0348, 0.005, 0.0049, 1, 0].map(percent), ['39', '3', '1', '0', '100', '0']);
});

test('listAttribute and parseList round-trip, and parseList of nothing is empty', () => {
  const values = [0.388, 0.0436, 0, 1];
  assert.deepEqual(parseList(listAttribute(values)), values);
  assert.equal(listAttribute([9, 2, 25]), '9,2,25');
  assert.deepEqual(parseList(null), []);
  assert.deepEqual(parseList(''), []);
});

test('barTops puts the largest share at the top and zero at the bottom, in proportion', () => {
  const { bars, ticks } = barTops([0.4, 0.1, 0], [0.1, 0.2, 0.1], 40);
  assert.deepEqual(bars, [0, 30, 40]);
  assert.deepEqual(ticks, [30, 20, 30]);
  // A tick taller than every bar sets the scale.
  assert.deepEqual(barTops([0.1], [0.5], 10).bars, [8]);
  // Nothing to show: every mark at the bottom, no division by zero.
  assert.deepEqual(barTops([0, 0], [0, 0], 10), { bars: [10, 10], ticks: [10, 10] });
});
