/**
 * The latent scatter's plane: its scales agree with the plane's own mapping unzoomed and follow
 * a zoom as d3-zoom defines it; a pointer picks the nearest shown dot within reach (checked
 * against a search of every dot); arrow keys step to the dot ahead; longer codes are drawn in
 * their principal plane; and the readout and status say what they should.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planePoint } from '../../src/components/lib/draw/plane.ts';
import { createRng } from '../../src/vae/random.ts';
import {
  ARROWS,
  decodedStatus,
  dotRadius,
  drawnStatus,
  isIdentity,
  parseCentre,
  pickAt,
  PICK_RADIUS,
  pointIndex,
  readoutText,
  scatterPlane,
  scatterScales,
  shownPoints,
  stepFrom,
} from '../../src/components/figures/latent-scatter-plane.ts';

const close = (a: number, b: number, what: string, tol = 1e-9) => assert.ok(Math.abs(a - b) < tol, `${what}: ${a} against ${b}`);

test('unzoomed, the scales put each code where the plane’s own mapping does', () => {
  const [x, y] = scatterScales(2.5, [0.5, -1], 300, { k: 1, x: 0, y: 0 });
  for (const [z1, z2] of [[0.5, -1], [-2, 1.5], [3, -3.5], [1.1, 0.2]] as const) {
    const [px, py] = planePoint([0.5, -1, 2.5], 300, z1, z2);
    close(x(z1), px, 'x');
    close(y(z2), py, 'y');
  }
});

test('zoomed, a pixel is k times the unzoomed one plus the shift, and inverts back', () => {
  const zoom = { k: 4, x: -150, y: 30 };
  const [x0, y0] = scatterScales(3, [0, 0], 200, { k: 1, x: 0, y: 0 });
  const [x, y] = scatterScales(3, [0, 0], 200, zoom);
  for (const v of [-3, -0.7, 0, 1.3, 2.9]) {
    close(x(v), zoom.k * x0(v) + zoom.x, 'x');
    close(y(v), zoom.k * y0(v) + zoom.y, 'y');
    close(x.invert(x(v)), v, 'x inverse');
    close(y.invert(y(v)), v, 'y inverse');
  }
  assert.equal(isIdentity(zoom), false);
  assert.equal(isIdentity({ k: 1, x: 0, y: 0 }), true);
  assert.equal(isIdentity({ k: 1, x: 0, y: 2 }), false);
});

test('the centre attribute reads as two numbers, the origin when absent', () => {
  assert.deepEqual(parseCentre('0.25,-1.5'), [0.25, -1.5]);
  assert.deepEqual(parseCentre(undefined), [0, 0]);
});

test('dots grow with the canvas from 1.2 to 3 px, and with the square root of the zoom', () => {
  assert.equal(dotRadius(100, 1), 1.2);
  assert.equal(dotRadius(600, 1), 2);
  assert.equal(dotRadius(2000, 1), 3);
  assert.equal(dotRadius(600, 4), 4);
});

test('shown points come class by class, without the hidden classes', () => {
  const labels = [3, 1, 3, 0, 1, 2];
  assert.deepEqual(shownPoints(labels, 6, new Set()), [3, 1, 4, 5, 0, 2]);
  assert.deepEqual(shownPoints(labels, 6, new Set([1, 2])), [3, 0, 2]);
});

test('a pointer picks the nearest shown dot within reach, as a search of every dot finds it', () => {
  const rng = createRng(3);
  const count = 500;
  const xy = Float32Array.from({ length: 2 * count }, () => rng() * 8 - 4);
  const labels = Uint8Array.from({ length: count }, () => Math.floor(rng() * 10));
  const hidden = new Set([2, 5]);
  const tree = pointIndex(xy, shownPoints(labels, count, hidden));
  const scales = scatterScales(4, [0, 0], 400, { k: 2, x: -100, y: -50 });
  const [x, y] = scales;
  let picked = 0;
  for (let t = 0; t < 300; t++) {
    const [px, py] = [rng() * 400, rng() * 400];
    // Brute force in pixels: the zoom scales both axes alike, so pixel and code distances agree in order.
    let best: number | undefined;
    let bestD = Infinity;
    for (let i = 0; i < count; i++) {
      if (hidden.has(labels[i]!)) continue;
      const d = Math.hypot(x(xy[2 * i]!) - px, y(xy[2 * i + 1]!) - py);
      if (d < bestD) [best, bestD] = [i, d];
    }
    const found = pickAt(tree, scales, px, py);
    if (bestD > PICK_RADIUS + 1e-6) assert.equal(found, undefined, `nothing within reach of (${px}, ${py})`);
    else if (bestD < PICK_RADIUS - 1e-6) {
      assert.equal(found, best, `nearest to (${px}, ${py})`);
      picked++;
    }
  }
  assert.ok(picked > 50 && picked < 300, `picked ${picked} of 300`);
});

test('an arrow key steps to the dot ahead that is least far ahead plus three times aside', () => {
  // From the origin: 0 is right and close, 1 right and far, 2 right but well aside, 3 left, 4 up.
  const xy = [0.5, 0.1, 2, 0, 0.3, 0.2, -1, 0, 0, 1];
  const labels = [0, 0, 0, 0, 0];
  assert.equal(stepFrom(xy, labels, 5, -1, ARROWS['ArrowRight']!, new Set()), 0); // costs 0.8, 2, 0.9
  assert.equal(stepFrom(xy, labels, 5, 0, ARROWS['ArrowRight']!, new Set()), 1); // from 0, only 1 is ahead
  assert.equal(stepFrom(xy, labels, 5, -1, ARROWS['ArrowLeft']!, new Set()), 3);
  assert.equal(stepFrom(xy, labels, 5, -1, ARROWS['ArrowUp']!, new Set()), 4); // 1 + 0 beats 0.2 + 0.9 and 0.1 + 1.5
  assert.equal(stepFrom(xy, labels, 5, 1, ARROWS['ArrowRight']!, new Set()), -1); // nothing beyond the rightmost
  assert.equal(stepFrom(xy, [1, 0, 0, 0, 0], 5, -1, ARROWS['ArrowRight']!, new Set([1])), 2); // a hidden class is skipped
  assert.equal(ARROWS['Enter'], undefined);
});

test('2-D codes are drawn as they are; longer ones along their principal plane, with its share of the variance', () => {
  const mu2 = new Float32Array([1, 2, 3, 4]);
  const flat = scatterPlane({ count: 2, dims: 2, mu: mu2, labels: new Uint8Array(2) });
  assert.equal(flat.xy, mu2);
  assert.equal(flat.note, '');
  // 3-D codes at (±3, ±2, ±1), every sign pattern alike: mean 0, variances 9, 4 and 1 along the
  // axes, so the plane is the first two axes and holds 13 / 14 of the variance.
  const count = 4000;
  const mu = new Float32Array(3 * count);
  const signs = (i: number) => [i & 1 ? -1 : 1, i & 2 ? -1 : 1, i & 4 ? -1 : 1] as const;
  for (let i = 0; i < count; i++) {
    const [a, b, c] = signs(i);
    [mu[3 * i], mu[3 * i + 1], mu[3 * i + 2]] = [3 * a, 2 * b, c];
  }
  const deep = scatterPlane({ count, dims: 3, mu, labels: new Uint8Array(count) });
  assert.equal(deep.xy.length, 2 * count);
  assert.equal(deep.note, ' The 3-D codes are drawn along their two principal directions, which hold 93 % of their variance.');
  // Each code sits at its own (±3, ±2) in the plane, up to the sign of each direction.
  const [f1, f2] = [Math.sign(deep.xy[0]!), Math.sign(deep.xy[1]!)];
  for (let i = 0; i < 16; i++) {
    const [a, b] = signs(i);
    close(deep.xy[2 * i]!, 3 * a * f1, `first coordinate of ${i}`, 1e-5);
    close(deep.xy[2 * i + 1]!, 2 * b * f2, `second coordinate of ${i}`, 1e-5);
  }
});

test('the readout names the image and its code, or the code’s length for longer codes', () => {
  assert.equal(readoutText(42, '7', [0.123, -1.5]), 'Test image #42: 7, μ = (0.12, -1.50)');
  assert.equal(readoutText(3, 'Bag', [3, 0, 4, 0]), 'Test image #3: Bag, ‖μ‖ = 5.00');
});

test('the status lines count the images with a thousands separator', () => {
  assert.equal(drawnStatus(10000, 37, ''), '10,000 test images, drawn 37 ms after this figure came into view, before TensorFlow.js has loaded.');
  assert.equal(decodedStatus(10000, ' Note.'), '10,000 test images. The chosen image’s code is decoded live. Note.');
});
