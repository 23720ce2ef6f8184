/** The aggregate-posterior figure's heat map and hole outline, checked on small grids worked out by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { densityPixels, logLevel, outline, rampColour } from '../../src/components/lib/draw/density-map.ts';

test('the ramp runs from its first stop to its last, and clamps outside [0, 1]', () => {
  assert.deepEqual(rampColour(0), [68, 1, 84]);
  assert.deepEqual(rampColour(1), [253, 231, 37]);
  assert.deepEqual(rampColour(-3), rampColour(0));
  assert.deepEqual(rampColour(7), rampColour(1));
  assert.deepEqual(rampColour(NaN), rampColour(0));
  // Halfway between the second and third stop.
  assert.deepEqual(rampColour(0.375), [46, 114, 140]);
});

test('log levels: 1 at the top, 0 at `decades` powers of ten below it and for an empty cell', () => {
  assert.equal(logLevel(0.2, 0.2, 3), 1);
  assert.equal(logLevel(0.0002, 0.2, 3), 0);
  assert.ok(Math.abs(logLevel(0.002, 0.2, 3) - 1 / 3) < 1e-12);
  assert.equal(logLevel(0, 0.2, 3), 0);
  assert.equal(logLevel(1e-9, 0.2, 3), 0);
});

test('the heat map puts grid row 0 (the lowest z₂) at the bottom of the image', () => {
  // 2 × 2 cells: only the bottom-left cell (row 0, column 0) has mass.
  const pixels = densityPixels([1, 0, 0, 0], 2, 1, 3);
  const at = (x: number, y: number) => Array.from(pixels.subarray(4 * (y * 2 + x), 4 * (y * 2 + x) + 4));
  assert.deepEqual(at(0, 1), [...rampColour(1), 255]);
  assert.deepEqual(at(0, 0), [...rampColour(0), 255]);
  assert.deepEqual(at(1, 1), [...rampColour(0), 255]);
  assert.throws(() => densityPixels([1, 0, 0], 2, 1, 3), /Expected 4 cells/);
});

test('the outline of one marked cell is its four sides; of two side by side, the six outer edges', () => {
  // 3 × 3, the centre cell: image y runs down, so grid row 1 is image row 1.
  const one = outline([0, 0, 0, 0, 1, 0, 0, 0, 0], 3);
  assert.equal(one.length, 4);
  const key = (s: number[]) => s.join(',');
  assert.deepEqual(new Set(one.map(key)), new Set(['1,1,2,1', '1,2,2,2', '1,1,1,2', '2,1,2,2']));
  // Grid row 0 (the bottom row of the image, y from 2 to 3), columns 0 and 1.
  const two = outline([1, 1, 0, 0, 0, 0, 0, 0, 0], 3);
  assert.deepEqual(new Set(two.map(key)), new Set(['0,2,1,2', '1,2,2,2', '0,3,1,3', '1,3,2,3', '0,2,0,3', '2,2,2,3']));
  assert.deepEqual(outline([0, 0, 0, 0], 2), []);
});
