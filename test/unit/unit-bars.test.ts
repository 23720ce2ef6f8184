/**
 * The training panel's per-unit KL chart laid out from numbers (src/components/lib/draw/unit-bars.ts),
 * and the traversal codes and their decodes (src/vae/traversal.ts) against the decoder run on each
 * code alone.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { activeUnitsText, unitBars } from '../../src/components/lib/draw/unit-bars.ts';
import { decode } from '../../src/vae/infer.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { chosenSpec } from '../../src/vae/spec.ts';
import { meanCode, traversalCodes, TRAVERSAL_VALUES } from '../../src/vae/code-stats.ts';
import { traverse } from '../../src/vae/traversal.ts';
import { tf, useWasm } from './helpers.ts';

before(async () => {
  await useWasm();
});

test('bars stand on the baseline, scale with KL against the largest, and say which units are active', () => {
  const layout = unitBars([2, 0.5, 0, 1], [0.4, 0.02, 0.001, 0.2], 0.01, 400, 114, { labelHeight: 14 });
  assert.equal(layout.baseline, 100);
  assert.equal(layout.top, 2);
  assert.deepEqual(layout.bars.map((b) => b.active), [true, true, false, true]);
  for (const b of layout.bars) assert.ok(Math.abs(b.y + b.height - 100) < 1e-9, 'every bar stands on the baseline');
  assert.ok(Math.abs(layout.bars[0]!.height - 98) < 1e-9, 'the largest KL fills the axis (less a 2 px margin)');
  assert.ok(Math.abs(layout.bars[3]!.height / layout.bars[0]!.height - 0.5) < 1e-9, 'heights are proportional to KL');
  assert.equal(layout.bars[2]!.height, 0);
  // The bars share the width evenly, in unit order, without overlapping.
  for (let u = 1; u < 4; u++) assert.ok(layout.bars[u]!.x >= layout.bars[u - 1]!.x + layout.bars[u - 1]!.width);
  assert.ok(layout.bars[3]!.x + layout.bars[3]!.width <= 400);
  assert.equal(layout.lambdaY, undefined, 'no λ line without free bits');
});

test('the axis is at least 0.5 nats tall and reaches λ; a KL that is not finite draws no bar', () => {
  const small = unitBars([0.01, 0.02], [0, 0], 0.01, 100, 60, { lambda: 1 });
  assert.equal(small.top, 1, 'λ above every KL sets the top');
  assert.ok(Math.abs(small.lambdaY! - (small.baseline - (small.baseline - 2))) < 1e-9, 'λ at the top of the axis');
  const tiny = unitBars([0.01, NaN], [0.5, 0.5], 0.01, 100, 60);
  assert.equal(tiny.top, 0.5);
  assert.equal(tiny.bars[1]!.height, 0);
  assert.throws(() => unitBars([1], [1, 2], 0.01, 10, 10), /a KL and an activity per unit/);
  assert.equal(activeUnitsText(3, 16, 0.01), '3 of 16 units active (Cov_x E_q[z_u] > 0.01)');
});

test('traversal codes hold the base with one unit swept, and traverse decodes exactly those codes', () => {
  const base = [0.1, -0.2, 0.3, 0.4];
  const codes = traversalCodes(base);
  const n = TRAVERSAL_VALUES.length;
  assert.equal(codes.length, 4 * n * 4);
  for (let u = 0; u < 4; u++) {
    for (let j = 0; j < n; j++) {
      const row = Array.from(codes.subarray((u * n + j) * 4, (u * n + j + 1) * 4));
      const want = base.map((v, k) => (k === u ? TRAVERSAL_VALUES[j]! : v));
      row.forEach((v, k) => assert.ok(Math.abs(v - want[k]!) < 1e-6, `unit ${u}, step ${j}, value ${k}`));
    }
  }
  assert.deepEqual(meanCode([1, 2, 3, 4, 5, 6], 3, 2), [3, 4]);
  const vae = buildVae(chosenSpec({ dataset: 'mnist', arch: 'mlp', latentDim: 4, beta: 1 }));
  try {
    const before = tf.memory().numTensors;
    const t = traverse(vae, base);
    assert.equal(tf.memory().numTensors, before, 'traverse leaks no tensors');
    assert.equal(t.images.length, 4 * n * 784);
    // Row 2, step 5 is the decode of that one code.
    const k = 2 * n + 5;
    const alone = decode(vae, codes.subarray(k * 4, (k + 1) * 4));
    let worst = 0;
    for (let p = 0; p < 784; p++) worst = Math.max(worst, Math.abs(alone[p]! - t.images[k * 784 + p]!));
    assert.ok(worst < 1e-5, `batched and single decodes differ by ${worst}`);
    assert.throws(() => traverse(vae, [0, 0]), /4-D base code/);
  } finally {
    disposeVae(vae);
  }
});
