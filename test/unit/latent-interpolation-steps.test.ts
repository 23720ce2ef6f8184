/**
 * The interpolation figure's arithmetic: steps and t, the step under a pointer on a strip and the
 * mark over it, the code at a step of each path (against lerp and slerp themselves), which end a
 * drag takes, stepping through a class's test images, and the pair and t of a shared link.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classLists, codeAt, linkState, markPlace, nearerEnd, stepAtFraction, stepInClass, stepOfT, tOfStep, tText } from '../../src/components/figures/latent-interpolation-steps.ts';
import { lerp, slerp } from '../../src/vae/interpolate.ts';
import { gaussianSampler, uniformSampler } from './helpers.ts';

test('t runs from 0 to 1 in steps − 1 equal steps, and stepOfT finds the step back', () => {
  assert.equal(tOfStep(0, 11), 0);
  assert.equal(tOfStep(5, 11), 0.5);
  assert.equal(tOfStep(10, 11), 1);
  for (const steps of [3, 7, 11, 21]) {
    for (let k = 0; k < steps; k++) assert.equal(stepOfT(tOfStep(k, steps), steps), k);
  }
  assert.equal(stepOfT(0.04, 11), 0);
  assert.equal(stepOfT(0.06, 11), 1);
});

test('tText gives t to at most four decimals without trailing zeros', () => {
  assert.equal(tText(tOfStep(6, 11)), '0.6');
  assert.equal(tText(1), '1');
  assert.equal(tText(0), '0');
  assert.equal(tText(tOfStep(1, 7)), '0.1667');
});

test('a pointer on a strip picks the digit under it, and the mark over that digit covers the pointer', () => {
  assert.equal(stepAtFraction(2.5 / 11, 11), 2);
  assert.equal(stepAtFraction(7.5 / 11, 11), 7);
  assert.equal(stepAtFraction(0, 11), 0);
  // Past either end of the strip (a drag that left it) the end digits stay picked.
  assert.equal(stepAtFraction(-0.2, 11), 0);
  assert.equal(stepAtFraction(1, 11), 10);
  assert.equal(stepAtFraction(1.3, 11), 10);
  assert.deepEqual(markPlace(2, 10), { left: 20, width: 10 });
  const next = uniformSampler(5);
  for (let i = 0; i < 500; i++) {
    const steps = 3 + Math.floor(20 * next());
    const f = next();
    const { left, width } = markPlace(stepAtFraction(f, steps), steps);
    assert.ok(left / 100 <= f + 1e-12 && f < (left + width) / 100 + 1e-12, `fraction ${f} of ${steps} digits`);
  }
});

test('codeAt is lerp and slerp at t = k / (steps − 1), in float32, in any dimension', () => {
  const next = gaussianSampler(8);
  for (const d of [2, 3, 16]) {
    const a = Array.from({ length: d }, next);
    const b = Array.from({ length: d }, next);
    for (const steps of [3, 11]) {
      for (let k = 0; k < steps; k++) {
        const t = k / (steps - 1);
        assert.deepEqual(codeAt('linear', a, b, steps, k), Float32Array.from(lerp(a, b, t)), `linear, d = ${d}, step ${k}`);
        assert.deepEqual(codeAt('spherical', a, b, steps, k), Float32Array.from(slerp(a, b, t)), `spherical, d = ${d}, step ${k}`);
      }
    }
  }
  // By hand: a fifth of the way from (0, 0) to (5, −10).
  assert.deepEqual(codeAt('linear', [0, 0], [5, -10], 6, 1), Float32Array.of(1, -2));
});

test('a drag takes the end nearer the pointer, A on a tie', () => {
  assert.equal(nearerEnd([0, 0], [2, 0], 0.9, 3), 'a');
  assert.equal(nearerEnd([0, 0], [2, 0], 1.1, -3), 'b');
  assert.equal(nearerEnd([0, 0], [2, 0], 1, 5), 'a');
  assert.equal(nearerEnd([-1, 1], [1, -1], 0.5, -0.4), 'b');
});

test('classLists lists each class’s test images in order, with empty lists for absent classes', () => {
  const lists = classLists([3, 1, 3, 0, 1, 9], 10);
  assert.equal(lists.length, 10);
  assert.deepEqual(lists[0], [3]);
  assert.deepEqual(lists[1], [1, 4]);
  assert.deepEqual(lists[2], []);
  assert.deepEqual(lists[3], [0, 2]);
  assert.deepEqual(lists[9], [5]);
  // Every image is in its own class's list, exactly once.
  const labels = Array.from({ length: 300 }, (_, i) => (i * 7) % 10);
  const all = classLists(labels);
  assert.equal(all.flat().length, labels.length);
  all.forEach((list, c) => list.forEach((i) => assert.equal(labels[i], c)));
});

test('stepping within a class moves to the neighbouring image and wraps round at both ends', () => {
  const list = [4, 9, 17, 30];
  assert.equal(stepInClass(list, 9, 1), 17);
  assert.equal(stepInClass(list, 9, -1), 4);
  assert.equal(stepInClass(list, 30, 1), 4);
  assert.equal(stepInClass(list, 4, -1), 30);
  assert.equal(stepInClass([12], 12, 1), 12);
});

test('a link’s pair and t are read, or clamped or replaced with a note for each', () => {
  const defaults = { a: 0, b: 3, t: 0.5 };
  const reader = (query: Record<string, string>) => (name: string) => query[name];
  assert.deepEqual(linkState(reader({}), 9999, 11, defaults), { pick: { a: 0, b: 3 }, step: 5, notes: [] });
  assert.deepEqual(linkState(reader({ a: '17', b: '42', t: '0.3' }), 9999, 11, defaults), { pick: { a: 17, b: 42 }, step: 3, notes: [] });
  const bad = linkState(reader({ a: '99999', b: 'abc', t: '7' }), 9999, 11, defaults);
  assert.deepEqual(bad.pick, { a: 9999, b: 3 });
  assert.equal(bad.step, 10);
  assert.equal(bad.notes.length, 3);
  assert.match(bad.notes[0]!, /test image A 99999, outside 0 to 9999; showing 9999/);
  assert.match(bad.notes[1]!, /test image B "abc", which is not a number; showing 3/);
  assert.match(bad.notes[2]!, /t 7, outside 0 to 1; showing 1/);
  const between = linkState(reader({ t: '0.33' }), 9999, 11, defaults);
  assert.equal(between.step, 3);
  assert.match(between.notes[0]!, /between the steps/);
});
