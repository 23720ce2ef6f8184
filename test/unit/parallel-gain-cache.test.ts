/**
 * The panel's measurement of parallel work (src/components/lib/panel/parallel-gain.ts) in a fake
 * browser: workers that count as a 2-core machine would, whatever it reports. The measurement
 * chooses the workers, is taken once and kept for the browser session (sessionStorage), is taken
 * again when the reported core count changes, and gives up (leaving the reported count) when a
 * worker does not answer.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';

type Module = typeof import('../../src/components/lib/panel/parallel-gain.ts');
const KEY = 'latent-lab-parallel-gain';
const GLOBALS = ['location', 'crossOriginIsolated', 'sessionStorage', 'Worker'] as const;
const saved = new Map(GLOBALS.map((key) => [key, Object.getOwnPropertyDescriptor(globalThis, key)]));

/** A fresh copy of the module: its "once per page" state starts empty. */
let copies = 0;
const fresh = async (): Promise<Module> => (await import(`../../src/components/lib/panel/parallel-gain.ts?copy=${++copies}`)) as Module;

let store: Map<string, string>;
let started: number;
/** How many workers run at full speed at once; `silent`: workers never answer. */
let cores: number;
let silent: boolean;

/** A spin worker (worker/spin.worker.ts) on a machine of `cores` cores: each window's count is shared by the workers counting in it. */
class FakeWorker {
  static windows = new Map<number, number>();
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor() {
    started++;
  }
  postMessage({ from }: { from: number; to: number }): void {
    FakeWorker.windows.set(from, (FakeWorker.windows.get(from) ?? 0) + 1);
    if (silent) return;
    setImmediate(() => {
      const n = FakeWorker.windows.get(from)!;
      const rate = (100 * Math.min(n, cores)) / n;
      this.onmessage?.({ data: { rate, peak: rate } });
    });
  }
  terminate(): void {}
}

function device(reported: number, search = ''): void {
  Object.defineProperty(globalThis.navigator, 'hardwareConcurrency', { value: reported, configurable: true });
  Object.defineProperty(globalThis, 'location', { value: { search }, configurable: true });
}

beforeEach(() => {
  store = new Map();
  started = 0;
  cores = 2;
  silent = false;
  const sessionStorage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
  Object.defineProperty(globalThis, 'sessionStorage', { value: sessionStorage, configurable: true });
  Object.defineProperty(globalThis, 'crossOriginIsolated', { value: false, configurable: true });
  Object.defineProperty(globalThis, 'Worker', { value: FakeWorker, configurable: true });
});

afterEach(() => {
  for (const [key, d] of saved) {
    if (d) Object.defineProperty(globalThis, key, d);
    else delete (globalThis as Record<string, unknown>)[key];
  }
  delete (globalThis.navigator as unknown as Record<string, unknown>)['hardwareConcurrency'];
  mock.timers.reset();
});

test('a device that reports 4 cores and runs 2 at once trains on 2 workers, measured once per session', async () => {
  device(4);
  const gain = await fresh();
  assert.equal(gain.needsMeasuring(), true);
  assert.deepEqual(await gain.measuredLayout(), { replicas: 1, threads: 1 }, 'two workers, not four');
  assert.equal(started, 4, 'four copies of the loop, timed against one');
  const kept = JSON.parse(store.get(KEY)!) as Record<string, number>;
  assert.deepEqual({ workers: kept['workers'], reported: kept['reported'], speedup: kept['together']! / kept['alone']! }, { workers: 4, reported: 4, speedup: 2 });
  assert.ok(kept['ms']! >= 0 && kept['ms']! < 1000, `measured in ${kept['ms']} ms`);
  // The next run, on this page or another of the session, takes what was kept.
  assert.equal(gain.needsMeasuring(), false);
  assert.deepEqual(await (await fresh()).measuredLayout(), { replicas: 1, threads: 1 });
  assert.equal(started, 4, 'nothing measured again');
});

test('a device that runs all it reports keeps its count; a changed count is measured again', async () => {
  cores = 4;
  device(4);
  assert.deepEqual(await (await fresh()).measuredLayout(), { replicas: 3, threads: 1 });
  device(2);
  cores = 1;
  const gain = await fresh();
  assert.equal(gain.needsMeasuring(), true, 'kept for 4 reported cores, not 2');
  assert.deepEqual(await gain.measuredLayout(), { replicas: 0, threads: 1 });
  assert.equal(started, 6);
});

test('?workers=N measures nothing; one reported core has nothing to measure', async () => {
  device(4, '?workers=3');
  const gain = await fresh();
  assert.equal(gain.needsMeasuring(), false);
  assert.deepEqual(await gain.measuredLayout(), { replicas: 2, threads: 1 });
  device(1);
  assert.deepEqual(await gain.measuredLayout(), { replicas: 0, threads: 1 });
  assert.equal(started, 0);
});

test('workers that never answer: the measurement gives up within 3 s, and the reported count stands', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  silent = true;
  device(4);
  const gain = await fresh();
  const layout = gain.measuredLayout();
  await new Promise((resolve) => setImmediate(resolve));
  mock.timers.tick(3000);
  assert.deepEqual(await layout, { replicas: 3, threads: 1 }, 'unmeasured: the reported 4');
  assert.equal(store.has(KEY), false, 'nothing kept: the next run measures again');
  assert.equal(gain.needsMeasuring(), true);
});
