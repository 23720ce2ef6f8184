/**
 * The posterior gap that chapter 2 quotes (evaluation.posteriorGap of mnist-conv-z2's
 * metrics.json): its summary follows from its per-image rows, counted here afresh; its named
 * images and the first images of its sample are measured again from the committed weights; and
 * the highest-density share at a point matches the closed form for a Gaussian.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { loadSplit, type ImageSet } from '../../src/vae/data.ts';
import { loadVae } from '../../src/vae/io.ts';
import { disposeVae, type Vae } from '../../src/vae/model.ts';
import { drawTestImages, hpdShareAt, posteriorGapOf, type PosteriorGap } from '../../src/vae/posterior-gap.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { cellCentres, gridPosterior } from '../../src/vae/true-posterior.ts';
import { tf, useWasm } from './helpers.ts';

const ID = 'mnist-conv-z2';
const gap = (JSON.parse(readFileSync(join(PUBLIC, 'weights', ID, 'metrics.json'), 'utf8')) as { evaluation?: { posteriorGap?: PosteriorGap } }).evaluation?.posteriorGap;
let vae: Vae;
let testSet: ImageSet;

before(async () => {
  await useWasm();
  vae = await loadVae(getSpec(ID), readPublic, `weights/${ID}`);
  testSet = await loadSplit(readPublic, 'data/mnist', 'test');
});

after(() => disposeVae(vae));

describe(`${ID}'s posterior gap in metrics.json`, () => {
  test('is there, for the sample chapter 2 describes', () => {
    assert.ok(gap, `${ID}/metrics.json has no evaluation.posteriorGap: run node scripts/posterior-gap.ts`);
    assert.equal(gap.draws.length, gap.images);
    assert.deepEqual(Object.keys(gap.examples), ['0', '3841', '8811']);
  });

  test('its summary is the count of its rows: the median KL and the shares in per cent', () => {
    const kls = gap!.draws.map((d) => d.kl).sort((a, b) => a - b);
    const n = kls.length;
    const median = n % 2 === 1 ? kls[(n - 1) / 2]! : (kls[n / 2 - 1]! + kls[n / 2]!) / 2;
    assert.equal(gap!.medianKl, median);
    let [below3, above10, offset2, corr05] = [0, 0, 0, 0];
    for (const d of gap!.draws) {
      if (d.kl < 3) below3++;
      if (d.kl > 10) above10++;
      if (d.offset > 2) offset2++;
      if (d.correlation > 0.5 || d.correlation < -0.5) corr05++;
    }
    assert.equal(gap!.percentKlBelow3, (100 * below3) / n);
    assert.equal(gap!.percentKlAbove10, (100 * above10) / n);
    assert.equal(gap!.percentOffsetAbove2, (100 * offset2) / n);
    assert.equal(gap!.percentAbsCorrAbove05, (100 * corr05) / n);
  });

  test('its sample is the one its seed draws, with the test set’s labels', () => {
    assert.deepEqual(
      gap!.draws.map((d) => d.image),
      drawTestImages(testSet.count, gap!.images, gap!.seed),
    );
    for (const d of [...gap!.draws, ...Object.values(gap!.examples)]) assert.equal(d.label, testSet.labels[d.image]);
  });

  test('its width ratios are the quotients of the widths it stores', () => {
    for (const e of Object.values(gap!.examples)) {
      assert.ok(Math.abs(e.widthRatios[0] - e.sigma[0] / e.trueSd[0]) < 1e-12);
      assert.ok(Math.abs(e.widthRatios[1] - e.sigma[1] / e.trueSd[1]) < 1e-12);
      assert.ok(Math.abs(e.widthRatio - Math.sqrt(e.widthRatios[0] * e.widthRatios[1])) < 1e-12);
    }
    const [a, b] = [gap!.examples['3841']!, gap!.examples['8811']!];
    const pair = gap!.widthRatio3841over8811!;
    assert.deepEqual(pair.axes, [a.sigma[0] / b.sigma[0], a.sigma[1] / b.sigma[1]]);
    assert.equal(pair.min, Math.min(...pair.axes));
    assert.equal(pair.max, Math.max(...pair.axes));
  });

  test('the committed weights give its named images and its first two draws again', async () => {
    const before = tf.memory().numTensors;
    for (const [key, stored] of Object.entries(gap!.examples)) {
      const again = await posteriorGapOf(vae, testSet, Number(key));
      assert.ok(Math.abs(again.kl - stored.kl) <= 0.05, `test image ${key}: KL ${again.kl}, metrics.json says ${stored.kl}`);
      for (const axis of [0, 1]) {
        assert.ok(Math.abs(again.sigma[axis]! / stored.sigma[axis]! - 1) < 1e-3, `test image ${key}: σ differs on axis ${axis + 1}`);
        assert.ok(Math.abs(again.widthRatios[axis]! / stored.widthRatios[axis]! - 1) < 0.01, `test image ${key}: width ratio differs on axis ${axis + 1}`);
      }
      assert.ok(Math.abs(again.muHpdShare - stored.muHpdShare) < 0.01);
    }
    for (const stored of gap!.draws.slice(0, 2)) {
      const again = await posteriorGapOf(vae, testSet, stored.image);
      assert.ok(Math.abs(again.kl - stored.kl) <= 0.05, `test image ${stored.image}: KL ${again.kl}, metrics.json says ${stored.kl}`);
      assert.ok(Math.abs(again.offset - stored.offset) <= 0.05);
      assert.ok(Math.abs(again.correlation - stored.correlation) <= 0.02);
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
});

describe('hpdShareAt', () => {
  test('for a Gaussian, is the mass inside the ellipse through the point: 1 − e^{−r²/2} at Mahalanobis distance r', () => {
    // N(m, C) with C = [[s1², ρ s1 s2], [ρ s1 s2, s2²]], put on a fine grid.
    const [m1, m2, s1, s2, rho] = [0.4, -0.3, 0.5, 0.8, 0.6];
    const box = { x0: m1 - 7 * s1, x1: m1 + 7 * s1, y0: m2 - 7 * s2, y1: m2 + 7 * s2 };
    const side = 400;
    const z = cellCentres(box, side);
    const logDensity = Float64Array.from({ length: side * side }, (_, k) => {
      const [a, b] = [(z[2 * k]! - m1) / s1, (z[2 * k + 1]! - m2) / s2];
      return -(a * a - 2 * rho * a * b + b * b) / (2 * (1 - rho * rho));
    });
    const grid = gridPosterior(logDensity, box, side);
    // Points at cell centres (row, column), where the grid knows the density exactly.
    for (const [row, col] of [
      [190, 210],
      [150, 185],
      [250, 240],
    ] as const) {
      const point = [z[2 * (row * side + col)]!, z[2 * (row * side + col) + 1]!];
      const [u, v] = [point[0]! - m1, point[1]! - m2];
      const [a, b] = [u / s1, v / s2];
      const r2 = (a * a - 2 * rho * a * b + b * b) / (1 - rho * rho);
      const expected = 1 - Math.exp(-r2 / 2);
      assert.ok(Math.abs(hpdShareAt(grid, point) - expected) < 2e-3, `at (${u}, ${v}): ${hpdShareAt(grid, point)}, expected ${expected}`);
    }
  });
});
