/**
 * The posterior figure's words and numbers: the test image a link asks for, the odds to two
 * significant figures, the ellipse's shape, the classes around μ in the close-up, and the true
 * posterior's spread and summary.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classesNear, ellipseShape, imageFromLink, neighboursText, roundish, spreadOf, truthText } from '../../src/components/figures/posterior-ellipse-readout.ts';
import { assertClose, uniformSampler } from './helpers.ts';

test('a link’s test image in range is taken; none gives the fallback, both without a note', () => {
  assert.deepEqual(imageFromLink('42', 10_000, 0), { value: 42 });
  assert.deepEqual(imageFromLink('0', 10_000, 5), { value: 0 });
  assert.deepEqual(imageFromLink(undefined, 10_000, 5), { value: 5 });
});

test('a link’s number out of range goes to the nearest test image, and one between images is rounded, each with a note', () => {
  const high = imageFromLink('12345', 10_000, 0);
  assert.equal(high.value, 9999);
  assert.equal(high.note, 'The link asks for test image 12345, but the test images are numbered 0 to 9,999; showing 9999, the nearest.');
  const low = imageFromLink('-3', 10_000, 7);
  assert.equal(low.value, 0);
  assert.match(low.note!, /showing 0, the nearest/);
  const between = imageFromLink('2.6', 10_000, 0);
  assert.equal(between.value, 3);
  assert.match(between.note!, /test image 2\.6/);
});

test('a link’s value that is not a number gives the fallback, with a note naming the range', () => {
  for (const raw of ['seven', '', ' ', 'NaN', 'Infinity']) {
    const p = imageFromLink(raw, 10_000, 0);
    assert.equal(p.value, 0, raw);
    assert.match(p.note!, /must be a whole number from 0 to 9999/, raw);
  }
});

test('roundish keeps two significant figures from 100 up, and whole numbers below', () => {
  assert.equal(roundish(1276), 'about 1,300');
  assert.equal(roundish(57.4), 'about 57');
  assert.equal(roundish(99.4), 'about 99');
  assert.equal(roundish(100), 'about 100');
  assert.equal(roundish(123_456), 'about 120,000');
  // Against toPrecision(2), an independent rounding to two significant figures.
  const next = uniformSampler(4);
  for (let k = 0; k < 500; k++) {
    const n = 10 ** (2 + 6 * next());
    assert.equal(roundish(n), `about ${Number(n.toPrecision(2)).toLocaleString('en')}`, String(n));
  }
});

test('ellipseShape says which axis is longer once one is 20 % longer than the other', () => {
  assert.equal(ellipseShape(0.1, 0.05), 'wider than tall');
  assert.equal(ellipseShape(0.05, 0.1), 'taller than wide');
  assert.equal(ellipseShape(0.1, 0.11), 'close to a circle');
  assert.equal(ellipseShape(1.2, 1), 'close to a circle');
  assert.equal(ellipseShape(1.21, 1), 'wider than tall');
});

test('classesNear counts the codes strictly inside the close-up, leaves out the chosen one, and keeps the top three', () => {
  // Around μ = (0, 0) with half-width 1.
  const codes: [number, number, number][] = [
    [0, 0, 7], // 0: the chosen image itself
    [0.5, 0.5, 1],
    [-0.9, 0.2, 1],
    [0.1, -0.3, 2],
    [0.99, -0.99, 1],
    [1, 0, 3], // on the edge: outside
    [0, -1.5, 3], // outside
    [0.2, 0.2, 4],
    [-0.2, 0.8, 2],
    [0.3, 0.3, 5],
    [-0.4, -0.4, 4],
    [0.6, -0.6, 4],
  ];
  const points = { count: codes.length, mu: codes.flatMap(([x, y]) => [x, y]), labels: codes.map(([, , c]) => c) };
  assert.deepEqual(classesNear(points, [0, 0], 1, 0), [
    [1, 3],
    [4, 3],
    [2, 2],
  ]);
  // Leaving out another image counts the chosen one.
  assert.deepEqual(classesNear(points, [0, 0], 0.25, 3), [
    [7, 1],
    [4, 1],
  ]);
  assert.deepEqual(classesNear(points, [5, 5], 0.5, 0), []);
});

test('neighboursText lists the classes by name with their counts, or says there are none', () => {
  const name = (c: number) => ['zero', 'one', 'two'][c] ?? String(c);
  assert.equal(
    neighboursText(
      [
        [1, 12],
        [2, 3],
      ],
      name,
    ),
    'test images of class one (12), two (3) in the close-up',
  );
  assert.equal(neighboursText([], name), 'no other test images in the close-up');
});

test('spreadOf recovers the standard deviations and the correlation a covariance was built from', () => {
  const [s1, s2, r] = [0.2, 0.05, -0.6];
  const { sd, r: back } = spreadOf([s1 * s1, r * s1 * s2, s2 * s2]);
  assertClose(sd[0], s1, 1e-12);
  assertClose(sd[1], s2, 1e-12);
  assertClose(back, r, 1e-12);
});

test('truthText reports the grid’s mean, spread, evidence and KL, and warns only when the grid’s edge holds mass', () => {
  const summary = { mean: [0.1234, -2.5] as const, cov: [0.0004, 0.00001, 0.0001] as const, logEvidence: -98.76, edgeMass: 0, kl: 0.4567, decoded: 4096, seconds: 1.26 };
  const text = truthText(summary);
  assert.equal(
    text,
    'True posterior from 4,096 decoder passes (1.3 s): its mean is (0.123, -2.500), its standard deviations (0.020, 0.010), correlation 0.05. ' +
      '−log p_θ(x) ≈ 98.8 nats, and KL(q ‖ p_θ(z|x)) ≈ 0.46 nats: the loss 𝓛(x) exceeds −log p_θ(x) by that much for this digit.',
  );
  assert.match(truthText({ ...summary, edgeMass: 0.034 }), / \(3 % of the posterior lies at the grid’s edge, so these numbers are rough\.\)$/);
  assert.doesNotMatch(truthText({ ...summary, edgeMass: 0.01 }), /grid’s edge/);
});
