/**
 * The square plane of 2-D codes: where a code falls on the canvas (z₂ upward), and where a ring
 * is drawn for a point that may lie off the canvas.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fittedSquare, planePoint, ringSpot } from '../../src/components/lib/draw/plane.ts';

test('the square’s corners and centre land on the canvas’s corners and centre, z₂ upward', () => {
  const square: [number, number, number] = [1, -2, 3];
  assert.deepEqual(planePoint(square, 240, 1, -2), [120, 120]);
  assert.deepEqual(planePoint(square, 240, -2, 1), [0, 0]); // left, top
  assert.deepEqual(planePoint(square, 240, 4, -5), [240, 240]); // right, bottom
  assert.deepEqual(planePoint(square, 240, 2.5, -2), [180, 120]);
  // Outside the square, outside the canvas.
  assert.deepEqual(planePoint(square, 240, 7, -2), [360, 120]);
});

test('a ring for a point on the canvas sits on it; off it, the ring is held whole at the edge', () => {
  assert.deepEqual(ringSpot(100, 50, 240, 240, 13), { x: 100, y: 50, inside: true });
  assert.deepEqual(ringSpot(5, 238, 240, 240, 13), { x: 13, y: 227, inside: true });
  assert.deepEqual(ringSpot(360, 120, 240, 240, 13), { x: 227, y: 120, inside: false });
  assert.deepEqual(ringSpot(-1, -1, 240, 240, 13), { x: 13, y: 13, inside: false });
  assert.equal(ringSpot(240, 0, 240, 240, 13).inside, true);
});

test('the fitted square holds the codes with a margin, and every code lands on the canvas', () => {
  const xy = new Float32Array(2000);
  for (let i = 0; i < 1000; i++) [xy[2 * i], xy[2 * i + 1]] = [2 + Math.cos(i) * 3, -1 + Math.sin(i * 1.7)];
  const square = fittedSquare(xy);
  assert.deepEqual(square.slice(0, 2), [2, -1]);
  for (let i = 0; i < 1000; i++) {
    const [x, y] = planePoint(square, 100, xy[2 * i]!, xy[2 * i + 1]!);
    assert.ok(x > 0 && x < 100 && y > 0 && y < 100, `code ${i} at (${x}, ${y})`);
  }
});
