/**
 * `<offline-storage>` (src/pages/offline.astro): what this browser keeps of the site, and a way
 * to clear it. The offline copy (the service worker's caches of public/coi-sw.js, and the
 * training images the panels keep) can go at any time: the site fetches it again. The models
 * and the dataset a reader chose to keep live in IndexedDB and go only when the reader says so.
 */
import { forgetOwn, storedDataset, storedOwnModel } from './own-store.ts';
import { forgetModel, savedModel } from './saved-model.ts';

/** Every cache this site makes starts with this. */
const PREFIX = 'latent-lab-';

interface Counts {
  shell: { version: string; kept: number } | undefined;
  data: string[];
  training: number;
}

/** The site's caches: the offline shell of the newest build, the weights and data files kept, the panels' training images. */
async function cacheCounts(): Promise<Counts> {
  const counts: Counts = { shell: undefined, data: [], training: 0 };
  if (typeof caches === 'undefined') return counts;
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const keys = await (await caches.open(name)).keys();
    if (name.startsWith(`${PREFIX}shell-`)) counts.shell = { version: name.slice(`${PREFIX}shell-`.length), kept: keys.length };
    else if (name === `${PREFIX}data`) counts.data = keys.map((r) => new URL(r.url).pathname);
    else counts.training += keys.length;
  }
  return counts;
}

/** "weights of mnist-conv-z2 and fashion-conv-z2; 2 dataset files" from the data cache's paths. */
function describeData(paths: string[]): string {
  if (paths.length === 0) return 'none yet';
  const models = [...new Set(paths.flatMap((p) => /\/weights\/([^/]+)\//.exec(p)?.[1] ?? []))];
  const files = paths.filter((p) => !p.includes('/weights/')).length;
  const parts = [models.length > 0 ? `the weights of ${models.join(', ')}` : '', files > 0 ? `${files} dataset file${files === 1 ? '' : 's'}` : ''].filter(Boolean);
  return parts.join('; ');
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

class OfflineStorage extends HTMLElement {
  #busy = false;

  connectedCallback(): void {
    this.#button('clear').addEventListener('click', () => void this.#clear(false));
    this.#button('forget').addEventListener('click', () => void this.#clear(true));
    navigator.serviceWorker?.addEventListener('message', () => void this.#show());
    void this.#show();
  }

  #el(name: string): HTMLElement {
    const el = this.querySelector<HTMLElement>(`[data-${name}]`);
    if (!el) throw new Error(`offline-storage: missing [data-${name}]`);
    return el;
  }

  #button(name: string): HTMLButtonElement {
    return this.#el(name) as HTMLButtonElement;
  }

  async #show(): Promise<void> {
    const worker = navigator.serviceWorker;
    this.#el('worker').textContent = !worker
      ? 'not available in this browser or on this connection: the site works online only.'
      : worker.controller
        ? 'running: this page and the site’s other pages work offline once their files are kept.'
        : 'not running on this page (turned off with ?coi=0, or a hard reload skipped it).';
    const counts = await cacheCounts();
    const files = Number(document.documentElement.dataset['offline']?.split('/')[1] ?? NaN);
    this.#el('shell').textContent = counts.shell
      ? `${counts.shell.kept.toLocaleString('en')}${Number.isFinite(files) ? ` of ${files.toLocaleString('en')}` : ''} files of the site (version ${counts.shell.version}).`
      : 'nothing yet.';
    this.#el('data').textContent = `${describeData(counts.data)}.`;
    this.#el('training').textContent = counts.training > 0 ? `${counts.training} set${counts.training === 1 ? '' : 's'} of training images.` : 'none.';
    const [model, dataset] = await Promise.all([savedModel().catch(() => undefined), storedDataset().catch(() => undefined)]);
    const ownModel = dataset ? await storedOwnModel(dataset.prepared).catch(() => undefined) : undefined;
    const kept = [model ? `the model of the training panel (${megabytes(model.length)})` : '', dataset ? `your dataset “${dataset.name}” (${megabytes(dataset.images.length)})` : '', ownModel ? `the model trained on it (${megabytes(ownModel.length)})` : ''].filter(Boolean);
    this.#el('kept').textContent = kept.length > 0 ? `${kept.join(', ')}.` : 'none.';
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
    this.#el('total').textContent = estimate?.usage !== undefined ? `${megabytes(estimate.usage)} in all.` : 'this browser does not say.';
    this.dataset['shell'] = String(counts.shell?.kept ?? 0);
    this.dataset['dataFiles'] = String(counts.data.length);
    this.dataset['kept'] = String(kept.length);
    this.dataset['state'] = 'ready';
  }

  /** Deletes the site's caches; with `everything`, the kept models and dataset too. */
  async #clear(everything: boolean): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      if (typeof caches !== 'undefined') for (const name of await caches.keys()) if (name.startsWith(PREFIX)) await caches.delete(name);
      if (everything) await Promise.all([forgetModel(), forgetOwn()]);
      this.#el('note').textContent = everything
        ? 'Cleared: the offline copy, the models and your dataset are gone from this browser.'
        : 'Cleared the offline copy; your kept models and dataset stay. The site keeps its files again as you read.';
    } catch (err) {
      this.#el('note').textContent = `Not everything could be cleared: ${err instanceof Error ? err.message : String(err)}.`;
    } finally {
      this.#busy = false;
      await this.#show();
    }
  }
}

customElements.define('offline-storage', OfflineStorage);
