/**
 * The gradient-estimator figure's state: what a shared link asks for, clamped and snapped to the
 * sliders with a note for each change; the values written back into the link; its readouts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_STATE, N_STEPS } from '../../src/components/lib/draw/estimator-plot.ts';
import { drawText, linkedState, linkValues, nearestStep, sliderTexts } from '../../src/components/figures/gradient-estimators-state.ts';

const fns = ['bowl', 'wiggle', 'step'];
const fromLink = (query: Record<string, string>) => linkedState((key) => query[key], { fns, steps: N_STEPS, defaults: DEFAULT_STATE, seed: 1 });

test('nearestStep picks the slider step nearest on a log scale', () => {
  assert.equal(nearestStep(1, N_STEPS), 1);
  // 4 is 25 % below 5 and 33 % above 3.
  assert.equal(nearestStep(4, N_STEPS), 5);
  // 12 is 20 % above 10 and 25 % below 15.
  assert.equal(nearestStep(12, N_STEPS), 10);
  assert.equal(nearestStep(13, N_STEPS), 15);
  assert.equal(nearestStep(1000, N_STEPS), 1000);
  // 2 lies as far from 1 as from 4: the smaller wins.
  assert.equal(nearestStep(2, [1, 4]), 1);
});

test('a link without the figure’s keys gives the default state, no notes, and is not linked', () => {
  assert.deepEqual(fromLink({}), { state: DEFAULT_STATE, notes: [], linked: false });
});

test('a link’s values are kept when they fit the controls', () => {
  const { state, notes, linked } = fromLink({ f: 'step', n: '100', mu: '-1.5', sigma: '0.5' });
  assert.deepEqual(state, { fn: 'step', n: 100, mu: -1.5, sigma: 0.5, seed: 1 });
  assert.deepEqual(notes, []);
  assert.equal(linked, true);
});

test('a link’s values are snapped, rounded and clamped to the controls, with a note for each change', () => {
  const { state, notes } = fromLink({ f: 'cube', n: '12', mu: '7', sigma: '0.04' });
  assert.deepEqual(state, { fn: 'bowl', n: 10, mu: 3, sigma: 0.1, seed: 1 });
  assert.deepEqual(notes, [
    'The link asks for the function "cube", which is not one of bowl, wiggle, step; showing bowl.',
    'The link asks for μ = 7, outside -3 to 3; showing 3.',
    'The link asks for σ = 0.04, outside 0.1 to 3; showing 0.1.',
    "N = 12 lies between the slider's steps; showing N = 10.",
  ]);
  // μ and σ go to the sliders' tenths; an unreadable σ falls back to the default.
  const rounded = fromLink({ mu: '-1.26', sigma: 'abc' });
  assert.deepEqual([rounded.state.mu, rounded.state.sigma], [-1.3, 1]);
  assert.deepEqual(rounded.notes, ['The link\'s σ "abc" is not a number; showing 1.']);
  // An N beyond the slider is clamped, and that note alone says so.
  const big = fromLink({ n: '5000' });
  assert.equal(big.state.n, 1000);
  assert.deepEqual(big.notes, ['The link asks for N = 5000, outside 1 to 1000; showing 1000.']);
});

test('linkValues writes what linkedState reads back to the same state', () => {
  const state = { fn: 'wiggle', n: 300, mu: -1, sigma: 0.5, seed: 4 };
  const values = linkValues(state);
  assert.deepEqual(values, { f: 'wiggle', n: '300', mu: '-1.0', sigma: '0.5' });
  assert.deepEqual(linkedState((key) => values[key], { fns, steps: N_STEPS, defaults: DEFAULT_STATE, seed: 4 }).state, state);
});

test('the readouts name N, μ and σ, and the status counts draws from the first seed', () => {
  const state = { fn: 'bowl', n: 30, mu: 0, sigma: 1.5, seed: 3 };
  assert.deepEqual(sliderTexts(state), { n: 'N = 30', mu: 'μ = 0.0', sigma: 'σ = 1.5' });
  assert.equal(drawText(state, 1, 200), '200 estimates by each estimator, each from N = 30 samples (draw 3, seed 3).');
  assert.equal(drawText({ ...state, seed: 1 }, 1, 200), '200 estimates by each estimator, each from N = 30 samples (draw 1, seed 1).');
});
