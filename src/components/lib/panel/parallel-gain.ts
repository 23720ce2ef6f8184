/**
 * What the device gains from running work in parallel, measured rather than taken from
 * `navigator.hardwareConcurrency` (WebKitGTK reports 4 on a 2-core machine). Before the first
 * run, the panel counts how much of a plain loop (worker/spin.worker.ts) one worker does alone
 * in a 50 ms window, then as many workers as training would start (at most 4), all at once, in
 * three rounds: on 2 real cores, 4 workers do twice the work of one, not 4 times.
 * trainingLayout (train-requests.ts) turns that into workers and threads. The result is kept in
 * sessionStorage for the next runs of this browser session (measured again if the reported count
 * changes): a measurement that a busy moment made low is not kept for good, and a new session
 * measures again. It takes about half a second, at most MOST ms (else the reported count stands);
 * nothing is timed during training, so runs stay exactly resumable.
 */
import { askedWorkers, trainingLayout, type ParallelGain } from './train-requests.ts';

const KEY = 'latent-lab-parallel-gain';
/** How long each count runs, in ms; the workers get their window this long before it opens. */
const WINDOW = 50;
const LEAD = 20;
const ROUNDS = 3;
/** A measurement not done by then (a worker that does not load or answer) is given up. */
const MOST = 3000;

interface Kept extends ParallelGain {
  /** The core count the device reported when measured. */
  reported: number;
  /** How long the measurement took, in ms, workers' start included. */
  ms: number;
}

const reported = () => navigator.hardwareConcurrency || 1;
/** The clock the page and its workers share (as batch-balance.ts's). */
const clock = () => performance.timeOrigin + performance.now();

/** The measurement kept for this browser session, if any. */
export function keptGain(): ParallelGain | undefined {
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Kept | null;
    if (!kept || kept.reported !== reported() || ![kept.workers, kept.alone, kept.together].every(Number.isFinite)) return undefined;
    return { workers: kept.workers, alone: kept.alone, together: kept.together };
  } catch {
    return undefined;
  }
}

function keep(gain: ParallelGain, ms: number): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ ...gain, reported: reported(), ms: Math.round(ms) } satisfies Kept));
  } catch {
    // Storage may be off; the next run measures again.
  }
}

/** What a worker counted in a window: loop iterations per ms over all of it, and in its best slice. */
interface Count {
  rate: number;
  peak: number;
}

/** What `worker` counts in the window from `from` to `to`. */
function count(worker: Worker, from: number, to: number): Promise<Count> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<Count>) => resolve(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(e.message || 'the worker failed to load'));
    };
    worker.postMessage({ from, to });
  });
}

/** What `workers` count in one window, all at once. */
function inOneWindow(workers: Worker[], window: number): Promise<Count[]> {
  const from = clock() + LEAD;
  return Promise.all(workers.map((w) => count(w, from, from + window)));
}

/**
 * Counts in one worker alone and in `n` at once; undefined if the workers cannot start, or do not
 * finish within MOST ms.
 */
async function measure(n: number): Promise<ParallelGain | undefined> {
  const workers: Worker[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const givenUp = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the measurement took too long')), MOST)));
  try {
    return await Promise.race([counted(n, workers), givenUp]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    for (const w of workers) w.terminate();
  }
}

/**
 * The counts of `measure`, in the `n` workers it starts into `workers` (the caller ends them).
 * Another program, or the page itself, can only slow a count down: so one core's speed is the
 * best 10 ms slice seen anywhere, and the device's the best sum of whole windows. The speed-up,
 * their ratio, can then come out too low, never too high.
 */
async function counted(n: number, workers: Worker[]): Promise<ParallelGain> {
  for (let i = 0; i < n; i++) workers.push(new Worker(new URL('../worker/spin.worker.ts', import.meta.url), { type: 'module' }));
  // Every worker loads and compiles its loop first.
  await inOneWindow(workers, WINDOW / 5);
  let alone = 0;
  let together = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // A different worker alone each round, in case one of them shares its core.
    const [one] = await inOneWindow([workers[round % n]!], WINDOW);
    const all = await inOneWindow(workers, WINDOW);
    alone = Math.max(alone, one!.peak, ...all.map((c) => c.peak));
    together = Math.max(together, all.reduce((sum, c) => sum + c.rate, 0));
  }
  return { workers: n, alone, together };
}

let measuring: Promise<ParallelGain | undefined> | undefined;

/** The kept measurement, or a new one (once per page); undefined where none can be taken. */
function gain(): Promise<ParallelGain | undefined> {
  const kept = keptGain();
  if (kept) return Promise.resolve(kept);
  const n = Math.min(4, reported());
  if (n < 2) return Promise.resolve(undefined);
  const started = performance.now();
  measuring ??= measure(n).then((measured) => {
    if (measured) keep(measured, performance.now() - started);
    else measuring = undefined;
    return measured;
  });
  return measuring;
}

/** Whether the next layout must first measure the device (it has no kept measurement). */
export function needsMeasuring(): boolean {
  return askedWorkers(location.search) === undefined && reported() >= 2 && !keptGain();
}

/** The workers and threads of the next run: `?workers=N` as asked, else from what the device gains. */
export async function measuredLayout(): Promise<{ replicas: number; threads: number }> {
  if (askedWorkers(location.search) !== undefined) return trainingLayout(keptGain());
  return trainingLayout(await gain());
}
