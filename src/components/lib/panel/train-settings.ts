/**
 * The full training panel's settings: the values it offers, its defaults, and their place in
 * the URL (`?train.arch=conv&train.z=16…`), so a link reopens the panel as it was set.
 */
import { PANEL_DEFAULTS, type PanelChoice } from '../../../vae/panel-recipe.ts';
import type { ArchId, DatasetId } from '../../../vae/spec.ts';
import { parseChoice, parseNearest, writeParam, type Parsed } from '../page/url-state.ts';

export type PanelSettings = PanelChoice;

export const OPTIONS = {
  dataset: ['mnist', 'fashion'] as DatasetId[],
  arch: ['mlp', 'conv'] as ArchId[],
  latentDim: [2, 4, 8, 16],
  beta: [0.25, 0.5, 1, 2, 4, 8],
  learningRate: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.1, 100],
  batchSize: [32, 64, 128, 256],
  /** KL warm-up, steps (0: off). */
  warmup: [0, 100, 500, 2000],
  /** Free bits λ, nats per unit (0: off). */
  freeBits: [0, 0.1, 0.25, 0.5, 1],
};

export { SHORT_PANEL_KL_WARMUP_STEPS } from '../../../vae/panel-recipe.ts';

/** The MLP trains an order of magnitude faster than the conv model on a CPU (chapter 5); Node repeats runs from these for the chapter's numbers. */
export const DEFAULTS: PanelSettings = { ...PANEL_DEFAULTS };

const PREFIX = 'train';

/** Each setting's URL key and how it is read. */
const FIELDS: { [K in keyof PanelSettings]: { key: string; parse: (raw: string | undefined) => Parsed<PanelSettings[K]> } } = {
  dataset: { key: 'data', parse: (raw) => parseChoice(raw, OPTIONS.dataset, DEFAULTS.dataset, 'the dataset') },
  arch: { key: 'arch', parse: (raw) => parseChoice(raw, OPTIONS.arch, DEFAULTS.arch, 'the architecture') },
  latentDim: { key: 'z', parse: (raw) => parseNearest(raw, OPTIONS.latentDim, DEFAULTS.latentDim, 'latent size') },
  beta: { key: 'beta', parse: (raw) => parseNearest(raw, OPTIONS.beta, DEFAULTS.beta, 'β') },
  learningRate: { key: 'lr', parse: (raw) => parseNearest(raw, OPTIONS.learningRate, DEFAULTS.learningRate, 'learning rate') },
  batchSize: { key: 'batch', parse: (raw) => parseNearest(raw, OPTIONS.batchSize, DEFAULTS.batchSize, 'batch size') },
  warmup: { key: 'warmup', parse: (raw) => parseNearest(raw, OPTIONS.warmup, DEFAULTS.warmup, 'KL warm-up') },
  freeBits: { key: 'freebits', parse: (raw) => parseNearest(raw, OPTIONS.freeBits, DEFAULTS.freeBits, 'free bits') },
};

/** The settings a link's query asks for (`?train.z=16&…`), with a note for each value that had to be changed. */
export function settingsFromQuery(query: string): { settings: PanelSettings; notes: string[] } {
  const params = new URLSearchParams(query);
  const settings = { ...DEFAULTS };
  const notes: string[] = [];
  for (const name of Object.keys(FIELDS) as (keyof PanelSettings)[]) {
    const parsed = FIELDS[name].parse(params.get(`${PREFIX}.${FIELDS[name].key}`) ?? undefined);
    (settings as Record<string, unknown>)[name] = parsed.value;
    if (parsed.note) notes.push(parsed.note);
  }
  return { settings, notes };
}

/** Records one setting in the URL; a default value leaves the link without it. */
function settingToUrl<K extends keyof PanelSettings>(name: K, value: PanelSettings[K]): void {
  writeParam(PREFIX, FIELDS[name].key, value === DEFAULTS[name] ? undefined : String(value));
}

/**
 * The panel's settings as a link asks for them, shown in its selects (`[data-setting]`) and kept
 * up to date, in the returned object and in the URL, as the reader changes them; `changed` hears
 * each change. A link's values that had to be changed are said in `[data-url-note]`.
 */
export function wireSettings(root: HTMLElement, signal: AbortSignal, changed: (name: keyof PanelSettings) => void): PanelSettings {
  const { settings, notes } = settingsFromQuery(location.search);
  for (const select of root.querySelectorAll<HTMLSelectElement>('[data-setting]')) {
    const name = select.dataset['setting'] as keyof PanelSettings;
    select.value = String(settings[name]);
    select.addEventListener(
      'change',
      () => {
        const value = name === 'dataset' || name === 'arch' ? select.value : Number(select.value);
        (settings as unknown as Record<string, unknown>)[name] = value;
        settingToUrl(name, value as never);
        changed(name);
      },
      { signal },
    );
  }
  const note = root.querySelector<HTMLElement>('[data-url-note]');
  if (note && notes.length > 0) {
    note.hidden = false;
    note.textContent = notes.join(' ');
  }
  return settings;
}
