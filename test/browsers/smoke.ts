/**
 * The cross-browser smoke checks, the same for every browser (a `Driver`, driver.ts):
 *
 * - every chapter of src/content/chapters/ opens with no uncaught error and no console error;
 * - every figure on it (a custom element with `data-state`) reaches `data-state="ready"` once
 *   scrolled into view, and none `error`;
 * - on the chapter with `<draw-digit>`, a mouse stroke on the pad is encoded by every model;
 * - on the chapter with the full `<train-in-page>`, a short run trains a few dozen steps with a
 *   falling loss (the panel's own images/s, workers and backend are reported);
 * - on /your-data/, pictures drawn in the page and picked with the file input (with labels.csv
 *   and classes.txt) are decoded and prepared in the worker, kept, trained on for a few dozen
 *   steps with a falling loss, and drawn by the explorer.
 *
 * The functions handed to `driver.run` execute in the page: they must not use anything outside
 * themselves.
 */
import { readdirSync } from 'node:fs';
import { sleep, type Driver } from './driver.ts';

export interface CheckResult {
  check: string;
  ok: boolean;
  ms: number;
  detail: string;
}

/** The training panel: `idle` means waiting for the reader, not loading. */
const PANEL = 'train-in-page';
/** Steps the short run must reach: "a few dozen". */
const TRAIN_STEPS = 36;
const FIGURE_TIMEOUT = 90_000;
const TRAIN_TIMEOUT = 150_000;

/** Chapter ids as `src/content.config.ts` makes them: the file's path without `.mdx` and its `NN-` prefix. */
export function chapterSlugs(dir = 'src/content/chapters'): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.mdx'))
    .sort()
    .map((file) => file.replace(/\\/g, '/').replace(/\.mdx$/, '').replace(/^\d+-/, ''));
}

// ---- In the page ----------------------------------------------------------------------------

interface FigureInfo {
  tag: string;
  state: string;
  /** Upgraded by its script, with no tracked work pending (`data-settled`, where the figure has it). */
  settled: boolean;
  /** Its status line, if it has one: what it says when it fails. */
  status: string;
}

/** Every figure of the page in document order; with `scroll`, brings figure `scroll` into view first. */
function figures(scroll: number): FigureInfo[] {
  const all = [...document.querySelectorAll<HTMLElement>('[data-state]')].filter((el) => el.localName.includes('-'));
  all[scroll]?.scrollIntoView({ block: 'center' });
  return all.map((el) => ({ tag: el.localName, state: el.dataset['state'] ?? '', settled: el.matches(':defined') && el.dataset['settled'] !== 'false',
    status: el.querySelector('[data-status]')?.textContent?.trim() ?? '',
  }));
}

interface Environment {
  cores: number;
  isolated: boolean;
  sharedArrayBuffer: boolean;
  coiReloaded: boolean;
  serviceWorker: boolean;
}

function environment(): Environment {
  let coiReloaded = false;
  try {
    coiReloaded = sessionStorage.getItem('latent-lab-coi-reloaded') !== null;
  } catch {
    // Storage off.
  }
  return {
    cores: navigator.hardwareConcurrency,
    isolated: globalThis.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    coiReloaded,
    serviceWorker: navigator.serviceWorker?.controller != null,
  };
}

interface PadState {
  runs: number;
  drawn: string;
  state: string;
  codes: Record<string, string | null>;
  inputMax: number;
  rect: { x: number; y: number; width: number; height: number };
}

function padState(scroll: boolean): PadState | undefined {
  const figure = document.querySelector<HTMLElement>('draw-digit');
  const pad = figure?.querySelector<HTMLCanvasElement>('[data-pad]');
  if (!figure || !pad) return undefined;
  if (scroll) pad.scrollIntoView({ block: 'center' });
  const r = pad.getBoundingClientRect();
  const codes: Record<string, string | null> = {};
  for (const el of figure.querySelectorAll<HTMLElement>('[data-result]')) codes[el.dataset['result']!] = el.getAttribute('data-code');
  let inputMax = 0;
  const input = figure.querySelector<HTMLCanvasElement>('[data-input]');
  const data = input?.getContext('2d')?.getImageData(0, 0, input.width, input.height).data ?? [];
  for (let i = 0; i < data.length; i += 4) inputMax = Math.max(inputMax, data[i]!);
  return {
    runs: Number(figure.dataset['runs'] ?? 0),
    drawn: figure.dataset['drawn'] ?? '',
    state: figure.dataset['state'] ?? '',
    codes,
    inputMax,
    rect: { x: r.x, y: r.y, width: r.width, height: r.height },
  };
}

interface PanelState {
  present: boolean;
  /** Upgraded (its script has run) and not busy looking for a kept model (`data-settled`). */
  settled: boolean;
  state: string;
  step: number;
  workers: string;
  backend: string;
  loops: string;
  speed: string;
  status: string;
  losses: number[];
}

/** The full panel (else the first); with `action`, clicks that button first. */
function panelState(action: string, scroll: boolean): PanelState {
  const panel = document.querySelector<HTMLElement>('train-in-page[data-full]') ?? document.querySelector<HTMLElement>('train-in-page');
  if (!panel) return { present: false, settled: false, state: '', step: 0, workers: '', backend: '', loops: '', speed: '', status: '', losses: [] };
  if (scroll) panel.scrollIntoView({ block: 'start' });
  if (action) panel.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)?.click();
  const text = (selector: string) => panel.querySelector(selector)?.textContent?.trim() ?? '';
  return {
    present: true,
    settled: panel.matches(':defined') && panel.dataset['settled'] !== 'false',
    state: panel.dataset['state'] ?? '',
    step: Number(panel.dataset['step'] ?? 0),
    workers: panel.dataset['workers'] ?? '',
    backend: panel.dataset['activeBackend'] ?? '',
    loops: panel.dataset['kernelLoops'] ?? '',
    speed: text('[data-field="speed"]'),
    status: text('[data-status]'),
    losses: (window as unknown as { latentLabTrainLosses?: number[] }).latentLabTrainLosses ?? [],
  };
}

/**
 * Gives the own-data figure `count` pictures through its file input, as a reader's pick does:
 * PNGs drawn here (dark ellipses and rectangles on white, of several sizes), a labels.csv with
 * every fifth picture held out, and a classes.txt that names the two classes.
 */
async function pickPictures(count: number): Promise<string> {
  const figure = document.querySelector<HTMLElement>('own-data');
  const input = figure?.querySelector<HTMLInputElement>('[data-pick-files]');
  if (!figure || !input) return 'no own-data figure with a file input';
  figure.scrollIntoView({ block: 'center' });
  const canvas = document.createElement('canvas');
  const files: File[] = [];
  const rows = ['file,label,split'];
  for (let i = 0; i < count; i++) {
    const side = 28 + 12 * (i % 3);
    canvas.width = canvas.height = side;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, side, side);
    ctx.fillStyle = '#111';
    // Each shape has its own aspect ratio, so that no two stay alike once fitted into 20 × 20.
    const [rx, ry] = [side * 0.3, side * (0.1 + 0.005 * i)];
    if (i % 2 === 0) {
      ctx.beginPath();
      ctx.ellipse(side / 2 + (i % 4) - 2, side / 2, rx, ry, 0, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.fillRect(side / 2 - rx + (i % 4) - 2, side / 2 - ry, 2 * rx, 2 * ry);
    }
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) return `picture ${i} could not be encoded`;
    const name = `${i % 2 === 0 ? 'ellipse' : 'rectangle'}-${i}.png`;
    files.push(new File([blob], name, { type: 'image/png' }));
    rows.push(`${name},${i % 2},${i % 5 === 4 ? 'test' : 'train'}`);
  }
  files.push(new File([rows.join('\n')], 'labels.csv', { type: 'text/csv' }), new File(['ellipse\nrectangle\n'], 'classes.txt', { type: 'text/plain' }));
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  return '';
}

interface OwnState {
  runs: number;
  summary: string;
  status: string;
  /** The explorer's model step, when it shows one. */
  exploreStep: string;
  exploreState: string;
  exploreStatus: string;
}

function ownState(): OwnState {
  const data = document.querySelector<HTMLElement>('own-data');
  const explore = document.querySelector<HTMLElement>('own-explore');
  return {
    runs: Number(data?.dataset['runs'] ?? 0),
    summary: data?.querySelector('[data-summary]')?.textContent?.trim() ?? '',
    status: data?.querySelector('[data-status]')?.textContent?.trim() ?? '',
    exploreStep: explore?.dataset['step'] ?? '',
    exploreState: explore?.dataset['state'] ?? '',
    exploreStatus: explore?.querySelector('[data-status]')?.textContent?.trim() ?? '',
  };
}

/** Brings the explorer into view and presses the panel's "Use it in the figures on this page". */
function useInFigures(): void {
  document.querySelector<HTMLButtonElement>('train-in-page [data-action="use"]')?.click();
  document.querySelector('own-explore')?.scrollIntoView({ block: 'center' });
}

// ---- In Node ----------------------------------------------------------------------------------

/** Polls `read` until `done` holds of its value, or throws after `timeout` ms with `what` and the last value. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeout: number, what: (value: T) => string, every = 250): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout / 1000} s: ${what(value)}`);
    await sleep(every);
  }
}

async function expectClean(driver: Driver): Promise<void> {
  const problems = await driver.problems();
  if (problems.length > 0) throw new Error(`${problems.length} page error(s): ${problems.slice(0, 5).join(' | ')}`);
}

/** Opens a chapter and waits for every figure, one at a time in view. Returns what it saw. */
async function chapter(driver: Driver, url: string, tags: string[]): Promise<string> {
  await driver.goto(url);
  const list = await driver.run(figures, -1);
  tags.push(...list.map((f) => f.tag));
  const counts = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    const { tag } = list[i]!;
    counts.set(tag, (counts.get(tag) ?? 0) + 1);
    const label = `${tag} #${counts.get(tag)}`;
    // The panel rests at `idle` until the reader presses Train: it must have started and not failed.
    const settled = (f: FigureInfo | undefined) => f?.state === 'error' || (tag === PANEL ? !!f?.settled && f.state !== 'loading' : f?.state === 'ready');
    const seen = await until(
      async () => (await driver.run(figures, i))[i],
      settled,
      FIGURE_TIMEOUT,
      (f) => `${label} still "${f?.state}"`,
    );
    if (seen?.state === 'error') throw new Error(`${label}: data-state="error": ${seen.status}`);
  }
  await expectClean(driver);
  const summary = [...counts].map(([tag, n]) => (n > 1 ? `${n} ${tag}` : tag)).join(', ');
  return list.length ? `${list.length} figure${list.length === 1 ? '' : 's'} ready (${summary})` : 'no figures';
}

const SEVEN: [number, number][] = [[0.3, 0.25], [0.5, 0.24], [0.7, 0.25], [0.6, 0.5], [0.5, 0.78]];

/** A stroke on the pad of `<draw-digit>` (already ready) is encoded by every model. */
async function draw(driver: Driver): Promise<string> {
  const before = await driver.run(padState, true);
  if (!before) throw new Error('no <draw-digit> pad');
  await sleep(300); // let smooth scrolling, if any, settle before reading the pad's place
  const { rect } = (await driver.run(padState, true))!;
  await driver.stroke(SEVEN.map(([fx, fy]) => [rect.x + fx * rect.width, rect.y + fy * rect.height]));
  const after = await until(
    () => driver.run(padState, false),
    (s) => !!s && s.runs > before.runs && s.drawn === 'true' && Object.values(s.codes).every((c) => c !== null),
    30_000,
    (s) => `runs ${s?.runs} (was ${before.runs}), data-drawn=${s?.drawn}, codes ${JSON.stringify(s?.codes)}`,
  );
  const codes = Object.entries(after!.codes);
  if (codes.length === 0) throw new Error('the figure has no [data-result] panels');
  for (const [id, code] of codes) {
    const z = (code ?? '').split(',').map(Number);
    if (z.length !== 2 || !z.every(Number.isFinite)) throw new Error(`${id}: data-code "${code}" is not two numbers`);
  }
  if (after!.inputMax < 150) throw new Error(`the models' input shows no ink (brightest pixel ${after!.inputMax})`);
  await expectClean(driver);
  return codes.map(([id, code]) => `${id} z=(${(code ?? '').split(',').map((v) => Number(v).toFixed(2)).join(', ')})`).join('; ');
}

export interface TrainReport {
  steps: number;
  firstLoss: number;
  lastLoss: number;
  workers: string;
  backend: string;
  loops: string;
  /** The panel's images/s readings from step 10 on. */
  speeds: number[];
  secondsToFirstStep: number;
  secondsTraining: number;
  /** What the panel measured the device to gain from parallel work (panel/parallel-gain.ts), if it measured. */
  parallel: string;
}

/** The panel's kept measurement of parallel work, as a line: speed-up of N workers, and how long it took. */
function parallelGain(): string {
  type Kept = { workers?: number; alone?: number; together?: number; reported?: number; ms?: number };
  const read = (): Kept | null => {
    try {
      return JSON.parse(sessionStorage.getItem('latent-lab-parallel-gain') ?? 'null') as Kept | null;
    } catch {
      return null; // Storage off.
    }
  };
  const kept = read();
  if (!kept?.workers || !kept.alone || !kept.together) return 'not measured';
  return `${(kept.together / kept.alone).toFixed(2)}× with ${kept.workers} workers (${kept.reported} cores reported), measured in ${kept.ms ?? '?'} ms`;
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;

/** A short run of the training panel on `url` (opened with `?testhooks`, as test/e2e/train-panel.spec.ts does). */
async function train(driver: Driver, url: string, query = ''): Promise<TrainReport> {
  // SMOKE_TRAIN_QUERY adds to the panel's URL, to compare layouts: `&workers=1`.
  await driver.goto(`${url}?testhooks${query}${process.env['SMOKE_TRAIN_QUERY'] ?? ''}`);
  // The markup already says `idle`: wait for the panel's script, else the click goes nowhere.
  const idle = await until(
    () => driver.run(panelState, '', true),
    (p) => !p.present || (p.settled && p.state === 'idle') || p.state === 'error',
    30_000,
    (p) => `panel "${p.state}", ${p.settled ? 'settled' : 'not upgraded or not settled'}`,
  );
  if (!idle.present) throw new Error('no <train-in-page> on the page');
  if (idle.state !== 'idle') throw new Error(`panel "${idle.state}" before training: ${idle.status}`);
  const clicked = Date.now();
  await driver.run(panelState, 'train', false);
  await until(() => driver.run(panelState, '', false), (p) => p.state !== 'idle', 10_000, () => 'Train was clicked but the panel stayed "idle"');
  const speeds: number[] = [];
  let firstStepAt = 0;
  const end = await until(
    () => driver.run(panelState, '', false),
    (p) => {
      if (p.step > 0 && !firstStepAt) firstStepAt = Date.now();
      if (p.step >= 10 && Number(p.speed) > 0) speeds.push(Number(p.speed));
      return p.step >= TRAIN_STEPS || p.state === 'error' || p.state === 'stopped';
    },
    TRAIN_TIMEOUT,
    (p) => `step ${p.step}, panel "${p.state}": ${p.status}`,
    500,
  );
  const stopped = Date.now();
  await driver.run(panelState, 'stop', false);
  if (end.state === 'error' || end.state === 'stopped') throw new Error(`panel "${end.state}" at step ${end.step}: ${end.status}`);
  await until(() => driver.run(panelState, '', false), (p) => p.state === 'stopped', 30_000, (p) => `panel "${p.state}" after Stop`);
  const parallel = await driver.run(parallelGain);
  const losses = end.losses;
  if (losses.length < 10) throw new Error(`only ${losses.length} step losses recorded`);
  const report: TrainReport = {
    steps: end.step,
    firstLoss: mean(losses.slice(0, 5)),
    lastLoss: mean(losses.slice(-5)),
    workers: end.workers,
    backend: end.backend,
    loops: end.loops,
    speeds,
    secondsToFirstStep: (firstStepAt - clicked) / 1000,
    secondsTraining: (stopped - firstStepAt) / 1000,
    parallel,
  };
  if (!(report.lastLoss < 0.9 * report.firstLoss)) throw new Error(`the loss did not fall: ${report.firstLoss.toFixed(1)} over the first 5 steps, ${report.lastLoss.toFixed(1)} over the last 5`);
  await expectClean(driver);
  return report;
}

/** Pictures the reader's-data check gives the page. */
const OWN_PICTURES = 40;

/** On /your-data/: pictures picked with the file input are decoded in the worker and prepared, with their labels and split. */
async function ownData(driver: Driver, url: string): Promise<string> {
  const tags: string[] = [];
  const opened = await chapter(driver, url, tags);
  const before = await driver.run(ownState);
  const refused = await driver.run(pickPictures, OWN_PICTURES);
  if (refused) throw new Error(refused);
  const after = await until(
    () => driver.run(ownState),
    (s) => s.runs > before.runs,
    60_000,
    (s) => `the figure is still preparing: ${s.status}`,
  );
  const expected = `${OWN_PICTURES} images in 2 classes: ${(OWN_PICTURES * 4) / 5} to train on, ${OWN_PICTURES / 5} held out to test as labels.csv splits them; ${OWN_PICTURES} pictures looked dark on light and were inverted.`;
  if (after.summary !== expected) throw new Error(`summary "${after.summary}", expected "${expected}" (status: ${after.status})`);
  if (!after.status.includes('kept it in this browser')) throw new Error(`the dataset was not kept: ${after.status}`);
  await expectClean(driver);
  return `${opened}; ${after.summary}`;
}

/** On /your-data/, after ownData and a run of the panel to `steps` or more: the explorer draws the model the panel trained. */
async function ownExplore(driver: Driver, steps: number): Promise<string> {
  await driver.run(useInFigures);
  const seen = await until(
    () => driver.run(ownState),
    (s) => Number(s.exploreStep) >= steps || s.exploreState === 'error',
    60_000,
    (s) => `the explorer shows step "${s.exploreStep}", not ${steps} or more: ${s.exploreStatus}`,
  );
  if (seen.exploreState === 'error') throw new Error(`own-explore: ${seen.exploreStatus}`);
  await expectClean(driver);
  return seen.exploreStatus;
}

export interface SmokeReport {
  results: CheckResult[];
  environment?: Environment;
  train?: TrainReport;
}

/** Runs every check in one browser; a failed check does not stop the others. */
export async function smoke(driver: Driver, site: string, slugs: string[], log: (line: string) => void): Promise<SmokeReport> {
  const report: SmokeReport = { results: [] };
  const check = async (name: string, body: () => Promise<string>): Promise<boolean> => {
    const started = Date.now();
    let result: CheckResult;
    try {
      result = { check: name, ok: true, ms: 0, detail: await body() };
    } catch (error) {
      result = { check: name, ok: false, ms: 0, detail: error instanceof Error ? error.message : String(error) };
    }
    result.ms = Date.now() - started;
    report.results.push(result);
    log(`  ${result.ok ? 'ok  ' : 'FAIL'} ${name} (${(result.ms / 1000).toFixed(1)} s): ${result.detail}`);
    return result.ok;
  };

  let drawOn: string | undefined;
  let trainOn: string | undefined;
  for (const slug of slugs) {
    const url = `${site}chapters/${slug}/`;
    const tags: string[] = [];
    await check(`chapter ${slug}`, () => chapter(driver, url, tags));
    if (!report.environment) {
      const env = await driver.run(environment).catch(() => undefined);
      if (env) report.environment = env;
    }
    if (tags.includes('draw-digit') && !drawOn) {
      drawOn = slug;
      await check(`draw on ${slug}`, () => draw(driver));
    }
    if (tags.includes(PANEL)) {
      const full = await driver.run(() => document.querySelector('train-in-page[data-full]') !== null).catch(() => false);
      if (full || !trainOn) trainOn = slug;
    }
  }
  if (!drawOn) await check('draw', () => Promise.reject(new Error('no chapter has a <draw-digit> figure that opened')));
  const trainSlug = trainOn;
  if (trainSlug) {
    await check(`train on ${trainSlug}`, async () => {
      const t = await train(driver, `${site}chapters/${trainSlug}/`);
      report.train = t;
      return `${t.steps} steps, loss ${t.firstLoss.toFixed(1)} → ${t.lastLoss.toFixed(1)}; ${t.workers} worker(s), ${t.backend}, loops ${t.loops || '–'}; ${median(t.speeds).toFixed(0)} images/s (median); first step after ${t.secondsToFirstStep.toFixed(1)} s; parallel gain ${t.parallel}`;
    });
  } else {
    await check('train', () => Promise.reject(new Error('no chapter has a <train-in-page> panel that opened')));
  }
  // A reader's own pictures, decoded by this browser, trained on and explored.
  const own = `${site}your-data/`;
  if (await check('your-data prepare', () => ownData(driver, own))) {
    let steps = 0;
    const trained = await check('your-data train', async () => {
      const t = await train(driver, own, '&train.arch=mlp');
      steps = t.steps;
      return `${t.steps} steps, loss ${t.firstLoss.toFixed(1)} → ${t.lastLoss.toFixed(1)}; ${t.workers} worker(s), ${t.backend}`;
    });
    if (trained) await check('your-data explore', () => ownExplore(driver, steps));
  }
  const env = report.environment;
  if (env) log(`  environment: navigator.hardwareConcurrency ${env.cores}, crossOriginIsolated ${env.isolated}, SharedArrayBuffer ${env.sharedArrayBuffer ? 'yes' : 'no'}, coi.js service-worker reload ${env.coiReloaded ? 'yes' : 'no'}`);
  return report;
}
