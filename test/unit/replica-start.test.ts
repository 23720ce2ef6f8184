/**
 * Replica workers that do not report ready in time are dropped, and training goes on with those
 * that started (src/vae/replica-start.ts, used by src/components/lib/worker/replica-pool.ts).
 * The timers are a fake clock advanced by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDeadline, startWithin, type Starting, type Timers } from '../../src/vae/replica-start.ts';

/** A clock that runs its timers only when told to advance. */
function fakeTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let next = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    setTimeout(run, ms) {
      timers.set(++next, { at: now + ms, run });
      return next;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at > now) continue;
        timers.delete(id);
        t.run();
      }
    },
    pending: () => timers.size,
  };
}

/** A replica start that the test settles by hand; records whether it was dropped. */
function starting(name: string): Starting<string> & { succeed(): void; fail(): void; dropped: boolean } {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const ready = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  const s = {
    ready,
    dropped: false,
    drop: () => void (s.dropped = true),
    succeed: () => resolve(name),
    fail: () => reject(new Error(`${name} failed to load`)),
  };
  return s;
}

const flush = () => new Promise((r) => setImmediate(r));

test('every replica ready in time: all kept, in the order asked, and the deadline cleared', async () => {
  const clock = fakeTimers();
  const [a, b, c] = [starting('a'), starting('b'), starting('c')];
  const outcome = startWithin([a, b, c], 10_000, clock);
  c.succeed();
  a.succeed();
  b.succeed();
  assert.deepEqual(await outcome, { started: ['a', 'b', 'c'], late: 0, failed: 0 });
  assert.equal(clock.pending(), 0);
  assert.ok(!a.dropped && !b.dropped && !c.dropped);
});

test('a replica that never reports ready is dropped at the deadline; training goes on with the others', async () => {
  const clock = fakeTimers();
  const [a, hung, c] = [starting('a'), starting('hung'), starting('c')];
  let done = false;
  const outcome = startWithin([a, hung, c], 10_000, clock).then((o) => ((done = true), o));
  a.succeed();
  c.succeed();
  await flush();
  clock.advance(9_999);
  await flush();
  assert.equal(done, false, 'still waiting before the deadline');
  assert.equal(hung.dropped, false);
  clock.advance(1);
  assert.deepEqual(await outcome, { started: ['a', 'c'], late: 1, failed: 0 });
  assert.equal(hung.dropped, true, 'its worker is terminated');
  // Ready after all, too late: nothing changes.
  hung.succeed();
  await flush();
  assert.deepEqual(await outcome, { started: ['a', 'c'], late: 1, failed: 0 });
});

test('a replica that fails is dropped at once; none started leaves the training worker alone', async () => {
  const clock = fakeTimers();
  const [bad, hung] = [starting('bad'), starting('hung')];
  const outcome = startWithin([bad, hung], 10_000, clock);
  bad.fail();
  await flush();
  assert.equal(bad.dropped, true);
  clock.advance(10_000);
  assert.deepEqual(await outcome, { started: [], late: 1, failed: 1 });
  assert.equal(hung.dropped, true);
});

test('no replicas asked: nothing to wait for', async () => {
  assert.deepEqual(await startWithin([], 10_000, fakeTimers()), { started: [], late: 0, failed: 0 });
});

test('replicas get three times the training worker’s own start, within 10 s to 60 s', () => {
  assert.equal(startDeadline(1_000), 10_000);
  assert.equal(startDeadline(5_000), 15_000);
  assert.equal(startDeadline(30_000), 60_000);
  assert.equal(startDeadline(Number.NaN), 10_000);
  assert.equal(startDeadline(-1), 10_000);
});
