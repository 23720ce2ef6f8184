/**
 * Linear and spherical interpolation between latent codes: exact endpoints; slerp equals the
 * textbook formula when |a| = |b|, keeps that norm and halves the angle at t = ½; with unequal
 * norms its norm moves linearly where the textbook formula balloons; and the degenerate cases (a
 * zero code, Ω ≈ 0, opposite directions) stay finite and end where they should.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { angleBetween, lerp, norm, pathCodes, slerp } from '../../src/vae/interpolate.ts';
import { assertClose, gaussianSampler } from './helpers.ts';

const randomCode = (next: () => number, d: number) => Array.from({ length: d }, next);

/** The textbook formula, sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b, written out independently. */
function textbookSlerp(a: number[], b: number[], t: number): number[] {
  const omega = Math.acos(a.reduce((s, v, i) => s + v * b[i]!, 0) / (Math.hypot(...a) * Math.hypot(...b)));
  return a.map((v, i) => (Math.sin((1 - t) * omega) * v + Math.sin(t * omega) * b[i]!) / Math.sin(omega));
}

describe('lerp and slerp', () => {
  test('both start exactly at a and end exactly at b', () => {
    const next = gaussianSampler(3);
    for (const d of [2, 3, 16]) {
      for (let k = 0; k < 20; k++) {
        const a = randomCode(next, d);
        const b = randomCode(next, d);
        for (const f of [lerp, slerp]) {
          assert.deepEqual(f(a, b, 0), a);
          assert.deepEqual(f(a, b, 1), b);
        }
        const path = pathCodes('spherical', a, b, 11);
        assert.deepEqual(Array.from(path.subarray(0, d)), a.map(Math.fround));
        assert.deepEqual(Array.from(path.subarray(10 * d)), b.map(Math.fround));
      }
    }
  });

  test('lerp is the straight line: its midpoint is (a + b)/2', () => {
    assert.deepEqual(lerp([1, 2], [3, -2], 0.5), [2, 0]);
    assert.deepEqual(lerp([0, 0, 4], [0, 0, 0], 0.25), [0, 0, 3]);
  });

  test('with |a| = |b|, slerp keeps that norm for every t, where the linear midpoint falls short', () => {
    const next = gaussianSampler(7);
    for (const d of [2, 5, 64]) {
      const a = randomCode(next, d);
      const b0 = randomCode(next, d);
      const b = b0.map((v) => (v * norm(a)) / norm(b0));
      for (let t = 0; t <= 1; t += 0.05) assertClose(norm(slerp(a, b, t)), norm(a), 1e-12 * norm(a), `|slerp| at t = ${t}, d = ${d}`);
      // The chord's midpoint has norm |a| cos(Ω/2).
      assertClose(norm(lerp(a, b, 0.5)), norm(a) * Math.cos(angleBetween(a, b) / 2), 1e-12 * norm(a), `|lerp(½)|, d = ${d}`);
    }
  });

  test('with |a| = |b|, slerp is the textbook formula', () => {
    const next = gaussianSampler(5);
    for (const d of [2, 3, 32]) {
      for (let k = 0; k < 10; k++) {
        const a = randomCode(next, d);
        const b0 = randomCode(next, d);
        const b = b0.map((v) => (v * norm(a)) / norm(b0));
        for (const t of [0.1, 0.5, 0.8]) {
          const z = slerp(a, b, t);
          const ref = textbookSlerp(a, b, t);
          for (let i = 0; i < d; i++) assertClose(z[i]!, ref[i]!, 1e-12 * norm(a), `z(${t})[${i}], d = ${d}`);
        }
      }
    }
  });

  test('slerp at t = ½ is halfway in angle, and the angle grows linearly in t, for any norms', () => {
    const next = gaussianSampler(11);
    for (let k = 0; k < 20; k++) {
      const a = randomCode(next, 8);
      const b = randomCode(next, 8).map((v) => (k % 2 ? 3 * v : v));
      const omega = angleBetween(a, b);
      for (const t of [0.1, 0.25, 0.5, 0.9]) {
        const z = slerp(a, b, t);
        assertClose(angleBetween(a, z), t * omega, 1e-12, `angle(a, z(${t}))`);
        assertClose(angleBetween(z, b), (1 - t) * omega, 1e-12, `angle(z(${t}), b)`);
      }
    }
  });

  test('in the plane, checked by hand: between (1, 0) and (0, 2), z(½) has norm 1.5 at 45°', () => {
    const z = slerp([1, 0], [0, 2], 0.5);
    assertClose(z[0]!, 1.5 * Math.SQRT1_2, 1e-15, 'z₁');
    assertClose(z[1]!, 1.5 * Math.SQRT1_2, 1e-15, 'z₂');
    // On the unit circle it is the point at 30° for t = ⅓.
    const w = slerp([1, 0], [0, 1], 1 / 3);
    assertClose(w[0]!, Math.cos(Math.PI / 6), 1e-15, 'cos 30°');
    assertClose(w[1]!, Math.sin(Math.PI / 6), 1e-15, 'sin 30°');
  });

  test('with |a| ≠ |b| the norm moves linearly from |a| to |b|, where the textbook formula balloons near Ω = π', () => {
    // Two codes of norm 1.6 and 0.8, 179° apart.
    const deg = Math.PI / 180;
    const a = [1.6 * Math.cos(144 * deg), 1.6 * Math.sin(144 * deg)];
    const b = [0.8 * Math.cos(-35 * deg), 0.8 * Math.sin(-35 * deg)];
    // At t = ½ both weights are sin(Ω/2)/sin Ω = 1/(2 cos(Ω/2)), so the midpoint is (a + b)/(2 cos(Ω/2)).
    const mid = norm(textbookSlerp(a, b, 0.5));
    assertClose(mid, norm([a[0]! + b[0]!, a[1]! + b[1]!]) / (2 * Math.cos((179 * deg) / 2)), 1e-9, 'the closed form of the midpoint');
    assert.equal(Math.round(mid), 46, 'the norm the comment in interpolate.ts and chapter 6 quote');
    for (const t of [0.1, 0.5, 0.9]) assertClose(norm(slerp(a, b, t)), (1 - t) * 1.6 + t * 0.8, 1e-12, `|z(${t})|`);
  });

  test('angleBetween keeps its digits near 0 and π, where acos of the cosine cannot', () => {
    const tiny = 1e-9;
    assertClose(angleBetween([1, 0], [Math.cos(tiny), Math.sin(tiny)]), tiny, 1e-20, 'near 0');
    assertClose(angleBetween([1, 0], [-Math.cos(tiny), Math.sin(tiny)]), Math.PI - tiny, 1e-15, 'near π');
    assert.ok(Number.isNaN(angleBetween([0, 0], [1, 1])));
  });
});

describe('degenerate cases', () => {
  const finite = (z: number[]) => z.every(Number.isFinite);

  test('a zero code, or b a positive multiple of a (Ω = 0): slerp is the straight line', () => {
    for (const [a, b] of [
      [[0, 0], [1, 2]],
      [[1, 2], [0, 0]],
      [[0, 0], [0, 0]],
      [[1, 2], [2, 4]],
      [[1, 2], [1, 2]],
    ] as [number[], number[]][]) {
      for (const t of [0.1, 0.5, 0.75]) {
        const z = slerp(a, b, t);
        assert.ok(finite(z), `finite for ${a} → ${b}`);
        assert.deepEqual(z, lerp(a, b, t));
      }
    }
  });

  test('nearly parallel codes: slerp is finite and within rounding of the line', () => {
    const a = [1, 1e-13];
    const b = [3, 0];
    for (const t of [0.2, 0.5]) {
      const z = slerp(a, b, t);
      assert.ok(finite(z));
      assertClose(z[0]!, lerp(a, b, t)[0]!, 1e-12, 'z₁');
    }
  });

  test('opposite codes (Ω = π): a finite half-turn from a to b, at right angles halfway, norm moving linearly', () => {
    for (const [a, b] of [
      [[2, 0], [-1, 0]],
      [[1, 1, 1], [-3, -3, -3]],
      [[0.5, -2, 0, 1], [-0.5, 2, 0, -1]],
    ] as [number[], number[]][]) {
      assert.ok(Math.PI - angleBetween(a, b) < 1e-12);
      assert.deepEqual(slerp(a, b, 0), a);
      assert.deepEqual(slerp(a, b, 1), b);
      for (const t of [0.01, 0.3, 0.5, 0.99]) {
        const z = slerp(a, b, t);
        assert.ok(finite(z), `finite at t = ${t}`);
        assertClose(norm(z), (1 - t) * norm(a) + t * norm(b), 1e-12, `|z(${t})|`);
        assertClose(angleBetween(a, z), t * Math.PI, 1e-7, `angle(a, z(${t}))`);
      }
      const tail = slerp(a, b, 0.999999);
      for (let i = 0; i < a.length; i++) assertClose(tail[i]!, b[i]!, 1e-4, 'continuous at t → 1');
    }
  });

  test('nearly opposite codes still follow the formula, finite, with the norm kept', () => {
    const a = [1, 0];
    const b = [-1, 1e-4];
    const nb = b.map((v) => v / norm(b));
    for (const t of [0.25, 0.5, 0.75]) {
      const z = slerp(a, nb, t);
      assert.ok(finite(z));
      assertClose(norm(z), 1, 1e-9, `|z(${t})|`);
    }
  });

  test('pathCodes refuses fewer than two steps', () => {
    assert.throws(() => pathCodes('linear', [0, 0], [1, 1], 1), /at least 2 steps/);
  });
});
