/**
 * The nearest test codes to one code: the same k, in the same order, as sorting every distance,
 * with ties kept in index order; and the classes among them, most frequent first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestNeighbours, neighbourClasses, type Neighbour } from '../../src/vae/code-neighbours.ts';
import { createRng } from '../../src/vae/random.ts';

/** Random codes on a coarse grid, so that many lie at equal distances from a query. */
function codes(count: number, seed: number): { count: number; mu: Float32Array; labels: Uint8Array } {
  const rng = createRng(seed);
  const mu = Float32Array.from({ length: 2 * count }, () => Math.round(rng() * 20 - 10) / 4);
  const labels = Uint8Array.from({ length: count }, () => Math.floor(rng() * 10));
  return { count, mu, labels };
}

/** Every code, sorted by distance and then index: the answer by brute force. */
function bySorting(set: ReturnType<typeof codes>, x: number, y: number, k: number): Neighbour[] {
  return Array.from({ length: set.count }, (_, index) => ({ index, distance: Math.hypot(set.mu[2 * index]! - x, set.mu[2 * index + 1]! - y), label: set.labels[index]! }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .slice(0, k);
}

test('the k nearest codes are those of a full sort, nearest first, ties in index order', () => {
  const set = codes(2000, 7);
  for (const [x, y, k] of [[0, 0, 25], [1.25, -0.5, 25], [3.1, 2.2, 1], [-9, 9, 40], [0.5, 0.5, 7]] as const) {
    const found = nearestNeighbours(set, x, y, k);
    const expected = bySorting(set, x, y, k);
    assert.deepEqual(found.map((n) => n.index), expected.map((n) => n.index), `indices near (${x}, ${y})`);
    for (let j = 0; j < k; j++) {
      assert.ok(Math.abs(found[j]!.distance - expected[j]!.distance) < 1e-12);
      assert.equal(found[j]!.label, set.labels[found[j]!.index]);
    }
  }
});

test('asking for more neighbours than there are codes gives all of them', () => {
  const set = { count: 3, mu: new Float32Array([3, 4, 0, 1, -1, 0]), labels: new Uint8Array([5, 6, 7]) };
  assert.deepEqual(nearestNeighbours(set, 0, 0, 10), [
    { index: 1, distance: 1, label: 6 },
    { index: 2, distance: 1, label: 7 },
    { index: 0, distance: 5, label: 5 },
  ]);
  assert.throws(() => nearestNeighbours(set, 0, 0, 0), /whole number of neighbours/);
});

test('the classes among the neighbours, most frequent first, ties by class', () => {
  const of = (labels: number[]): Neighbour[] => labels.map((label, index) => ({ index, distance: index, label }));
  const order = neighbourClasses(of([7, 1, 7, 1, 3, 7]));
  assert.deepEqual(order.slice(0, 3), [
    { label: 7, n: 3 },
    { label: 1, n: 2 },
    { label: 3, n: 1 },
  ]);
  assert.equal(order.length, 10);
  assert.deepEqual(neighbourClasses(of([4, 2])).slice(0, 2), [
    { label: 2, n: 1 },
    { label: 4, n: 1 },
  ]);
});
