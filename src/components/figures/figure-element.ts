/**
 * The base of every figure's custom element. It holds what all figures share, so that a
 * figure's own module holds only what is its own:
 *
 * - lazy start: `start()` runs once, when the figure comes within `startMargin` of the viewport
 *   (a link to its section counts), with the status line saying so and `data-state` going
 *   idle → loading → ready, or error with a message that says the rest of the page still works;
 * - cleanup: listeners added with `listen` (or given `this.signal`) and functions passed to
 *   `cleanup` are removed when the element leaves the page;
 * - the status line (`[data-status]`) and the element lookups (`[data-NAME]`);
 * - theme changes (the page's toggle and the system setting), for figures that paint colours
 *   into a canvas; reduced motion; off-screen pausing (`visible`, `whenVisible`);
 * - the engine, loaded behind a dynamic import so that TF.js loads only when a figure starts;
 * - a settled state: `data-settled` is `true` when no work the figure tracks (`track`) is
 *   pending, so tests wait on it instead of sleeping to prove that nothing happened.
 *
 * Nothing here imports TF.js: the engine comes in with `engine()`.
 */
import { onScreen, whenNear } from '../lib/page/lazy.ts';

export type Engine = typeof import('../lib/engine/engine.ts');
export type Vae = Awaited<ReturnType<Engine['pretrained']>>;
export type FigureState = 'idle' | 'loading' | 'ready' | 'error';

/** The performance mark of the page's first image decoded live. */
const FIRST_LIVE_DECODE = 'latent-lab:first-live-decode';

/** The sentence a figure shows when it cannot run: what failed, why, and that the page goes on. */
export function failureText(what: string, err: unknown): string {
  const why = err instanceof Error ? err.message : String(err);
  return `${what}: ${why.replace(/\.$/, '')}. The rest of the page still works.`;
}

export abstract class FigureElement extends HTMLElement {
  /** How far from the viewport the figure starts (an IntersectionObserver root margin). */
  protected startMargin = '600px';
  /** What the status line says while `start()` runs. */
  protected loadingText = 'Loading TensorFlow.js and the model…';
  /** What the status line says when `start()` fails. */
  protected failureWhat = 'The model could not be loaded, so this figure cannot run';

  #controller = new AbortController();
  #cleanups: (() => void)[] = [];
  #visible = true;
  #pending = 0;
  #engine: Promise<Engine> | undefined;

  /** Aborted when the element leaves the page: pass it to addEventListener and fetch. */
  protected get signal(): AbortSignal {
    return this.#controller.signal;
  }

  connectedCallback(): void {
    if (this.#controller.signal.aborted) this.#controller = new AbortController();
    this.dataset['state'] ??= 'idle';
    this.dataset['settled'] = 'true';
    this.setup();
    this.cleanup(whenNear(this, () => void this.run(), this.startMargin));
  }

  disconnectedCallback(): void {
    this.#controller.abort();
    for (const fn of this.#cleanups.splice(0)) fn();
  }

  /** Work that needs no engine and should happen at once (wiring controls, reading the URL). */
  protected setup(): void {}

  /** Loads what the figure needs and draws it; a throw puts the figure in its error state. */
  protected abstract start(): Promise<void>;

  /** Runs `start()` with the loading and error states around it; figures call it again to restart. */
  protected async run(): Promise<void> {
    this.status(this.loadingText, 'loading');
    try {
      await this.track(this.start());
    } catch (err) {
      this.fail(err);
    }
  }

  /** Puts the figure in its error state with a message that names the cause. */
  protected fail(err: unknown, what = this.failureWhat): void {
    this.status(failureText(what, err), 'error');
  }

  /** Sets the status line and, if given, `data-state`. */
  protected status(text: string, state?: FigureState): void {
    const line = this.querySelector<HTMLElement>('[data-status]');
    if (line) line.textContent = text;
    if (state) this.dataset['state'] = state;
  }

  get state(): FigureState {
    return (this.dataset['state'] as FigureState | undefined) ?? 'idle';
  }

  /** The element marked `data-NAME` inside the figure; throws if the markup lacks it. */
  protected el<T extends Element = HTMLElement>(name: string): T {
    const el = this.querySelector<T>(`[data-${name}]`);
    if (!el) throw new Error(`${this.localName}: missing [data-${name}]`);
    return el;
  }

  /** The element marked `data-NAME`, or null where the markup leaves it out. */
  protected maybeEl<T extends Element = HTMLElement>(name: string): T | null {
    return this.querySelector<T>(`[data-${name}]`);
  }

  /** Runs `fn` when the element leaves the page. */
  protected cleanup(fn: () => void): void {
    this.#cleanups.push(fn);
  }

  /** addEventListener that is removed when the element leaves the page. */
  protected listen<K extends keyof HTMLElementEventMap>(target: EventTarget, type: K, handler: (e: HTMLElementEventMap[K]) => void, options: AddEventListenerOptions = {}): void {
    target.addEventListener(type, handler as EventListener, { ...options, signal: this.signal });
  }

  /** Calls `repaint` when the page's theme changes (the toggle or the system's setting). */
  protected onTheme(repaint: () => void): void {
    const observer = new MutationObserver(repaint);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.cleanup(() => observer.disconnect());
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', repaint, { signal: this.signal });
  }

  /** Whether the reader asked for reduced motion: animations jump to their end. */
  protected get reducedMotion(): boolean {
    return matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  /** Whether the figure is on screen (true until `watchVisibility` says otherwise). */
  protected get visible(): boolean {
    return this.#visible;
  }

  /** Follows whether the figure is on screen, so it can skip drawing what nobody sees. */
  protected watchVisibility(change: (visible: boolean) => void = () => {}, margin?: string): void {
    this.cleanup(
      onScreen(
        this,
        (visible) => {
          this.#visible = visible;
          this.dataset['visible'] = String(visible);
          change(visible);
        },
        margin,
      ),
    );
  }

  /** The engine, imported once per figure (the module itself once per page). */
  protected engine(): Promise<Engine> {
    this.#engine ??= import('../lib/engine/engine.ts');
    return this.#engine;
  }

  /**
   * Marks the page's first image decoded live by a figure (`latent-lab:first-live-decode` on the
   * performance timeline), once per page: what `npm run bench` times a cold visit by.
   */
  protected liveDecoded(): void {
    if (performance.getEntriesByName(FIRST_LIVE_DECODE).length === 0) performance.mark(FIRST_LIVE_DECODE);
  }

  /** Counts `work` as pending until it settles: `data-settled` is `false` meanwhile. */
  protected track<T>(work: Promise<T>): Promise<T> {
    this.#pending++;
    this.dataset['settled'] = 'false';
    const done = () => {
      this.#pending--;
      if (this.#pending === 0) this.dataset['settled'] = 'true';
    };
    work.then(done, done);
    return work;
  }
}
