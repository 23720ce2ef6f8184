/**
 * Starting replica workers within a bounded time (src/components/lib/worker/replica-pool.ts). A
 * replica must load TF.js, its backend, the images (from the browser's cache) and the model
 * before it reports ready; one that never does (Firefox has been seen to leave a worker hanging
 * there) would hold the whole run at "Starting N more workers…". So the starts get a deadline:
 * a worker not ready by then is dropped (terminated), and training goes on with those that
 * started. The deadline scales with how long the training worker took to do the same work
 * itself, which it has just done.
 */

/** A replica being started: its readiness, and a way to end it (its worker) if it is late. */
export interface Starting<T> {
  ready: Promise<T>;
  drop(): void;
}

/** What came of the starts: the replicas that started, in the order asked, and those that did not. */
export interface Started<T> {
  started: T[];
  /** Not ready by the deadline: dropped. */
  late: number;
  /** Failed to start (an error while loading): dropped too. */
  failed: number;
}

/** Timers, injectable for tests. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The shortest and longest time a replica gets to start, in ms, and the multiple of the training worker's own start. */
const START_LEAST_MS = 10_000;
const START_MOST_MS = 60_000;
const START_FACTOR = 3;

/**
 * How long replicas get to report ready: three times what the training worker's own start took
 * (several replicas start at once and share the cores; they take their images from the cache,
 * where the training worker may have downloaded them), within 10 s to 60 s.
 */
export function startDeadline(ownStartMs: number): number {
  const scaled = Number.isFinite(ownStartMs) && ownStartMs > 0 ? START_FACTOR * ownStartMs : 0;
  return Math.round(Math.min(START_MOST_MS, Math.max(START_LEAST_MS, scaled)));
}

/**
 * Waits until every start has settled or the deadline (`ms` from now) has passed; drops each
 * replica that failed or is still starting then. Never rejects.
 */
export function startWithin<T>(starts: readonly Starting<T>[], ms: number, timers: Timers = realTimers): Promise<Started<T>> {
  if (starts.length === 0) return Promise.resolve({ started: [], late: 0, failed: 0 });
  return new Promise((resolve) => {
    const results: (T | undefined)[] = starts.map(() => undefined);
    const settled = starts.map(() => false);
    let open = starts.length;
    let late = 0;
    let failed = 0;
    const finish = () => {
      timers.clearTimeout(timer);
      resolve({ started: results.filter((r, i) => settled[i] && r !== undefined) as T[], late, failed });
    };
    const settle = (i: number, value?: T) => {
      if (settled[i]) return false;
      settled[i] = true;
      results[i] = value;
      open--;
      return true;
    };
    const timer = timers.setTimeout(() => {
      starts.forEach((s, i) => {
        if (!settle(i)) return;
        late++;
        s.drop();
      });
      finish();
    }, ms);
    starts.forEach((s, i) => {
      s.ready.then(
        (value) => {
          if (settle(i, value) && open === 0) finish();
        },
        () => {
          if (!settle(i)) return;
          failed++;
          s.drop();
          if (open === 0) finish();
        },
      );
    });
  });
}
