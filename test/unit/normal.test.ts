/**
 * The standard normal's Φ and Φ⁻¹ against published values (computed to 50 digits with mpmath
 * and with SciPy's ndtri), round trips Φ(Φ⁻¹(p)) = p from the far tails to the centre, and the
 * inverse-CDF grid of the manifold: equal prior mass in every cell.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { manifoldCodes } from '../../src/vae/manifold.ts';
import { cellPriorMass, gridAxis, planeCoordinate, planeFraction } from '../../src/vae/manifold-grid.ts';
import { normalCdf, normalPdf, normalQuantile } from '../../src/vae/normal.ts';
import { assertClose } from './helpers.ts';

const relClose = (actual: number, expected: number, tol: number, what: string) =>
  assertClose(actual / expected, 1, tol, `${what} (relative)`);

describe('Φ, the standard normal CDF', () => {
  test('matches known values, keeping its relative accuracy deep in the lower tail', () => {
    const known: [number, number][] = [
      [-10, 7.619853024160525e-24],
      [-5, 2.866515718791939e-7],
      [-3, 0.0013498980316300946],
      [-2, 0.02275013194817921],
      [-1.5, 0.0668072012688581],
      [-1, 0.15865525393145705],
      [-0.5, 0.3085375387259869],
      [1, 0.8413447460685429],
      [1.959963984540054, 0.975],
    ];
    for (const [x, p] of known) relClose(normalCdf(x), p, 1e-13, `Φ(${x})`);
    assert.equal(normalCdf(0), 0.5);
    assert.equal(normalCdf(-Infinity), 0);
    assert.equal(normalCdf(Infinity), 1);
    assert.ok(Number.isNaN(normalCdf(NaN)));
  });

  test('is symmetric, Φ(−x) = 1 − Φ(x), and increasing', () => {
    let previous = 0;
    for (let x = -8; x <= 8; x += 0.01) {
      assertClose(normalCdf(-x), 1 - normalCdf(x), 2e-16, `symmetry at ${x}`);
      assert.ok(normalCdf(x) >= previous, `Φ increases at ${x}`);
      previous = normalCdf(x);
    }
  });

  test('its slope is the density φ', () => {
    for (const x of [-4, -2.5, -1, 0, 0.7, 2, 3.5]) {
      const h = 1e-5;
      assertClose((normalCdf(x + h) - normalCdf(x - h)) / (2 * h), normalPdf(x), 1e-9, `Φ'(${x})`);
    }
  });
});

describe('Φ⁻¹, the inverse CDF', () => {
  test('gives the familiar quantiles', () => {
    const known: [number, number][] = [
      [0.975, 1.959963984540054],
      [0.9, 1.2815515655446004],
      [0.99, 2.3263478740408408],
      [0.999, 3.090232306167813],
      [0.025, -1.959963984540054],
      [1e-10, -6.361340902404056],
      [0.8413447460685429, 1],
    ];
    for (const [p, z] of known) assertClose(normalQuantile(p), z, 1e-14 * Math.max(1, Math.abs(z)), `Φ⁻¹(${p})`);
    assert.equal(normalQuantile(0.5), 0);
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    for (const bad of [-0.1, 1.5, NaN]) assert.ok(Number.isNaN(normalQuantile(bad)), `Φ⁻¹(${bad}) is NaN`);
  });

  test('round trips: Φ(Φ⁻¹(p)) = p from 10⁻³⁰⁰ to the centre, on both sides of ½', () => {
    const ps: number[] = [];
    for (let k = 1; k <= 300; k += 7) ps.push(10 ** -k);
    for (let i = 1; i < 1000; i++) ps.push(i / 1000);
    for (const p of ps) {
      const back = normalCdf(normalQuantile(p));
      // Relative to the smaller tail, where the digits are: p itself, or 1 − p above ½.
      const tail = Math.min(p, 1 - p);
      assertClose((back - p) / tail, 0, 1e-12, `Φ(Φ⁻¹(${p}))`);
    }
  });

  test('round trips the other way: Φ⁻¹(Φ(x)) = x, as far as a double near 1 can hold Φ(x)', () => {
    for (let x = -30; x <= 0; x += 0.125) assertClose(normalQuantile(normalCdf(x)), x, 1e-12 * Math.max(1, x * x), `Φ⁻¹(Φ(${x}))`);
    // Above 0, Φ(x) is stored to within 2⁻⁵³ of 1, which moves x by up to 2⁻⁵³/φ(x).
    for (let x = 0.125; x <= 7; x += 0.125) assertClose(normalQuantile(normalCdf(x)), x, 1e-12 + 2 ** -53 / normalPdf(x), `Φ⁻¹(Φ(${x}))`);
  });
});

describe('the manifold grids', () => {
  test('the Gaussian grid puts its centres at Φ⁻¹((j + ½)/n), symmetric about 0', () => {
    const axis = gridAxis(15, 3, 'gaussian');
    assert.equal(axis.length, 15);
    assert.equal(axis[7], 0);
    assertClose(axis[0]!, normalQuantile(0.5 / 15), 1e-15, 'first centre');
    for (let j = 0; j < 15; j++) assertClose(axis[j]!, -axis[14 - j]!, 1e-15, `symmetry of centre ${j}`);
    assert.deepEqual(gridAxis(3, 3, 'linear'), [-2, 0, 2]);
  });

  test('manifoldCodes lays the centres out row by row from the top, on either grid', () => {
    const axis = gridAxis(4, 3, 'gaussian');
    const z = manifoldCodes(4, 3, 'gaussian');
    assert.equal(z.length, 32);
    // Top-left cell: smallest z₁, largest z₂; bottom-right: the reverse.
    assert.deepEqual([z[0], z[1]], [Math.fround(axis[0]!), Math.fround(axis[3]!)]);
    assert.deepEqual([z[30], z[31]], [Math.fround(axis[3]!), Math.fround(axis[0]!)]);
    assert.deepEqual(Array.from(manifoldCodes(3, 3)), Array.from(manifoldCodes(3, 3, 'linear')));
    assert.deepEqual(Array.from(manifoldCodes(3, 3)).slice(0, 2), [-2, 2]);
  });

  test('every cell of the Gaussian grid holds prior mass 1/n²; on the linear grid the corners hold far less than the centre', () => {
    for (const j of [0, 3, 7, 14]) {
      for (const k of [0, 9, 14]) {
        const axis = gridAxis(15, 3, 'gaussian');
        assertClose(cellPriorMass([axis[j]!, axis[k]!], 15, 3, 'gaussian'), 1 / 225, 1e-15, `cell (${j}, ${k})`);
      }
    }
    const centre = cellPriorMass([0, 0], 15, 3, 'linear');
    const corner = cellPriorMass([2.9, -2.9], 15, 3, 'linear');
    // (Φ(0.2) − Φ(−0.2))² and (Φ(3) − Φ(2.6))².
    assertClose(centre, (normalCdf(0.2) - normalCdf(-0.2)) ** 2, 1e-15, 'centre cell');
    relClose(corner, (normalCdf(-2.6) - normalCdf(-3)) ** 2, 1e-12, 'corner cell');
    assert.ok(centre / corner > 1000, `centre/corner = ${centre / corner}`);
    // The 225 linear cells cover [−3, 3]², whose mass is (Φ(3) − Φ(−3))².
    const axis = gridAxis(15, 3, 'linear');
    let total = 0;
    for (const x of axis) for (const y of axis) total += cellPriorMass([x, y], 15, 3, 'linear');
    assertClose(total, (normalCdf(3) - normalCdf(-3)) ** 2, 1e-14, 'linear cells in total');
  });

  test('planeFraction and planeCoordinate invert each other on both grids', () => {
    for (const grid of ['linear', 'gaussian'] as const) {
      for (const f of [0.001, 0.1, 0.5, 0.77, 0.999]) assertClose(planeFraction(planeCoordinate(f, 3, grid), 3, grid), f, 1e-14, `${grid} at ${f}`);
    }
    assert.equal(planeFraction(0, 3, 'gaussian'), 0.5);
    assert.equal(planeFraction(-3, 3, 'linear'), 0);
  });
});
