/**
 * How the training panel spreads over the CPU's cores (trainingLayout): one worker per core by
 * default, threads only in a cross-origin isolated page, and `?workers=N` splitting the cores.
 * The browser globals it reads are set per case.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { trainingLayout } from '../../src/components/lib/panel/train-requests.ts';

const saved = { location: Object.getOwnPropertyDescriptor(globalThis, 'location'), isolated: Object.getOwnPropertyDescriptor(globalThis, 'crossOriginIsolated') };

function device(cores: number, isolated: boolean, search = ''): void {
  Object.defineProperty(globalThis, 'location', { value: { search }, configurable: true });
  Object.defineProperty(globalThis, 'crossOriginIsolated', { value: isolated, configurable: true });
  Object.defineProperty(globalThis.navigator, 'hardwareConcurrency', { value: cores, configurable: true });
}

afterEach(() => {
  for (const [name, d] of Object.entries(saved)) {
    const key = name === 'isolated' ? 'crossOriginIsolated' : name;
    if (d) Object.defineProperty(globalThis, key, d);
    else delete (globalThis as Record<string, unknown>)[key];
  }
  delete (globalThis.navigator as unknown as Record<string, unknown>)['hardwareConcurrency'];
});

test('by default each core gets a single-threaded worker, at most 4, isolated or not', () => {
  for (const isolated of [false, true]) {
    device(2, isolated);
    assert.deepEqual(trainingLayout(), { replicas: 1, threads: 1 });
    device(1, isolated);
    assert.deepEqual(trainingLayout(), { replicas: 0, threads: 1 });
  }
  device(8, true);
  assert.deepEqual(trainingLayout(), { replicas: 3, threads: 2 });
  device(8, false);
  assert.deepEqual(trainingLayout(), { replicas: 3, threads: 1 });
});

test('?workers=N sets the workers; in an isolated page they split the cores as threads (at most 4 each)', () => {
  device(2, true, '?workers=1');
  assert.deepEqual(trainingLayout(), { replicas: 0, threads: 2 });
  device(16, true, '?workers=2');
  assert.deepEqual(trainingLayout(), { replicas: 1, threads: 4 });
  device(2, true, '?workers=3');
  assert.deepEqual(trainingLayout(), { replicas: 2, threads: 1 });
  device(2, false, '?workers=1');
  assert.deepEqual(trainingLayout(), { replicas: 0, threads: 1 }, 'no threads without isolation');
});

test('a malformed ?workers= is ignored', () => {
  for (const bad of ['?workers=0', '?workers=9', '?workers=1.5', '?workers=two']) {
    device(2, false, bad);
    assert.deepEqual(trainingLayout(), { replicas: 1, threads: 1 }, bad);
  }
});
