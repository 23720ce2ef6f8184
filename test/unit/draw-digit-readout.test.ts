/**
 * The drawing pad's words: numbers with a true minus sign, a model's code line, and the sentence
 * that says which classes the nearest test codes belong to and whether even the nearest is far.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Neighbour } from '../../src/vae/code-neighbours.ts';
import { codeParts, nearSentence, num, pair } from '../../src/components/figures/draw-digit-readout.ts';

const digits = Array.from({ length: 10 }, (_, i) => String(i));

/** Neighbours with the given labels, the nearest at `nearest` and each next one 0.01 farther. */
function neighbours(labels: number[], nearest = 0.01): Neighbour[] {
  return labels.map((label, index) => ({ index, distance: nearest + index * 0.01, label }));
}

test('numbers are shown to two decimals with a minus sign, not a hyphen', () => {
  assert.equal(num(-1.234), '−1.23');
  assert.equal(num(0.005), '0.01');
  assert.equal(num(2), '2.00');
  assert.equal(pair([-0.5, 1.25]), '(−0.50, 1.25)');
});

test('a plain autoencoder shows z; a VAE shows μ and σ', () => {
  assert.deepEqual(codeParts('ae', [0.1, -2], null), ['z = (0.10, −2.00)']);
  assert.deepEqual(codeParts('vae', [0.1, -2], [0.5, 0.25]), ['μ = (0.10, −2.00)', 'σ = (0.50, 0.25)']);
});

test('a class that holds a majority of the neighbours is named alone', () => {
  const labels = [...new Array<number>(21).fill(7), 1, 1, 9, 4];
  assert.equal(nearSentence(neighbours(labels), digits, 3), 'Nearest test codes: 7s (21 of 25).');
  // Thirteen of 25 is a majority; the names come from the dataset's classes.
  const clothes = ['T-shirt', 'Trouser'];
  assert.equal(nearSentence(neighbours([...new Array<number>(13).fill(1), ...new Array<number>(12).fill(0)]), clothes, 3), 'Nearest test codes: Trousers (13 of 25).');
});

test('without a majority, the two leading classes are named with their counts', () => {
  const labels = [...new Array<number>(12).fill(3), ...new Array<number>(10).fill(5), 8, 8, 8];
  assert.equal(nearSentence(neighbours(labels), digits, 3), 'Nearest test codes: 3s and 5s (12 and 10 of 25).');
});

test('a code farther than a tenth of the half-width from every test code is called far', () => {
  const labels = new Array<number>(25).fill(2);
  // Half-width 3: the bar is 0.3.
  assert.equal(nearSentence(neighbours(labels, 0.3), digits, 3), 'Nearest test codes: 2s (25 of 25).');
  assert.equal(nearSentence(neighbours(labels, 0.31), digits, 3), 'Far from every test code (the nearest is 0.31 away). Nearest test codes: 2s (25 of 25).');
});
