/** Laying decoded digits out as one grey image: every pixel lands where its digit's tile is. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tileDigits, tileRows } from '../../src/vae/manifold.ts';
import { PIXELS } from '../../src/vae/spec.ts';

/** n digits; digit k is uniform with probability (k + 1) / n, except pixel (r, c) = (k, 27 − k) is 0. */
function digits(n: number): Float32Array {
  const probs = new Float32Array(n * PIXELS);
  for (let k = 0; k < n; k++) {
    probs.fill((k + 1) / n, k * PIXELS, (k + 1) * PIXELS);
    probs[k * PIXELS + k * 28 + (27 - k)] = 0;
  }
  return probs;
}

test('tileRows puts digit k at row ⌊k / columns⌋, column k mod columns, as round(255·p)', () => {
  const n = 7, columns = 3;
  const grey = tileRows(digits(n), columns);
  const width = columns * 28;
  assert.equal(grey.length, width * 3 * 28, 'three rows, the last one partly empty');
  for (let k = 0; k < n; k++) {
    const x0 = (k % columns) * 28, y0 = Math.floor(k / columns) * 28;
    assert.equal(grey[(y0 + 5) * width + x0 + 3], Math.round((255 * (k + 1)) / n));
    assert.equal(grey[(y0 + k) * width + x0 + 27 - k], 0, `digit ${k}'s marked pixel`);
  }
  assert.equal(grey[(2 * 28 + 10) * width + 28 + 10], 0, 'the unused tiles stay black');
});

test('tileDigits is the square case and ignores digits beyond side²', () => {
  const probs = digits(10);
  assert.deepEqual(tileDigits(probs, 3), tileRows(probs.subarray(0, 9 * PIXELS), 3));
  assert.equal(tileDigits(probs, 3).length, (3 * 28) ** 2);
});
