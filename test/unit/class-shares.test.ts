/**
 * Labelling codes by the nearest test code: the bucket grid against brute force (random clouds,
 * clusters with empty space between them, queries outside the cloud, ties, degenerate clouds),
 * the counts and shares, the seeded draws, and the large-sample shares the figures quote.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PUBLIC } from '../../scripts/lib/files.ts';
import { classCounts, classLabeller, drawCodes, drawnClassShares, nearestCodes, SHARE_DRAWS, SHARE_SEED, sharesOf } from '../../src/vae/class-shares.ts';
import { boxCodes, codeBox, priorCodes } from '../../src/vae/code-draws.ts';
import { decodeLatents, LATENTS_FILE } from '../../src/vae/latents-file.ts';
import { gaussianSampler, uniformSampler } from './helpers.ts';

/** The smallest index among the reference codes at the least squared distance, by trying them all. */
function bruteNearest(reference: ArrayLike<number>, x: number, y: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < reference.length / 2; i++) {
    const d = (x - reference[2 * i]!) ** 2 + (y - reference[2 * i + 1]!) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

function expectBruteForce(reference: Float32Array, queries: Float32Array, what: string): void {
  const index = nearestCodes(reference, reference.length / 2);
  for (let q = 0; q < queries.length / 2; q++) {
    const [x, y] = [queries[2 * q]!, queries[2 * q + 1]!];
    assert.equal(index.nearest(x, y), bruteNearest(reference, x, y), `${what}: query ${q} at (${x}, ${y})`);
  }
}

/** Clusters of different sizes and spreads, far apart, like a latent plane's classes. */
function clusters(count: number, seed: number): Float32Array {
  const normal = gaussianSampler(seed);
  const centres = [
    [-3, 2, 0.3],
    [2, 2.5, 0.1],
    [0.5, -4, 0.8],
    [6, -1, 0.02],
  ] as const;
  const out = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const [cx, cy, s] = centres[i % centres.length]!;
    out[2 * i] = cx + s * normal();
    out[2 * i + 1] = cy + s * normal();
  }
  return out;
}

describe('nearestCodes', () => {
  test('finds the same code as brute force in a uniform cloud, inside and far outside it', () => {
    const u = uniformSampler(3);
    const reference = Float32Array.from({ length: 2 * 3000 }, () => 4 * u() - 2);
    const queries = Float32Array.from({ length: 2 * 2000 }, () => 12 * u() - 6);
    expectBruteForce(reference, queries, 'uniform');
  });

  test('finds the same code as brute force among clusters with empty space between them', () => {
    const normal = gaussianSampler(8);
    const reference = clusters(4000, 5);
    const queries = Float32Array.from({ length: 2 * 3000 }, () => 3 * normal());
    expectBruteForce(reference, queries, 'clusters');
  });

  test('breaks ties by the smallest index, as brute force does', () => {
    // Codes on an integer lattice, each repeated, and queries on the half-integers between them:
    // every query has two, four or more codes at exactly the least distance.
    const reference = new Float32Array(2 * 200);
    for (let i = 0; i < 200; i++) reference.set([(i * 7) % 10, Math.floor(i / 10) % 10], 2 * i);
    const queries = new Float32Array(2 * 400);
    for (let q = 0; q < 400; q++) queries.set([(q % 20) / 2 - 0.5, Math.floor(q / 20) / 2 - 0.5], 2 * q);
    expectBruteForce(reference, queries, 'lattice');
    const index = nearestCodes(Float32Array.of(2, 0, 0, 0, 0, 0), 3);
    assert.equal(index.nearest(1, 0), 0, 'equidistant from codes 0 and 1: the smaller index');
    assert.equal(index.nearest(0, 0), 1, 'two codes at the same point: the smaller index');
  });

  test('works when all codes coincide, lie on a line, or are one', () => {
    const u = uniformSampler(11);
    const queries = Float32Array.from({ length: 2 * 300 }, () => 6 * u() - 3);
    expectBruteForce(new Float32Array(2 * 50).fill(0.25), queries, 'one point');
    expectBruteForce(Float32Array.from({ length: 2 * 500 }, (_, k) => (k % 2 === 0 ? 4 * u() - 2 : 1)), queries, 'horizontal line');
    expectBruteForce(Float32Array.from({ length: 2 * 500 }, (_, k) => (k % 2 === 0 ? -1 : 4 * u() - 2)), queries, 'vertical line');
    expectBruteForce(Float32Array.of(0.5, -0.5), queries, 'a single code');
  });

  test('refuses an empty reference set and codes that are not finite', () => {
    assert.throws(() => nearestCodes(new Float32Array(0), 0), /at least one reference code/);
    assert.throws(() => nearestCodes(Float32Array.of(0, NaN), 1), /not finite/);
    assert.throws(() => nearestCodes(Float32Array.of(0, 0), 1).nearest(Infinity, 0), /not finite/);
  });

  test('labels 10,000 codes among 10,000 test codes in well under a second', () => {
    const reference = clusters(10_000, 21);
    const queries = priorCodes(10_000, 2);
    const started = performance.now();
    const index = nearestCodes(reference, 10_000);
    for (let q = 0; q < 10_000; q++) index.nearest(queries[2 * q]!, queries[2 * q + 1]!);
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  });
});

describe('classLabeller, classCounts and sharesOf', () => {
  test('label each code with its nearest test code’s class, and count them', () => {
    const mu = clusters(1000, 9);
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i * 3) % 10);
    const u = uniformSampler(4);
    const codes = Float32Array.from({ length: 2 * 500 }, () => 10 * u() - 5);
    const got = classLabeller({ count: 1000, mu, labels }).classesOf(codes);
    const expected = Array.from({ length: 500 }, (_, q) => labels[bruteNearest(mu, codes[2 * q]!, codes[2 * q + 1]!)]!);
    assert.deepEqual(Array.from(got), expected);
    const counts = classCounts(got);
    assert.deepEqual(
      counts,
      Array.from({ length: 10 }, (_, c) => expected.filter((l) => l === c).length),
    );
    assert.deepEqual(sharesOf(counts), counts.map((n) => n / 500));
  });

  test('give nothing for no codes, and zero shares for zero counts', () => {
    const labeller = classLabeller({ count: 1, mu: Float32Array.of(0, 0), labels: Uint8Array.of(4) });
    assert.deepEqual(Array.from(labeller.classesOf(new Float32Array(0))), []);
    assert.deepEqual(classCounts([]), new Array(10).fill(0));
    assert.deepEqual(sharesOf(new Array(10).fill(0)), new Array(10).fill(0));
    assert.throws(() => labeller.classesOf(Float32Array.of(1)), /even number/);
    assert.throws(() => classCounts([10]), /not one of the 10 classes/);
    assert.throws(() => classLabeller({ count: 0, mu: new Float32Array(0), labels: new Uint8Array(0) }), /at least one reference code/);
  });
});

describe('seeded draws', () => {
  test('prior codes have mean 0 and variance 1 in each coordinate, and repeat with their seed', () => {
    const z = priorCodes(20_000, 5);
    for (const k of [0, 1]) {
      const v = z.filter((_, i) => i % 2 === k);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
      assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 0.04, `variance ${variance}`);
    }
    assert.deepEqual(priorCodes(10, 5), z.slice(0, 20));
  });

  test('box codes fill the test codes’ bounding box uniformly', () => {
    const mu = clusters(500, 2);
    const box = codeBox(mu, 500);
    const xs = mu.filter((_, i) => i % 2 === 0);
    const ys = mu.filter((_, i) => i % 2 === 1);
    assert.deepEqual(box, [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]);
    const z = boxCodes(box, 10_000, 3);
    let left = 0;
    for (let q = 0; q < 10_000; q++) {
      assert.ok(z[2 * q]! >= Math.fround(box[0]) && z[2 * q]! <= Math.fround(box[1]) && z[2 * q + 1]! >= Math.fround(box[2]) && z[2 * q + 1]! <= Math.fround(box[3]));
      if (z[2 * q]! < (box[0] + box[1]) / 2) left++;
    }
    assert.ok(Math.abs(left / 10_000 - 0.5) < 0.02, `${left} of 10,000 in the left half`);
  });

  test('the large sample of the shipped VAE: shares from drawnClassShares equal brute-force labels of the same draws', () => {
    const test = decodeLatents(new Uint8Array(readFileSync(join(PUBLIC, 'weights', 'mnist-conv-z2', LATENTS_FILE))));
    const { counts, shares } = drawnClassShares(test, 'prior');
    assert.equal(counts.reduce((s, c) => s + c, 0), SHARE_DRAWS);
    // Brute force on every fifth draw of the same seeded sample: same labels.
    const codes = drawCodes('prior', test, SHARE_DRAWS, SHARE_SEED);
    const labels = classLabeller(test).classesOf(codes);
    for (let q = 0; q < SHARE_DRAWS; q += 5) assert.equal(labels[q], test.labels[bruteNearest(test.mu, codes[2 * q]!, codes[2 * q + 1]!)], `draw ${q}`);
    assert.deepEqual(shares, classCounts(labels).map((c) => c / SHARE_DRAWS));
  });
});
