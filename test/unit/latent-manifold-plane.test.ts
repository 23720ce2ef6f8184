/**
 * The latent manifold's plane: the code under a pointer on either grid, the ring's key steps,
 * clamping and place, and the words it shows (hand-checked values, Φ from tables).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendSentence, codeAt, keyMove, massText, pointerCode, readoutText, ringCode, ringPlace, ringText, type Code } from '../../src/components/figures/latent-manifold-plane.ts';

/** Φ(0.5), Φ(1), Φ(1.5), from a table of the standard normal distribution. */
const PHI_05 = 0.6914624612740131;
const PHI_1 = 0.8413447460685429;
const PHI_15 = 0.9331927987311419;

const close = (actual: readonly number[], expected: readonly number[], tolerance = 1e-9) =>
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tolerance, `${v} vs ${expected[i]} (coordinate ${i})`));

test('codeAt maps the linear plane: left to right is z₁ from −range to range, top to bottom z₂ from range to −range', () => {
  close(codeAt(0.5, 0.5, 3, 'linear'), [0, 0]);
  close(codeAt(0, 0, 3, 'linear'), [-3, 3]);
  close(codeAt(1, 1, 3, 'linear'), [3, -3]);
  // 80 % across and 25 % down a ±3 plane.
  close(codeAt(0.8, 0.25, 3, 'linear'), [1.8, 1.5]);
  // A pointer dragged past the plane's edge stays on it.
  close(codeAt(-0.5, 1.5, 3, 'linear'), [-3, -3]);
});

test('codeAt on the Gaussian plane is Φ⁻¹ of the fraction across and of one minus the fraction down', () => {
  close(codeAt(PHI_1, 1 - PHI_05, 3, 'gaussian'), [1, 0.5], 1e-6);
  close(codeAt(0.5, 0.5, 3, 'gaussian'), [0, 0], 1e-9);
  // Its edges are infinitely far; the ring stops at the plane's range.
  const [x, y] = codeAt(1, 1, 3, 'gaussian');
  assert.equal(x, Infinity);
  assert.equal(y, -Infinity);
  assert.deepEqual(ringCode(x, y, 3), [3, -3]);
});

test('pointerCode measures from the plane’s box on screen', () => {
  const box = { left: 100, top: 50, width: 200, height: 400 };
  close(pointerCode(260, 150, box, 3, 'linear'), [1.8, 1.5]);
  close(pointerCode(200, 250, box, 3, 'linear'), [0, 0]);
  close(pointerCode(0, 1000, box, 3, 'linear'), [-3, -3]);
});

test('ringCode clamps each coordinate into the plane and rounds it to two decimals', () => {
  assert.deepEqual(ringCode(0.1 + 0.1 + 0.1, 0.6000000000000001, 3), [0.3, 0.6]);
  assert.deepEqual(ringCode(3.456, -9, 3), [3, -3]);
  assert.deepEqual(ringCode(1.234567, -1.2349, 3), [1.23, -1.23]);
  assert.deepEqual(ringCode(-4.2, 4.2, 4), [-4, 4]);
});

test('the arrow keys step 0.1 (0.5 with Shift), Home goes to the origin, other keys do nothing', () => {
  assert.deepEqual(keyMove('ArrowRight', false, [0, 0]), [0.1, 0]);
  assert.deepEqual(keyMove('ArrowLeft', true, [0, 0]), [-0.5, 0]);
  assert.deepEqual(keyMove('ArrowUp', false, [1, 1]), [1, 1.1]);
  assert.deepEqual(keyMove('ArrowDown', true, [1, 1]), [1, 0.5]);
  assert.deepEqual(keyMove('Home', false, [2, -1]), [0, 0]);
  assert.equal(keyMove('Enter', false, [2, -1]), undefined);
  assert.equal(keyMove('a', true, [0, 0]), undefined);
  // Three steps right, one up and one Shift-step up, as the ring holds them.
  let z: Code = [0, 0];
  const press = (key: string, shift = false) => (z = ringCode(...keyMove(key, shift, z)!, 3));
  for (let i = 0; i < 3; i++) press('ArrowRight');
  press('ArrowUp');
  press('ArrowUp', true);
  assert.deepEqual(z, [0.3, 0.6]);
  // Ten Shift-steps left run into the edge of a ±3 plane.
  for (let i = 0; i < 10; i++) press('ArrowLeft', true);
  assert.deepEqual(z, [-3, 0.6]);
});

test('ringPlace puts the ring where its code lies, in percent from the left and from the top', () => {
  close(Object.values(ringPlace([1.5, -1.5], 3, 'linear')), [75, 75]);
  close(Object.values(ringPlace([-3, 3], 3, 'linear')), [0, 0]);
  close(Object.values(ringPlace([1, 0], 3, 'gaussian')), [100 * PHI_1, 50], 1e-6);
  close(Object.values(ringPlace([1.5, 1], 3, 'gaussian')), [100 * PHI_15, 100 * (1 - PHI_1)], 1e-6);
  // Placing the ring where a pointer put it lands it under the pointer.
  for (const grid of ['linear', 'gaussian'] as const) {
    const place = ringPlace(codeAt(0.3, 0.9, 3, grid), 3, grid);
    close([place.left, place.top], [30, 90], 1e-6);
  }
});

test('the ring’s value and the readout print two decimals', () => {
  assert.equal(ringText([0.3, 0.6]), 'z₁ = 0.30, z₂ = 0.60');
  assert.equal(ringText([-3, 0]), 'z₁ = -3.00, z₂ = 0.00');
  assert.equal(readoutText([1.5, -0.4]), 'z = (1.50, -0.40)');
});

test('massText gives the prior mass of the cell under the ring, and Φ(z) on the Gaussian grid', () => {
  // Gaussian grid: every one of the 15 × 15 cells holds 1/225 of the mass.
  assert.equal(massText([1.5, 1], 15, 3, 'gaussian'), 'Φ(z) = (0.933, 0.841). The cell under the ring holds 0.44\u00a0% of the prior’s mass.');
  // Linear grid, centre cell [−0.2, 0.2]²: (Φ(0.2) − Φ(−0.2))² = 0.1585194² = 2.513 %.
  assert.equal(massText([0, 0], 15, 3, 'linear'), 'The cell under the ring holds 2.51\u00a0% of the prior’s mass.');
  // Corner cell [2.6, 3]²: (Φ(3) − Φ(2.6))² = 0.0033113² = 0.0011 %, given to two significant digits.
  assert.equal(massText([2.9, 2.9], 15, 3, 'linear'), 'The cell under the ring holds 0.0011\u00a0% of the prior’s mass.');
});

test('backendSentence says which backend decodes and why', () => {
  assert.equal(backendSentence('wasm (SIMD, 2 threads)', 'measured', 'wasm 1.2 ms per digit, cpu 40 ms per digit'), 'Decoding live in your browser on TF.js wasm (SIMD, 2 threads), measured fastest here (wasm 1.2 ms per digit, cpu 40 ms per digit).');
  assert.equal(backendSentence('webgl', 'remembered'), 'Decoding live in your browser on TF.js webgl, measured fastest on this device before.');
  assert.equal(backendSentence('cpu', 'your choice'), 'Decoding live in your browser on TF.js cpu, as you chose.');
  assert.equal(backendSentence('wasm', 'only', 'webgl: software rendering (ANGLE), cpu: not timed'), 'Decoding live in your browser on TF.js wasm, the one fast backend here (webgl: software rendering (ANGLE), cpu: not timed).');
  // A measurement that failed to report leaves only the choice to speak of.
  assert.equal(backendSentence('wasm', 'measured'), 'Decoding live in your browser on TF.js wasm, as you chose.');
});
