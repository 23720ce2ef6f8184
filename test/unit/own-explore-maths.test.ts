/** The pure parts of the own-explore figure: the point under a pointer and the codes between two codes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { betweenCodes, nearestPoint } from '../../src/components/figures/own-explore-maths.ts';

test('nearestPoint picks the closest point within reach, the first of equals, and none beyond reach', () => {
  const points = [0, 0, 10, 0, 10, 10, 4, 3];
  assert.equal(nearestPoint(points, 9, 1, 5), 1);
  assert.equal(nearestPoint(points, 4, 3, 5), 3);
  assert.equal(nearestPoint(points, 5, -3, 6), 0, 'equal distances: the first');
  assert.equal(nearestPoint(points, 30, 30, 5), -1);
  assert.equal(nearestPoint(points, 0, -5, 5), 0, 'exactly at reach counts');
  assert.equal(nearestPoint([], 0, 0, 5), -1);
});

test('betweenCodes runs from a to b in equal steps, both ends included', () => {
  const codes = betweenCodes([0, 2, -1], [3, 2, 1], 4);
  assert.equal(codes.length, 12);
  assert.deepEqual(Array.from(codes.subarray(0, 3)), [0, 2, -1]);
  assert.deepEqual(Array.from(codes.subarray(9, 12)), [3, 2, 1]);
  assert.deepEqual(Array.from(codes.subarray(3, 6)), [1, 2, -1 / 3].map(Math.fround));
  assert.throws(() => betweenCodes([0], [0, 1], 3), /codes of 1 and 2 dimensions/);
  assert.throws(() => betweenCodes([0], [1], 1), /at least 2/);
});
