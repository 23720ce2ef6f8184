/**
 * The training session: the panel's side of the training worker (worker/train.worker.ts). It
 * starts the worker, sends it the reader's requests, passes its events on, and notices a worker
 * that dies: an uncaught error says so, a killed one just falls silent (watchdog.ts). A model
 * being opened gets a worker of its own, which replaces the current one only once the model has
 * loaded, so a bad file changes nothing.
 *
 * Each request returns a promise that settles once the worker has answered it, or is gone: the
 * panel tracks them, so that its `data-settled` says when the worker has done what it was asked.
 */
import type { ModelFiles } from '../../../vae/io.ts';
import type { LoadRequest, StartRequest, TrainEvent, TrainRequest } from '../../../vae/protocol.ts';
import { patienceCap, Watchdog } from './watchdog.ts';

export interface SessionHandlers {
  /** An event of the current worker. */
  event: (event: TrainEvent) => void;
  /** The current worker died (an uncaught error) or fell silent; it has been ended. */
  lost: (why: string) => void;
}

type Loaded = Extract<TrainEvent, { type: 'loaded' }>;

/** What opening a model came to: loaded (to adopt or discard), refused, or its worker failed. */
export type Opened = { ok: true; loaded: Loaded; adopt: () => void; discard: () => void } | { ok: false; message: string; crashed: boolean };

interface Waiter {
  /** Whether `event` answers the request (it may note earlier events of the answer). */
  answers: (event: TrainEvent) => boolean;
  done: () => void;
}

export class TrainingSession {
  readonly #handlers: SessionHandlers;
  #worker: Worker | undefined;
  /** Requests waiting for their answer from the current worker. */
  #waiters: Waiter[] = [];
  #weightWaiters: { resolve: (files: ModelFiles) => void; reject: (err: Error) => void }[] = [];
  /** Workers opening a model, and what to do once they are gone. */
  #opening = new Set<Worker>();
  readonly #watchdog: Watchdog;

  constructor(handlers: SessionHandlers) {
    this.#handlers = handlers;
    const cap = patienceCap(location.search);
    this.#watchdog = new Watchdog(
      () => this.#lose('The training worker stopped responding'),
      () => this.#worker?.postMessage({ type: 'ping' }),
      cap === undefined ? {} : { cap },
    );
  }

  /** Whether a worker holds the model. */
  get active(): boolean {
    return this.#worker !== undefined;
  }

  /** Starts a new worker on `request` (ending any other); settles once it trains or fails. */
  start(request: StartRequest): Promise<void> {
    this.end();
    this.#worker = this.#spawn();
    const answered = this.#answer((e) => e.type === 'state');
    this.#worker.postMessage(request);
    return answered;
  }

  /** Watches for silence while the worker should be stepping; a pause is no silence to worry about. */
  watch(running: boolean): void {
    this.#watchdog.watch(running);
  }

  pause(): Promise<void> {
    return this.#request({ type: 'pause' }, (e) => e.type === 'state');
  }

  resume(): Promise<void> {
    return this.#request({ type: 'resume' }, (e) => e.type === 'state');
  }

  /** One step by hand; settles with the snapshot that follows it (or a divergence's, or a lost context's). */
  step(): Promise<void> {
    this.#watchdog.expectReply();
    let stepped = false;
    return this.#request({ type: 'step' }, (e) => {
      if (e.type === 'step' || e.type === 'diverged' || e.type === 'backendLost') stepped = true;
      return stepped && e.type === 'snapshot';
    });
  }

  /** Ends training; settles with the snapshot of the last step. */
  stop(): Promise<void> {
    let stopped = false;
    return this.#request({ type: 'stop' }, (e) => {
      if (e.type === 'state' && e.state === 'stopped') stopped = true;
      return stopped && e.type === 'snapshot';
    });
  }

  setLearningRate(value: number): void {
    this.#worker?.postMessage({ type: 'learningRate', value });
  }

  /** The worker's current weights, as files; rejects if it is gone before it sends them. */
  weights(): Promise<ModelFiles> {
    const worker = this.#worker;
    if (!worker) return Promise.reject(new Error('no training worker holds the model'));
    return new Promise((resolve, reject) => {
      this.#weightWaiters.push({ resolve, reject });
      worker.postMessage({ type: 'export' });
    });
  }

  /** Ends the current worker (Stop's model stays with the panel); its pending requests settle. */
  end(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#watchdog.stop();
    for (const waiter of this.#waiters.splice(0)) waiter.done();
    for (const waiter of this.#weightWaiters.splice(0)) waiter.reject(new Error('the training worker was ended'));
  }

  /** Ends every worker, opening ones included (the panel left the page). */
  dispose(): void {
    this.end();
    for (const worker of this.#opening) worker.terminate();
    this.#opening.clear();
  }

  /**
   * Opens a model in a worker of its own. Once it has loaded, `adopt` makes that worker the
   * session's (ending the current one) and `discard` ends it; events it sends meanwhile wait.
   */
  open(request: LoadRequest): Promise<Opened> {
    return new Promise((resolve) => {
      const worker = this.#spawn((why) => {
        this.#opening.delete(worker);
        resolve({ ok: false, message: why, crashed: true });
      });
      this.#opening.add(worker);
      const held: TrainEvent[] = [];
      worker.onmessage = (e: MessageEvent<TrainEvent>) => {
        const event = e.data;
        if (!this.#opening.has(worker)) return held.push(event);
        if (event.type !== 'loaded' && event.type !== 'loadFailed' && event.type !== 'error') return;
        this.#opening.delete(worker);
        if (event.type !== 'loaded') {
          worker.terminate();
          return resolve({ ok: false, message: event.message, crashed: false });
        }
        resolve({
          ok: true,
          loaded: event,
          adopt: () => {
            this.end();
            this.#worker = worker;
            worker.onmessage = (m: MessageEvent<TrainEvent>) => this.#heard(worker, m.data);
            for (const later of held.splice(0)) this.#heard(worker, later);
          },
          discard: () => worker.terminate(),
        });
      };
      worker.postMessage(request);
    });
  }

  #spawn(failedWhileOpening?: (why: string) => void): Worker {
    const worker = new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<TrainEvent>) => this.#heard(worker, e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      const why = e.message || 'it could not be loaded';
      if (failedWhileOpening && this.#opening.has(worker)) return failedWhileOpening(why);
      if (worker === this.#worker) this.#lose(`The training worker stopped unexpectedly (${why})`);
    };
    return worker;
  }

  #heard(worker: Worker, event: TrainEvent): void {
    if (worker !== this.#worker) return;
    this.#watchdog.heard(event.type === 'step');
    if (event.type === 'weights') this.#weightWaiters.shift()?.resolve(event.files);
    this.#handlers.event(event);
    // After the panel has shown the event: a request that it answers is then settled.
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.answers(event) && event.type !== 'error') return true;
      waiter.done();
      return false;
    });
  }

  #lose(why: string): void {
    this.end();
    this.#handlers.lost(why);
  }

  #request(request: TrainRequest, answers: (event: TrainEvent) => boolean): Promise<void> {
    if (!this.#worker) return Promise.resolve();
    const answered = this.#answer(answers);
    this.#worker.postMessage(request);
    return answered;
  }

  #answer(answers: (event: TrainEvent) => boolean): Promise<void> {
    return new Promise((resolve) => this.#waiters.push({ answers, done: resolve }));
  }
}
