/** The principal plane of a cloud of codes, checked on clouds whose answer is known. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { principalPlane, projectOnto } from '../../src/vae/projection.ts';
import { assertClose, gaussianSampler } from './helpers.ts';

test('finds the two widest directions of an axis-aligned cloud, with their variances', () => {
  const normal = gaussianSampler(11);
  const sd = [0.5, 3, 1, 2];
  const n = 20_000;
  const values = Float64Array.from({ length: n * 4 }, (_, k) => sd[k % 4]! * normal() + 10);
  const plane = principalPlane(values, n, 4);
  assert.ok(Math.abs(plane.axes[0][1]!) > 0.999, `first axis ${Array.from(plane.axes[0])}`);
  assert.ok(Math.abs(plane.axes[1][3]!) > 0.999, `second axis ${Array.from(plane.axes[1])}`);
  assertClose(plane.variance[0], 9, 0.3, 'variance along the first axis');
  assertClose(plane.variance[1], 4, 0.15, 'variance along the second axis');
  assertClose(plane.totalVariance, 0.25 + 9 + 1 + 4, 0.4, 'total variance');
  plane.mean.forEach((m) => assertClose(m, 10, 0.05, 'mean'));
});

test('finds a rotated direction, and projection keeps distances within the plane', () => {
  // Points on the line t·(1, 1, 0)/√2 plus a little noise in z.
  const normal = gaussianSampler(5);
  const n = 5000;
  const values = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const t = 4 * normal();
    values.set([t / Math.SQRT2, t / Math.SQRT2, 0.3 * normal()], 3 * i);
  }
  const plane = principalPlane(values, n, 3);
  assertClose(Math.abs(plane.axes[0][0]!), Math.SQRT1_2, 1e-3, 'first axis x');
  assertClose(Math.abs(plane.axes[0][1]!), Math.SQRT1_2, 1e-3, 'first axis y');
  const dot = plane.axes[0].reduce((s, v, d) => s + v * plane.axes[1][d]!, 0);
  assertClose(dot, 0, 1e-9, 'the axes are orthogonal');
  const xy = projectOnto(plane, values, n);
  // Two points differing only along the first axis keep their distance.
  const d3 = Math.hypot(values[0]! - values[3]!, values[1]! - values[4]!);
  assertClose(Math.abs(xy[0]! - xy[2]!), d3, 0.05 * d3 + 0.3, 'distance along the line');
});
