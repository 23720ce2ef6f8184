/** Pixels drawn from a Bernoulli decoder: black or white, each as often as its probability says, and the same for a seed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bernoulliGrey, bernoulliSample } from '../../src/vae/pixel-samples.ts';

test('each pixel is 0 or 1, and over 20,000 draws it is 1 as often as π says, within 4 standard errors', () => {
  const probs = [0, 0.02, 0.25, 0.5, 0.9, 1];
  const ones = new Array<number>(probs.length).fill(0);
  const draws = 20_000;
  for (let s = 1; s <= draws; s++) {
    const x = bernoulliSample(probs, s);
    x.forEach((v, i) => {
      assert.ok(v === 0 || v === 1);
      ones[i]! += v;
    });
  }
  probs.forEach((p, i) => {
    const share = ones[i]! / draws;
    const se = Math.sqrt(Math.max(p * (1 - p), 1e-9) / draws);
    assert.ok(Math.abs(share - p) <= 4 * se + 1e-12, `π = ${p}: drawn ${share}`);
  });
});

test('a seed gives the same image; another seed another', () => {
  const probs = Array.from({ length: 784 }, (_, i) => (i % 7) / 7);
  assert.deepEqual(bernoulliSample(probs, 3), bernoulliSample(probs, 3));
  assert.notDeepEqual(bernoulliSample(probs, 3), bernoulliSample(probs, 4));
});

test('on 8-bit grey levels the draw is the same, as 0 or 255: black stays black, white stays white', () => {
  const grey = Uint8Array.from({ length: 784 }, (_, i) => (i * 37) % 256);
  const drawn = bernoulliGrey(grey, 11);
  const reference = bernoulliSample(Array.from(grey, (g) => g / 255), 11);
  assert.deepEqual(Array.from(drawn), Array.from(reference, (v) => v * 255));
  grey.forEach((g, i) => {
    if (g === 0) assert.equal(drawn[i], 0);
    if (g === 255) assert.equal(drawn[i], 255);
  });
  assert.ok(drawn.some((v) => v === 255) && drawn.some((v) => v === 0));
});
