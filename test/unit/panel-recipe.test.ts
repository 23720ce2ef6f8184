/**
 * What Node's repeats of the training panel's runs take from the page: the scatter's axis range
 * (the 99th percentile of |coordinate|, widened by a tenth), its principal plane for longer
 * codes, the page's default settings, and the image counts read from the chapter that holds the
 * whole panel (on a folder of its own here; test/chapters/ reads the guide's).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { panelSizesFromChapters } from '../../scripts/lib/panel-runs.ts';
import { DEFAULTS } from '../../src/components/lib/panel/train-settings.ts';
import { PANEL_DEFAULTS, scatterView } from '../../src/vae/panel-recipe.ts';

test('the axis range is 1.1 × the 99th percentile of |coordinate| over both axes, and at least 0.05', () => {
  // 101 codes: coordinates 0, ±0.1, …, ±10 in turn; |x| sorted has 202 values, the 99th percentile
  // (index ⌊0.99 · 201⌋ = 198) is the 199th smallest.
  const codes = new Float32Array(202);
  for (let i = 0; i <= 100; i++) {
    codes[2 * i] = (i % 2 ? -1 : 1) * i * 0.1;
    codes[2 * i + 1] = 0.05 * i;
  }
  const abs = Array.from(codes, Math.abs).sort((a, b) => a - b);
  const view = scatterView(codes, 101, 2);
  assert.equal(view.range, 1.1 * abs[198]!);
  assert.equal(view.xy, codes, '2-D codes are drawn as they are');
  assert.equal(view.planeShare, undefined);
  assert.equal(scatterView(new Float32Array(20), 10, 2).range, 0.05, 'codes all at the origin');
});

test('codes of more than two dimensions are drawn on their principal plane, with its share of the variance', () => {
  // Four dimensions with spreads 3, 2, 0 and 1 along the axes: the plane is (z₁, z₂), 13/14 of the variance.
  const n = 400;
  const codes = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const s = i % 2 ? 1 : -1;
    const t = Math.floor(i / 2) % 2 ? 1 : -1;
    const u = Math.floor(i / 4) % 2 ? 1 : -1;
    codes.set([3 * s, 2 * t, 0, u], 4 * i);
  }
  const view = scatterView(codes, n, 4);
  assert.ok(Math.abs(view.planeShare! - 13 / 14) < 1e-9, `share ${view.planeShare}`);
  assert.ok(Math.abs(view.range - 1.1 * 3) < 1e-5, `range ${view.range}`);
});

test('the page’s default settings are the recipe’s', () => {
  assert.deepEqual(DEFAULTS, PANEL_DEFAULTS);
});

test('the panel’s image counts come from the chapter that holds <TrainInPage full>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'panel-sizes-'));
  try {
    writeFileSync(join(dir, '01-a.mdx'), 'Text.\n\n<TrainInPage images={500} />\n\n<TrainInPage full images={1200} testImages={300} testLossImages={100}>\n  caption\n</TrainInPage>\n');
    assert.deepEqual(panelSizesFromChapters(dir), { trainImages: 1200, testImages: 300, testLossImages: 100 });
    writeFileSync(join(dir, '01-a.mdx'), '<TrainInPage full images={1200} testImages={300}>\n</TrainInPage>\n');
    assert.throws(() => panelSizesFromChapters(dir), /01-a\.mdx: <TrainInPage full> has no testLossImages/);
    writeFileSync(join(dir, '01-a.mdx'), 'No panel here.\n');
    assert.throws(() => panelSizesFromChapters(dir), /Expected one <TrainInPage full …>.*found 0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
