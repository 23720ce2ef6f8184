/** The posterior figure's bounds panel in words and scales: what the reader reads under the k slider and the fit. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundText, chartRange, chartX, gapsText, K_STOPS, POOL_SIZE } from '../../src/components/figures/posterior-bounds-readout.ts';

test('the slider runs from k = 1 to 1,000 in increasing stops, and the pool holds 20 runs of the largest', () => {
  assert.equal(K_STOPS[0], 1);
  assert.equal(K_STOPS.at(-1), 1000);
  for (let i = 1; i < K_STOPS.length; i++) assert.ok(K_STOPS[i]! > K_STOPS[i - 1]!);
  assert.equal(POOL_SIZE, 20_000);
});

test('the bound’s sentence gives 𝓛_k, its spread and runs, the draws so far, and the distance to −log p(x)', () => {
  const spread = { k: 100, repeats: 200, mean: 95.888, sd: 0.362 };
  assert.equal(
    boundText(spread, 95.765, POOL_SIZE),
    '𝓛_100 = 95.89 ± 0.36 nats: the mean and spread of 200 runs of k = 100 draws; the grid’s −log p_θ(x) is 95.77, 0.12 nats below.',
  );
  assert.equal(boundText({ k: 1000, repeats: 1, mean: 95.9, sd: 0 }, undefined, 1500), '𝓛_1000 = 95.90 nats: the mean and spread of one run of k = 1,000 draws (1,500 of 20,000 draws so far).');
});

test('the gaps are differences of the three numbers, and the approximation gap needs the exact value', () => {
  const text = gapsText({ encoder: 97.359, fitted: 95.996, fittedStep: 110, exact: 95.765 });
  assert.match(text, /amortization gap is 1\.36 nats/);
  assert.match(text, /after 110 of its steps/);
  assert.match(text, /approximation gap is 0\.23 nats/);
  assert.match(gapsText({ encoder: 99, fitted: 98, fittedStep: 200, exact: undefined }), /approximation gap is unknown/);
});

test('the chart holds every band and the exact line, and puts k on a log scale', () => {
  const rows = [
    { k: 1, repeats: 20_000, mean: 97.4, sd: 2.1 },
    { k: 1000, repeats: 20, mean: 95.8, sd: 0.1 },
  ];
  const [lo, hi] = chartRange(rows, 95.2);
  assert.ok(lo < 95.2 && hi > 99.5);
  assert.deepEqual(chartRange([], undefined), [0, 1]);
  assert.equal(chartX(1, 240), 8);
  assert.equal(chartX(1000, 240), 232);
  assert.ok(Math.abs(chartX(10, 240) - (8 + 224 / 3)) < 1e-9);
});
