/**
 * Notices a worker that has gone silent while it should be busy. A worker that dies of an
 * uncaught error says so (an error event); one that is killed (out of memory, a crashed
 * process) just stops talking. While watched, silence longer than the patience sends a ping,
 * and silence for as long again after the ping counts as death. The patience follows the
 * worker's own pace: 20 times the longest gap seen between two of its steps, at least 5 s, and
 * 30 s until a gap has been seen (a first step on a slow device can take that long). A page
 * opened with `?testhooks&patience=<ms>` caps it, so that a test of a dead worker need not wait
 * as long as a loaded machine's pace would allow.
 */
export interface WatchdogOptions {
  /** The longest patience, in milliseconds, whatever the worker's pace. */
  cap?: number;
  /** The clock, in milliseconds (performance.now by default). */
  now?: () => number;
}

/** The patience cap that `?testhooks&patience=<ms>` asks for, if any (a positive number). */
export function patienceCap(search: string): number | undefined {
  const params = new URLSearchParams(search);
  const cap = Number(params.get('patience'));
  return params.has('testhooks') && Number.isFinite(cap) && cap > 0 ? cap : undefined;
}

export class Watchdog {
  #onDead: () => void;
  #ping: () => void;
  #lastHeard = 0;
  #lastStep = 0;
  #longestGap = 0;
  #pingedAt = 0;
  #watching = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #cap: number;
  readonly #now: () => number;

  constructor(onDead: () => void, ping: () => void, options: WatchdogOptions = {}) {
    this.#onDead = onDead;
    this.#ping = ping;
    this.#cap = options.cap ?? Infinity;
    this.#now = options.now ?? (() => performance.now());
  }

  get patience(): number {
    return Math.min(this.#cap, this.#longestGap > 0 ? Math.max(5000, 20 * this.#longestGap) : 30_000);
  }

  /** A message from the worker; `step` when it reports a training step. */
  heard(step: boolean): void {
    const now = this.#now();
    if (step && this.#lastStep > 0) this.#longestGap = Math.max(this.#longestGap, now - this.#lastStep);
    if (step) this.#lastStep = now;
    this.#lastHeard = now;
    this.#pingedAt = 0;
    if (!this.#watching) this.#idle();
  }

  /** Watches while the worker should be stepping; a pause is no silence to worry about. */
  watch(on: boolean): void {
    this.#watching = on;
    if (on) this.#arm();
    else {
      // A gap across a pause says nothing about the worker's pace.
      this.#lastStep = 0;
      this.#idle();
    }
  }

  /** Watches until the worker's next message (the answer to a request, such as one step). */
  expectReply(): void {
    this.#arm();
  }

  stop(): void {
    this.#watching = false;
    this.#lastStep = 0;
    this.#longestGap = 0;
    this.#idle();
  }

  #arm(): void {
    this.#lastHeard = this.#now();
    this.#pingedAt = 0;
    this.#timer ??= setInterval(() => this.#check(), 1000);
  }

  #idle(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    const now = this.#now();
    if (this.#pingedAt > 0) {
      if (now - this.#pingedAt > this.patience) {
        this.stop();
        this.#onDead();
      }
      return;
    }
    if (now - this.#lastHeard > this.patience) {
      this.#pingedAt = now;
      this.#ping();
    }
  }
}
