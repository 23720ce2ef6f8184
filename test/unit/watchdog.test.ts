/**
 * The training panel's watchdog on a clock the test moves: a worker that keeps stepping is never
 * pinged; one that falls silent is pinged after the patience and counted dead after as long
 * again; the patience follows the worker's own pace; and `?testhooks&patience=` caps it.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { patienceCap, Watchdog } from '../../src/components/lib/panel/watchdog.ts';

let clock = 0;
beforeEach(() => {
  clock = 0;
  mock.timers.enable({ apis: ['setInterval'] });
});
afterEach(() => mock.timers.reset());

/** Moves the clock (and the watchdog's one-second checks) on by `ms`, a second at a time. */
function pass(ms: number): void {
  for (let t = 0; t < ms; t += 1000) {
    clock += 1000;
    mock.timers.tick(1000);
  }
}

function watched(cap?: number) {
  const events: string[] = [];
  const dog = new Watchdog(
    () => events.push(`dead at ${clock}`),
    () => events.push(`ping at ${clock}`),
    { now: () => clock, ...(cap === undefined ? {} : { cap }) },
  );
  return { dog, events };
}

describe('Watchdog', () => {
  test('silence from the start: a ping after 30 s, death 30 s after the ping, then no more checks', () => {
    const { dog, events } = watched();
    dog.watch(true);
    pass(100_000);
    assert.deepEqual(events, ['ping at 31000', 'dead at 62000']);
  });

  test('a worker that keeps stepping is never pinged; the patience is 20 times its longest gap, at least 5 s', () => {
    const { dog, events } = watched();
    dog.watch(true);
    for (let i = 0; i < 20; i++) {
      pass(1000);
      dog.heard(true);
    }
    assert.deepEqual(events, []);
    assert.equal(dog.patience, 20_000);
    pass(100_000);
    assert.deepEqual(events, ['ping at 41000', 'dead at 62000']);
    const quick = watched();
    quick.dog.watch(true);
    quick.dog.heard(true);
    clock += 10;
    quick.dog.heard(true);
    assert.equal(quick.dog.patience, 5000, 'a 10 ms gap gives the 5 s floor');
  });

  test('an answer to the ping resets the silence; a pause is not watched', () => {
    const { dog, events } = watched();
    dog.watch(true);
    pass(31_000);
    assert.deepEqual(events, ['ping at 31000']);
    dog.heard(false);
    pass(29_000);
    assert.deepEqual(events, ['ping at 31000'], 'heard again: the count starts over');
    dog.watch(false);
    pass(200_000);
    assert.deepEqual(events, ['ping at 31000'], 'paused: no pings, no death');
  });

  test('a cap bounds the patience, whatever the pace', () => {
    const { dog, events } = watched(3000);
    dog.watch(true);
    assert.equal(dog.patience, 3000);
    pass(20_000);
    assert.deepEqual(events, ['ping at 4000', 'dead at 8000']);
  });

  test('patienceCap reads ?testhooks&patience=<ms>, and nothing else', () => {
    assert.equal(patienceCap('?testhooks&patience=4000'), 4000);
    assert.equal(patienceCap('?patience=4000'), undefined, 'only with the test hooks on');
    assert.equal(patienceCap('?testhooks'), undefined);
    assert.equal(patienceCap('?testhooks&patience=-1'), undefined);
    assert.equal(patienceCap('?testhooks&patience=soon'), undefined);
  });
});
