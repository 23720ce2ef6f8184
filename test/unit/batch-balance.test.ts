/**
 * The batch split of a data-parallel step: simulated workers with known speeds and delays must
 * end up finishing together, at the split worked out by hand, and every split must be valid.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BatchBalance, evenBounds, type ShareTiming } from '../../src/vae/batch-balance.ts';
import { uniformSampler } from './helpers.ts';

/** A worker that starts `delay` ms after the requests go out and takes `perImage` ms an image. */
interface Simulated {
  delay: number;
  perImage: number;
}

/** One simulated step: each worker's timing, and when the last share is done. */
function simulate(workers: Simulated[], bounds: number[], sentAt: number, noise = () => 0): { timings: ShareTiming[]; finish: number[] } {
  const finish: number[] = [];
  const timings = workers.map((w, i) => {
    const computeMs = (bounds[i + 1]! - bounds[i]!) * w.perImage * (1 + noise());
    const finishedAt = sentAt + w.delay * (1 + noise()) + computeMs;
    finish.push(finishedAt - sentAt);
    return { computeMs, finishedAt };
  });
  return { timings, finish };
}

function train(balance: BatchBalance, workers: Simulated[], n: number, steps: number, noise?: () => number): { bounds: number[]; finish: number[] } {
  let sentAt = 1_000_000;
  let last = { bounds: evenBounds(n, workers.length), finish: [] as number[] };
  for (let s = 0; s < steps; s++) {
    const bounds = balance.bounds(n);
    const { timings, finish } = simulate(workers, bounds, sentAt, noise);
    balance.record(bounds, sentAt, timings);
    last = { bounds, finish };
    sentAt += 1000;
  }
  return last;
}

function assertValid(b: number[], n: number, k: number): void {
  assert.equal(b.length, k + 1);
  assert.equal(b[0], 0);
  assert.equal(b[k], n);
  for (let i = 0; i < k; i++) assert.ok(b[i + 1]! > b[i]!, `share ${i} of ${JSON.stringify(b)} is empty`);
  for (const x of b) assert.ok(Number.isInteger(x));
}

describe('BatchBalance', () => {
  test('splits evenly until every worker has been measured', () => {
    assert.deepEqual(evenBounds(128, 2), [0, 64, 128]);
    assert.deepEqual(evenBounds(10, 3), [0, 3, 6, 10]);
    const balance = new BatchBalance(2);
    assert.deepEqual(balance.bounds(128), [0, 64, 128]);
    // Only the coordinator's timing: still even.
    balance.record([0, 64, 128], 0, [{ computeMs: 100, finishedAt: 100 }, undefined]);
    assert.deepEqual(balance.bounds(128), [0, 64, 128]);
  });

  test('a replica that starts 8 ms late gets the images that make both finish together (worked out by hand)', () => {
    // c = 2.4 ms an image for both, d = 0 and 8 ms: T = (128 + 8 / 2.4) / (2 / 2.4) = 157.6 ms,
    // so the coordinator takes T / 2.4 = 65.67 images and the replica (T − 8) / 2.4 = 62.33.
    const workers = [
      { delay: 0, perImage: 2.4 },
      { delay: 8, perImage: 2.4 },
    ];
    const { bounds, finish } = train(new BatchBalance(2), workers, 128, 30);
    assert.deepEqual(bounds, [0, 66, 128]);
    // The slower of the two is done no later than one image's time after the other.
    assert.ok(Math.abs(finish[0]! - finish[1]!) <= 2.4 + 1e-9, `finish times ${finish}`);
    // The even split would have waited 8 ms for the replica every step.
    assert.ok(Math.max(...finish) < 64 * 2.4 + 8 - 2);
  });

  test('a worker twice as slow per image gets about a third of the batch', () => {
    const workers = [
      { delay: 0, perImage: 1 },
      { delay: 0, perImage: 2 },
    ];
    const { bounds } = train(new BatchBalance(2), workers, 120, 40);
    assert.deepEqual(bounds, [0, 80, 120]);
  });

  test('four workers, different speeds and delays: all finish within an image of each other', () => {
    const workers = [
      { delay: 0, perImage: 2 },
      { delay: 5, perImage: 2.2 },
      { delay: 12, perImage: 1.8 },
      { delay: 3, perImage: 3 },
    ];
    const { bounds, finish } = train(new BatchBalance(4), workers, 256, 60);
    assertValid(bounds, 256, 4);
    const spread = Math.max(...finish) - Math.min(...finish);
    assert.ok(spread <= 3 + 1e-9, `finish times ${finish.map((x) => x.toFixed(1))} with bounds ${bounds}`);
  });

  test('with noisy timings it stays near the balanced split instead of drifting to one side', () => {
    const rand = uniformSampler(3);
    const workers = [
      { delay: 0, perImage: 2.4 },
      { delay: 8, perImage: 2.4 },
    ];
    const balance = new BatchBalance(2);
    const coordinatorShares: number[] = [];
    for (let round = 0; round < 20; round++) coordinatorShares.push(train(balance, workers, 128, 25, () => (rand() - 0.5) * 0.2).bounds[1]!);
    for (const share of coordinatorShares) assert.ok(share >= 63 && share <= 69, `the coordinator's share drifted to ${share}: ${coordinatorShares}`);
  });

  test('every split is valid: each worker gets at least one image, even when one is far too slow', () => {
    const rand = uniformSampler(11);
    for (let trial = 0; trial < 200; trial++) {
      const k = 1 + Math.floor(rand() * 5);
      const n = k + Math.floor(rand() * 300);
      const workers = Array.from({ length: k }, () => ({ delay: rand() < 0.2 ? 1e5 : rand() * 50, perImage: 0.01 + rand() * 5 }));
      const balance = new BatchBalance(k);
      assertValid(train(balance, workers, n, 3).bounds, n, k);
    }
    // Fewer images than workers: the even split, some shares empty, as before.
    assert.deepEqual(new BatchBalance(3).bounds(2), [0, 0, 1, 2]);
  });

  test('timings that make no sense are ignored', () => {
    const balance = new BatchBalance(2);
    balance.record([0, 64, 128], 0, [
      { computeMs: 128, finishedAt: 128 },
      { computeMs: 128, finishedAt: 136 },
    ]);
    const before = balance.bounds(128);
    for (const bad of [{ computeMs: Number.NaN, finishedAt: 1 }, { computeMs: -5, finishedAt: 1 }, { computeMs: 10, finishedAt: Number.POSITIVE_INFINITY }, undefined]) {
      balance.record([0, 64, 128], 0, [bad, bad]);
      assert.deepEqual(balance.bounds(128), before, `after ${JSON.stringify(bad)}`);
    }
    // A share of no images says nothing about speed.
    balance.record([0, 0, 128], 0, [{ computeMs: 0, finishedAt: 0 }, { computeMs: 500, finishedAt: 500 }]);
    assert.throws(() => new BatchBalance(0), /at least 1/);
  });
});
