/**
 * Keeping the reader's model (the full training panel): saved in this browser's IndexedDB
 * (saved-model.ts) when training pauses or stops, read back on the next visit, forgotten on
 * request, downloaded as one `.vae` file (src/vae/bundle.ts) and opened from one. Every outcome
 * is said in the panel's note about the kept model (`[data-model-note]`), errors included; the
 * methods that read a model return it, or undefined when there is none to open.
 */
import { BundleError, decodeBundle, encodeBundle, type ModelBundle } from '../../../vae/bundle.ts';
import type { ModelFiles } from '../../../vae/io.ts';
import { forgetModel, saveModel, savedModel } from '../page/saved-model.ts';
import { bundleOf, downloadBundle, type PanelModel } from './panel-model.ts';

const time = (iso: string) => new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** How a model came to be opened: kept by this browser, or a file the reader chose. */
export type OpenedHow = 'restored' | 'imported';

/** Where a panel keeps its model in this browser: one record, replaced by each save. */
export interface ModelSlot {
  save(bundle: Uint8Array): Promise<void>;
  load(): Promise<Uint8Array | undefined>;
  forget(): Promise<void>;
  /** Why a bundle cannot be this panel's model (trained on other data), or undefined. */
  refuse?(bundle: ModelBundle): string | undefined;
}

/** The model the panels on the site's own data keep (saved-model.ts). */
const SITE_SLOT: ModelSlot = { save: saveModel, load: savedModel, forget: forgetModel };

export class ModelStorage {
  readonly #note: HTMLElement | null;
  readonly #slot: ModelSlot;

  constructor(note: HTMLElement | null, slot: ModelSlot = SITE_SLOT) {
    this.#note = note;
    this.#slot = slot;
  }

  /** Says something about the kept model. */
  say(text: string, kind: 'info' | 'error' = 'info'): void {
    if (!this.#note) return;
    this.#note.textContent = text;
    this.#note.dataset['kind'] = kind;
  }

  /** Saves `model` with `files` in this browser; resolves with the time saved, or undefined on failure. */
  async keep(model: PanelModel, files: ModelFiles): Promise<string | undefined> {
    const bundle = bundleOf(model, files);
    try {
      await this.#slot.save(encodeBundle(bundle));
      this.say(`This browser keeps your model (step ${bundle.meta.steps}, saved ${time(bundle.meta.savedAt)}): it will still be here after a reload.`);
      return bundle.meta.savedAt;
    } catch (err) {
      this.say(`Your model could not be kept in this browser (${message(err)}); download it to keep it.`, 'error');
      return undefined;
    }
  }

  /** Hands `model` to the browser as a `.vae` download; `downloaded` says so once it is kept too. */
  download(model: PanelModel, files: ModelFiles): { name: string; bytes: number } {
    return downloadBundle(bundleOf(model, files));
  }

  downloaded(file: { name: string; bytes: number }): void {
    this.say(`Downloaded ${file.name} (${(file.bytes / 1e6).toFixed(1)} MB): open it here, in any browser, with “Open a model file”. This browser keeps a copy too.`);
  }

  async forget(): Promise<void> {
    try {
      await this.#slot.forget();
      this.say('Forgotten: your model is gone from this page and from this browser’s storage.');
    } catch (err) {
      this.say(`Your model is gone from this page, but this browser’s copy could not be removed: ${message(err)}.`, 'error');
    }
  }

  /**
   * The model an earlier visit kept, to be opened; undefined if there is none, or if it is no
   * longer `wanted` once read (the reader has a model of their own by then).
   */
  async kept(wanted: () => boolean): Promise<ModelBundle | undefined> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.#slot.load();
    } catch {
      return undefined; // No storage here: nothing was kept either.
    }
    if (!bytes || !wanted()) return undefined;
    try {
      return decodeBundle(bytes);
    } catch (err) {
      this.say(`The model this browser kept could not be read (${message(err)}). Forget my model removes it.`, 'error');
      return undefined;
    }
  }

  /** A model file the reader chose, read and about to be opened; undefined (and said) if it is not one. */
  async read(file: File, unchanged: string): Promise<ModelBundle | undefined> {
    try {
      const bundle = decodeBundle(new Uint8Array(await file.arrayBuffer()));
      if (bundle.spec.kind !== 'vae') throw new BundleError(`It holds a ${bundle.spec.kind === 'cvae' ? 'conditional VAE' : 'plain autoencoder'}; this panel shows VAEs.`);
      const refused = this.#slot.refuse?.(bundle);
      if (refused) throw new BundleError(refused);
      return bundle;
    } catch (err) {
      this.say(`Could not open ${file.name}: ${message(err)}${unchanged}`, 'error');
      return undefined;
    }
  }

  /** Says that `bundle` is being opened. */
  opening(bundle: ModelBundle, how: OpenedHow, name: string): void {
    this.say(how === 'restored' ? `Opening your model from ${time(bundle.meta.savedAt)}…` : `Opening ${name}…`);
  }

  /** `bundle` could not be opened: its weights do not fit, or its worker failed. */
  openFailed(how: OpenedHow, name: string, why: string, crashed: boolean, unchanged: string): void {
    if (crashed) return this.say(`The model could not be opened: the worker stopped (${why}).${unchanged}`, 'error');
    this.say(how === 'restored' ? `The model this browser kept could not be opened: ${why} Forget my model removes it.` : `Could not open ${name}: ${why}${unchanged}`, 'error');
  }

  /** `bundle` is open; one the reader chose becomes the model this browser keeps. */
  opened(bundle: ModelBundle, how: OpenedHow, name: string, what: string): void {
    const { meta } = bundle;
    this.say(how === 'restored' ? `Your model from ${time(meta.savedAt)}, ${meta.steps} steps, is loaded.` : `Opened ${name}: ${what}, saved ${time(meta.savedAt)}. This browser now keeps it as your model.`);
    if (how === 'imported') void this.#slot.save(encodeBundle(bundle)).catch(() => undefined);
  }
}
