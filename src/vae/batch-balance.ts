/**
 * How a batch is split between the workers of a data-parallel step, so that they finish their
 * shares together. A step waits for its slowest share; in the page the coordinating worker
 * starts at once, while a replica first applies the last update and receives the request, and
 * either can lose time to the page's own thread on a busy core. An even split leaves the first
 * to finish idle for that difference every step.
 *
 * Each worker i finishes about d_i + n_i·c_i after the requests go out: d_i is its delay before
 * it starts, c_i its time per image, n_i its share. Both are measured every step and smoothed.
 * All finish together at T when n_i = (T − d_i) / c_i with Σ n_i = n, so
 * T = (n + Σ d_i / c_i) / Σ 1 / c_i. Until every worker has been measured, the split is even.
 * The split changes only which worker sums which images: the mean gradient is the same, to
 * float rounding.
 */

/** How one worker's share went, on one clock for all the workers of a page or process. */
export interface ShareTiming {
  /** Milliseconds spent computing the share. */
  computeMs: number;
  /** When it was done, in ms on `clock()`. */
  finishedAt: number;
}

/** Milliseconds on a clock that every worker of a page (or of a Node process) shares. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** Runs one share's work and times it. */
export function timeShare<T>(work: () => T): { value: T; timing: ShareTiming } {
  const start = clock();
  const value = work();
  const finishedAt = clock();
  return { value, timing: { computeMs: finishedAt - start, finishedAt } };
}

/** The k + 1 bounds of an even split of n images over k workers: share i is [b[i], b[i + 1]). */
export function evenBounds(n: number, k: number): number[] {
  return Array.from({ length: k + 1 }, (_, i) => Math.floor((i * n) / k));
}

export class BatchBalance {
  readonly workers: number;
  readonly #smoothing: number;
  /** Smoothed ms per image, per worker (0: the coordinator); undefined until measured. */
  readonly #perImage: (number | undefined)[];
  /** Smoothed ms from sending the requests until the worker starts its share. */
  readonly #delay: number[];

  constructor(workers: number, smoothing = 0.2) {
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`A batch is shared by a whole number of workers, at least 1, not ${workers}`);
    this.workers = workers;
    this.#smoothing = smoothing;
    this.#perImage = Array.from({ length: workers }, () => undefined);
    this.#delay = Array.from({ length: workers }, () => 0);
  }

  /** The bounds of the shares of a batch of n images: share i is [b[i], b[i + 1]), each at least one image. */
  bounds(n: number): number[] {
    const k = this.workers;
    const c = this.#perImage;
    if (n < k || c.some((x) => x === undefined)) return evenBounds(n, k);
    const cost = c as number[];
    const rate = cost.map((x) => 1 / x);
    const finish = (n + this.#delay.reduce((s, d, i) => s + d * rate[i]!, 0)) / rate.reduce((s, r) => s + r, 0);
    const sizes = cost.map((x, i) => Math.max(0, (finish - this.#delay[i]!) / x));
    const total = sizes.reduce((s, x) => s + x, 0);
    const b = [0];
    let sum = 0;
    for (let i = 0; i < k - 1; i++) {
      sum += sizes[i]!;
      // Rounded, at least one image after the last bound, and room left for one each after it.
      const bound = Math.round((sum / total) * n);
      b.push(Math.min(n - (k - 1 - i), Math.max(b[i]! + 1, bound)));
    }
    b.push(n);
    return b;
  }

  /**
   * Records a step: the bounds it used, when its requests went out (on `clock()`) and each
   * worker's timing, in the order of the shares. A timing that is missing or not a finite,
   * non-negative time leaves that worker's estimates as they were.
   */
  record(bounds: number[], sentAt: number, timings: (ShareTiming | undefined)[]): void {
    const a = this.#smoothing;
    for (let i = 0; i < this.workers; i++) {
      const t = timings[i];
      const images = bounds[i + 1]! - bounds[i]!;
      if (!t || images <= 0 || !(t.computeMs >= 0) || !Number.isFinite(t.finishedAt) || !Number.isFinite(t.computeMs)) continue;
      const perImage = Math.max(t.computeMs / images, 1e-6);
      const delay = Math.max(0, t.finishedAt - t.computeMs - sentAt);
      const old = this.#perImage[i];
      this.#perImage[i] = old === undefined ? perImage : old + a * (perImage - old);
      this.#delay[i] = old === undefined ? delay : this.#delay[i]! + a * (delay - this.#delay[i]!);
    }
  }
}
