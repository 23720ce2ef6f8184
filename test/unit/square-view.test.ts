/**
 * The square view of the latent plane: its corners and centre land where a canvas has them, z₂
 * runs upwards, a pixel maps back to the code drawn there, the kσ ellipse's radii put its rim at
 * Mahalanobis distance k, and a contour's grid coordinates land on the grid's cell centres.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ellipseRadii, gridToPlane, squareView, viewBounds } from '../../src/components/lib/draw/square-view.ts';
import { assertClose, uniformSampler } from './helpers.ts';

test('the square’s centre is the canvas’s centre, its top-left corner is pixel (0, 0), and z₂ runs upwards', () => {
  const v = squareView([1.5, -0.5], 0.25, 200);
  assert.equal(v.x(1.5), 100);
  assert.equal(v.y(-0.5), 100);
  // Top left is (cx − half, cy + half); bottom right is (cx + half, cy − half).
  assert.equal(v.x(1.25), 0);
  assert.equal(v.y(-0.25), 0);
  assert.equal(v.x(1.75), 200);
  assert.equal(v.y(-0.75), 200);
  assert.ok(v.y(0) < v.y(-0.5), 'a larger z₂ is higher up');
  assert.equal(v.perUnit, 400);
});

test('the plane [−4, 4]² on 400 pixels: 50 pixels a unit, the origin at the middle', () => {
  const v = squareView([0, 0], 4, 400);
  assert.deepEqual([v.x(0), v.y(0)], [200, 200]);
  assert.deepEqual([v.x(1), v.y(1)], [250, 150]);
  assert.deepEqual([v.x(-4), v.y(-4)], [0, 400]);
  assert.deepEqual(v.toPlane(300, 100), [2, 2]);
});

test('toPlane undoes x and y: a pixel maps back to the code drawn there', () => {
  const next = uniformSampler(11);
  for (let k = 0; k < 200; k++) {
    const centre = [8 * next() - 4, 8 * next() - 4];
    const half = 0.05 + 3 * next();
    const size = 50 + 700 * next();
    const v = squareView(centre, half, size);
    const z: [number, number] = [centre[0]! + half * (2 * next() - 1), centre[1]! + half * (2 * next() - 1)];
    const [z1, z2] = v.toPlane(v.x(z[0]), v.y(z[1]));
    assertClose(z1, z[0], 1e-12 * (1 + Math.abs(z[0])), 'z₁');
    assertClose(z2, z[1], 1e-12 * (1 + Math.abs(z[1])), 'z₂');
  }
});

test('viewBounds is the square’s extent, as toPlane gives it at the canvas’s corners', () => {
  const [x0, x1, y0, y1] = viewBounds([0.3, -1.2], 0.6);
  const v = squareView([0.3, -1.2], 0.6, 320);
  const [left, top] = v.toPlane(0, 0);
  const [right, bottom] = v.toPlane(320, 320);
  assertClose(x0, left, 1e-12);
  assertClose(x1, right, 1e-12);
  assertClose(y0, bottom, 1e-12);
  assertClose(y1, top, 1e-12);
  assertClose(x1 - x0, 1.2, 1e-12);
});

test('the kσ ellipse drawn with ellipseRadii passes through the codes at Mahalanobis distance k from μ', () => {
  const mu = [0.8, -1.1];
  const sigma = [0.07, 0.025];
  const v = squareView(mu, 0.6, 480);
  for (const k of [1, 2]) {
    const [rx, ry] = ellipseRadii(sigma, v.perUnit, k);
    for (let j = 0; j < 16; j++) {
      const angle = (2 * Math.PI * j) / 16;
      // A point on the canvas ellipse of radii rx, ry around μ's pixel, back in latent units.
      const [z1, z2] = v.toPlane(v.x(mu[0]!) + rx * Math.cos(angle), v.y(mu[1]!) + ry * Math.sin(angle));
      const distance = Math.hypot((z1 - mu[0]!) / sigma[0]!, (z2 - mu[1]!) / sigma[1]!);
      assertClose(distance, k, 1e-9, `Mahalanobis distance at ${j}/16 of the ${k}σ ellipse`);
    }
  }
  // By hand: σ = (0.07, 0.025) at 400 pixels a unit is 28 by 10 pixels, 56 by 20 at 2σ.
  assert.deepEqual(ellipseRadii(sigma, v.perUnit).map((r) => Number(r.toFixed(9))), [28, 10]);
  assert.deepEqual(ellipseRadii(sigma, v.perUnit, 2).map((r) => Number(r.toFixed(9))), [56, 20]);
});

test('gridToPlane: grid edge 0 is the box’s top left, edge side its bottom right, and c + ½ the centre of cell c', () => {
  const box = { x0: -1, x1: 3, y0: 0, y1: 2 };
  const side = 4;
  assert.deepEqual(gridToPlane(box, side, 0, 0), [-1, 2]);
  assert.deepEqual(gridToPlane(box, side, side, side), [3, 0]);
  // Cells are 1 wide and ½ tall; cell (column 2, row 1) has its centre at (1.5, 1.25).
  assert.deepEqual(gridToPlane(box, side, 2.5, 1.5), [1.5, 1.25]);
});
