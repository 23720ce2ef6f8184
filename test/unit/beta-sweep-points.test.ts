/**
 * The β sweep's pure parts: the stop a link picks, the readout, the line of slope −β clipped to
 * the plot, the shared square of the codes, and the first test digit of each class.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codePixel, firstOfEachClass, linkedStop, quantileAbs, readoutText, sharedRange, tangentLine } from '../../src/components/figures/beta-sweep-points.ts';

const stops = [0.5, 1, 2, 4, 8].map((beta) => ({ beta }));

test('linkedStop finds the stop whose β the link names, and otherwise keeps the first stop and says why', () => {
  assert.deepEqual(linkedStop(stops, undefined, 1), { index: 1 });
  assert.deepEqual(linkedStop(stops, '4', 1), { index: 3 });
  assert.deepEqual(linkedStop(stops, ' 0.5 ', 1), { index: 0 });
  assert.deepEqual(linkedStop(stops, '3', 1), { index: 1, note: 'The link asks for β = "3", but the models here have β = 0.5, 1, 2, 4, 8; showing β = 1.' });
  // β is matched as written: "4.0" is not how the page writes β = 4.
  assert.equal(linkedStop(stops, '4.0', 2).index, 2);
});

test('readoutText gives the rate, distortion and IWAE bound to two decimals', () => {
  assert.equal(
    readoutText({ beta: 2, rate: 5.1234, distortion: 140.006, active: 2, iwae: 143.999 }),
    'β = 2: rate 5.12, distortion 140.01 nats; 2 of 2 latent units active; IWAE bound 144.00.',
  );
});

test('tangentLine is the line of slope −β through the model, cut at the edges of the plot', () => {
  // β = 2 through (R, D) = (10, 100): D = 120 − 2R, from the left edge (R = 0) to the bottom (D = 80).
  assert.deepEqual(tangentLine({ beta: 2, rate: 10, distortion: 100 }, [0, 20], [80, 130]), [0, 120, 20, 80]);
  // β = 8: D = 180 − 8R enters at the top (D = 130, R = 6.25) and leaves at the bottom (D = 80, R = 12.5).
  assert.deepEqual(tangentLine({ beta: 8, rate: 10, distortion: 100 }, [0, 20], [80, 130]), [6.25, 130, 12.5, 80]);
  // A shallow line leaves by the right edge.
  assert.deepEqual(tangentLine({ beta: 0.5, rate: 10, distortion: 100 }, [0, 20], [80, 130]), [0, 105, 20, 95]);
  for (const p of [
    { beta: 0.5, rate: 7.3, distortion: 131.2 },
    { beta: 4, rate: 3.1, distortion: 150.4 },
  ]) {
    const [r1, d1, r2, d2] = tangentLine(p, [0, 12], [120, 170]);
    assert.ok(Math.abs((d2 - d1) / (r2 - r1) + p.beta) < 1e-12, 'slope −β');
    assert.ok(Math.abs(d1 + p.beta * r1 - (p.distortion + p.beta * p.rate)) < 1e-12, 'through the model');
    for (const [r, d] of [[r1, d1], [r2, d2]] as const) assert.ok(r >= 0 && r <= 12 && d >= 120 - 1e-12 && d <= 170 + 1e-12, `(${r}, ${d}) inside the plot`);
  }
});

test('quantileAbs is the q-quantile of the absolute values', () => {
  const v = Float32Array.from([-5, 1, -2, 3, 4]);
  assert.equal(quantileAbs(v, 0), 1);
  assert.equal(quantileAbs(v, 0.5), 3);
  assert.equal(quantileAbs(v, 0.999), 5);
  assert.equal(quantileAbs(v, 1), 5);
  // 1 … 1000 with alternating signs: 99.9 % of them lie within 1000, half within 501.
  const many = Float32Array.from({ length: 1000 }, (_, i) => (i % 2 ? -(i + 1) : i + 1));
  assert.equal(quantileAbs(many, 0.999), 1000);
  assert.equal(quantileAbs(many, 0.5), 501);
});

test('sharedRange is the whole half-width that holds 99.9 % of every model’s codes', () => {
  const tight = Float32Array.from({ length: 2000 }, (_, i) => (i / 2000) * 1.2 - 0.6);
  const wide = Float32Array.from({ length: 2000 }, (_, i) => (i / 2000) * 4.6 - 2.3);
  assert.equal(sharedRange([tight]), 1);
  assert.equal(sharedRange([tight, wide]), 3);
  assert.equal(sharedRange([Float32Array.from([2, -2, 1, -1])]), 2);
});

test('firstOfEachClass finds the first index of each label, −1 where a class is missing', () => {
  assert.deepEqual(firstOfEachClass(Uint8Array.from([3, 1, 3, 0, 2, 1]), 4), [3, 1, 4, 0]);
  assert.deepEqual(firstOfEachClass(Uint8Array.from([0, 0, 2]), 3), [0, -1, 2]);
  assert.equal(firstOfEachClass(new Uint8Array(0)).length, 10);
});

test('codePixel maps [−range, range] across the canvas', () => {
  assert.deepEqual([-4, -2, 0, 2, 4].map((v) => codePixel(v, 4, 240)), [0, 60, 120, 180, 240]);
});
