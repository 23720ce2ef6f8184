/**
 * How many workers the training panel starts, from what the device measurably gains by running
 * work in parallel (train-requests.ts; the measurement itself runs in the browser,
 * panel/parallel-gain.ts, and test/e2e/trainer.spec.ts checks it on a device that over-reports
 * its cores). The browser globals trainingLayout reads are set per case.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { askedWorkers, parallelSpeedup, trainingLayout, usableCores, type ParallelGain } from '../../src/components/lib/panel/train-requests.ts';

const saved = { location: Object.getOwnPropertyDescriptor(globalThis, 'location'), crossOriginIsolated: Object.getOwnPropertyDescriptor(globalThis, 'crossOriginIsolated') };

function device(reported: number, isolated: boolean, search = ''): void {
  Object.defineProperty(globalThis, 'location', { value: { search }, configurable: true });
  Object.defineProperty(globalThis, 'crossOriginIsolated', { value: isolated, configurable: true });
  Object.defineProperty(globalThis.navigator, 'hardwareConcurrency', { value: reported, configurable: true });
}

afterEach(() => {
  for (const [key, d] of Object.entries(saved)) {
    if (d) Object.defineProperty(globalThis, key, d);
    else delete (globalThis as Record<string, unknown>)[key];
  }
  delete (globalThis.navigator as unknown as Record<string, unknown>)['hardwareConcurrency'];
});

/** `workers` workers that counted `alone` loop iterations per ms on their own and `together` (added up) all at once. */
const gain = (workers: number, alone: number, together: number): ParallelGain => ({ workers, alone, together });

test('the speed-up is the work done at once per worker alone: 4 workers doing twice the work of one is 2', () => {
  assert.equal(parallelSpeedup(gain(4, 100, 200)), 2);
  assert.equal(parallelSpeedup(gain(4, 100, 400)), 4);
  assert.equal(parallelSpeedup(gain(2, 100, 150)), 1.5);
  // Noise can make the workers look faster together than alone would allow, or a count read 0: never past the bounds.
  assert.equal(parallelSpeedup(gain(4, 100, 450)), 4);
  assert.equal(parallelSpeedup(gain(4, 100, 80)), 1);
  assert.equal(parallelSpeedup(gain(4, 0, 200)), 1);
  assert.equal(parallelSpeedup(gain(4, Number.NaN, 200)), 1);
});

test('a device that reports 4 cores but runs 2 workers at once counts 2 cores', () => {
  // WebKitGTK on a 2-core machine: 4 workers do twice the work of one.
  assert.equal(usableCores(4, gain(4, 100, 197)), 2);
  // Even measured a little low, as a busy page makes it: 1.7 of 4.
  assert.equal(usableCores(4, gain(4, 100, 170)), 2);
  // Hyper-threads: 4 logical cores that do 2.4 cores' work count 2; 3.2 count 3.
  assert.equal(usableCores(4, gain(4, 100, 240)), 2);
  assert.equal(usableCores(4, gain(4, 100, 320)), 3);
  // A core counts from half of one: 3.5 of 4 is 4, and 1.49 of 2 is 1.
  assert.equal(usableCores(4, gain(4, 100, 350)), 4);
  assert.equal(usableCores(2, gain(2, 100, 149)), 1);
  assert.equal(usableCores(2, gain(2, 100, 150)), 2);
});

test('a measurement at full speed leaves the reported count, beyond the 4 it measures; none leaves it too', () => {
  assert.equal(usableCores(16, gain(4, 100, 395)), 16);
  assert.equal(usableCores(16, gain(4, 100, 200)), 2);
  assert.equal(usableCores(8), 8);
  assert.equal(usableCores(0), 1);
});

test('the panel starts one worker per usable core (at most 4), and isolated pages split the rest as threads', () => {
  device(4, false);
  assert.deepEqual(trainingLayout(gain(4, 100, 197)), { replicas: 1, threads: 1 }, 'two workers, not four');
  assert.deepEqual(trainingLayout(), { replicas: 3, threads: 1 }, 'unmeasured: the reported count');
  device(4, true);
  assert.deepEqual(trainingLayout(gain(4, 100, 197)), { replicas: 1, threads: 1 });
  device(16, true);
  assert.deepEqual(trainingLayout(gain(4, 100, 400)), { replicas: 3, threads: 4 });
  device(1, false);
  assert.deepEqual(trainingLayout(), { replicas: 0, threads: 1 });
});

test('?workers=N still sets the workers; their threads come from the usable cores', () => {
  device(4, true, '?workers=1');
  assert.deepEqual(trainingLayout(gain(4, 100, 197)), { replicas: 0, threads: 2 }, 'one worker on the 2 cores that run at once');
  assert.deepEqual(trainingLayout(), { replicas: 0, threads: 4 }, 'unmeasured: the reported 4');
  device(4, false, '?workers=3');
  assert.deepEqual(trainingLayout(gain(4, 100, 197)), { replicas: 2, threads: 1 }, 'the reader’s count, even past the cores');
});

test('only a whole ?workers= from 1 to 8 is taken', () => {
  assert.equal(askedWorkers('?workers=2'), 2);
  assert.equal(askedWorkers('?testhooks&workers=8'), 8);
  for (const bad of ['', '?workers=0', '?workers=9', '?workers=1.5', '?workers=two', '?workers=']) assert.equal(askedWorkers(bad), undefined, bad);
});
