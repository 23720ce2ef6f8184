/**
 * npm run bench [-- --json] [-- --node-only] [-- --backends wasm,cpu] [-- --time-to-loss-only] [-- --own-data-only] [-- --vitals-only] [-- --vitals-pages /,/guide/] [-- --step-profile-only] [-- --native-only]
 *
 * Times the engine on every backend available in Node and in headless Chromium (against the
 * built site's /bench/ page): training images/s at batch 128, single-digit decode latency,
 * 20×20 grid decode time and achieved GFLOP/s, for the flagship and the colour emoji-conv-z2 (in
 * Chromium the grid is painted into a canvas too); then, in chapter 5's training panel with its
 * default settings, the seconds from pressing Train until the test loss on the panel's fixed
 * test subset is at most 180 nats; and how fast the own-data figure prepares 10,000 small PNGs,
 * with the page's longest main-thread task meanwhile (`--own-data-only` runs that alone); and
 * every page's vitals, cold and warm (scripts/lib/bench-vitals.ts; `--vitals-only` runs those
 * alone and writes bench-results/vitals.json).
 * Prints a table (or, with --json, one JSON array) and writes
 * bench-results/bench.json. A benchmark, not a test: numbers vary from run to run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { initBackend, tf, type BackendName } from '../src/vae/backend.ts';
import { benchBackend, type BenchRow } from '../src/vae/bench.ts';
import { median } from '../src/vae/stats.ts';
import { loadSplit } from '../src/vae/data.ts';
import { trainFlopsPerExample } from '../src/vae/flops.ts';
import { buildVae, countParams, disposeVae } from '../src/vae/model.ts';
import { getSpec } from '../src/vae/spec.ts';
import { benchOwnData, type OwnDataBench } from './lib/bench-own-data.ts';
import { benchVitals, vitalsTable, TARGETS, type VitalsReport } from './lib/bench-vitals.ts';
import { stepProfileTable } from './lib/bench-step-profile.ts';
import { NATIVE_HOWTO, nativeLine, runNative, type NativeComparison, type NativeRun } from './lib/bench-native.ts';
import { profileStep, type StepProfile } from '../src/vae/step-profile.ts';
import { ParallelTrainer } from './lib/parallel-trainer.ts';
import { cliArgs, exitCleanlyOnError } from './lib/args.ts';
import { readPublic, ROOT, writeFiles } from './lib/files.ts';

exitCleanlyOnError();

const args = cliArgs({
  json: { type: 'boolean', default: false },
  'node-only': { type: 'boolean', default: false },
  backends: { type: 'string', default: 'wasm,cpu' },
  'browser-backends': { type: 'string', default: 'wasm,webgl,cpu' },
  /** Only the chapter-5 row: seconds until the panel's test loss reaches --target-loss. */
  'time-to-loss-only': { type: 'boolean', default: false },
  'target-loss': { type: 'string', default: '180' },
  /** Only the own-data figure's preparation of --own-data-images PNGs. */
  'own-data-only': { type: 'boolean', default: false },
  'own-data-images': { type: 'string', default: '10000' },
  /** Only the page vitals: LCP, CLS, TBT and the first live digit of every page. */
  'vitals-only': { type: 'boolean', default: false },
  /** Only the native reference (PyTorch on this CPU) against the page's training panel, alternated three times. */
  'native-only': { type: 'boolean', default: false },
  /** Only one training step of the seed model broken into its parts, in Node and in Chromium. */
  'step-profile-only': { type: 'boolean', default: false },
  /** The vitals of these pages alone (comma-separated paths, e.g. /,/chapters/autoencoders/#walk-the-latent-plane). */
  'vitals-pages': { type: 'string' },
});
const log = (msg: string) => (args.json ? process.stderr.write(`${msg}\n`) : console.log(msg));

async function benchNode(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of args.backends!.split(',') as BackendName[]) {
    log(`node: timing ${name}…`);
    await initBackend({ prefer: [name] });
    const slow = name === 'cpu';
    rows.push(await benchBackend({ where: 'node', warmup: slow ? 1 : 2, trainSteps: slow ? 1 : 5, decodeRuns: slow ? 5 : 30, gridRuns: slow ? 1 : 5 }));
    // The colour model (32 × 32 × 3 emoji), on the backend that trains the zoo.
    if (name === 'wasm') rows.push(await benchBackend({ where: 'node', model: 'emoji-conv-z2', warmup: 2, trainSteps: 5, decodeRuns: 30, gridRuns: 5 }));
    tf.disposeVariables();
  }
  return rows;
}

/** Data-parallel training over worker threads, one per core: the Node training CLI's --workers. */
async function benchParallel(workers: number): Promise<BenchRow> {
  log(`node: timing wasm on ${workers} worker threads…`);
  await initBackend({ prefer: ['wasm'] });
  const spec = getSpec('mnist-conv-z2');
  const batch = 128;
  const data = await loadSplit(readPublic, 'data/mnist', 'train', { limit: batch * 8 });
  const vae = buildVae(spec);
  const trainer = await ParallelTrainer.create(vae, data, { batchSize: batch, learningRate: 1e-3, seed: 1 }, workers, 'data/mnist');
  try {
    for (let i = 0; i < 2; i++) await trainer.step();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await trainer.step();
      times.push(performance.now() - t0);
    }
    const imagesPerSec = (batch * 1000) / median(times);
    const single = await benchBackend({ where: 'node', trainSteps: 1, warmup: 0, decodeRuns: 5, gridRuns: 1 });
    return {
      ...single,
      backend: `wasm×${workers}`,
      trainImagesPerSec: Math.round(imagesPerSec * 10) / 10,
      gflops: Math.round((imagesPerSec * trainFlopsPerExample([vae.encoder, vae.decoder])) / 1e7) / 100,
    };
  } finally {
    await trainer.dispose();
    disposeVae(vae);
  }
}

/**
 * Drives chapter 5's training panel on the seed model at batch 128, with `workers` workers
 * sharing each batch: after the first step, trains for 15 s while watching the main thread for
 * long tasks (PerformanceObserver 'longtask', tasks over 50 ms), then reads the steps taken.
 */
async function trainInPanel(page: import('@playwright/test').Page, port: number, workers: number): Promise<{ imagesPerSec: number; longestTaskMs: number; batch: number }> {
  const batch = 128;
  log(`chromium: training in the page's panel on ${workers} worker(s) for 15 s, watching the main thread…`);
  await page.goto(`http://127.0.0.1:${port}/chapters/train-it-yourself/?train.arch=conv&train.batch=${batch}&workers=${workers}`);
  await page.evaluate(() => {
    const w = window as unknown as { longest: number };
    w.longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longest = Math.max(w.longest, e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  const fig = page.locator('train-in-page');
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train' }).click();
  await page.waitForFunction(() => Number(document.querySelector('train-in-page')?.getAttribute('data-step')) > 0, undefined, { timeout: 120_000 });
  // Measure from the first step on: loading the data and starting the workers are not training.
  await page.evaluate(() => ((window as unknown as { longest: number }).longest = 0));
  const stepsBefore = Number(await fig.getAttribute('data-step'));
  const t0 = Date.now();
  await page.waitForTimeout(15_000);
  const steps = Number(await fig.getAttribute('data-step')) - stepsBefore;
  const seconds = (Date.now() - t0) / 1000;
  const longestTaskMs = await page.evaluate(() => Math.round((window as unknown as { longest: number }).longest));
  await fig.getByRole('button', { name: 'Stop' }).click();
  return { imagesPerSec: Math.round(((steps * batch) / seconds) * 10) / 10, longestTaskMs, batch };
}

let longestTaskMs: number | undefined;
let ownData: OwnDataBench | undefined;

interface TimeToLoss {
  target: number;
  /** Seconds from pressing Train: starting TF.js, measuring backends, fetching data, training. */
  secondsFromClick: number;
  /** Seconds from the first reported step. */
  secondsFromFirstStep: number;
  step: number;
  testLoss: number;
  workers: number;
  backend: string;
  imagesPerSec: number;
}

/**
 * Chapter 5's panel as a first-time reader meets it (fresh browser, default settings, nothing
 * cached): presses Train and waits until the test loss the panel reports (500 fixed test
 * images, every snapshot) is at most `target`.
 */
async function timeToTestLoss(page: import('@playwright/test').Page, port: number, target: number): Promise<TimeToLoss> {
  log(`chromium: chapter 5's panel, default settings: seconds until its test loss is ≤ ${target}…`);
  await page.goto(`http://127.0.0.1:${port}/chapters/train-it-yourself/`);
  const fig = page.locator('train-in-page');
  await fig.scrollIntoViewIfNeeded();
  await fig.getByRole('button', { name: 'Train' }).click();
  const clicked = Date.now();
  await page.waitForFunction(() => Number(document.querySelector('train-in-page')?.getAttribute('data-step')) > 0, undefined, { timeout: 300_000, polling: 100 });
  const firstStep = Date.now();
  await page.waitForFunction((t) => Number(document.querySelector('train-in-page')?.getAttribute('data-test-loss') ?? Infinity) <= t, target, { timeout: 900_000, polling: 100 });
  const reached = Date.now();
  const read = async (name: string) => (await fig.getAttribute(name)) ?? '';
  const result: TimeToLoss = {
    target,
    secondsFromClick: Math.round((reached - clicked) / 100) / 10,
    secondsFromFirstStep: Math.round((reached - firstStep) / 100) / 10,
    step: Number(await read('data-snapshot-step')),
    testLoss: Number(await read('data-test-loss')),
    workers: Number(await read('data-workers')),
    backend: await read('data-active-backend'),
    imagesPerSec: Number(await fig.locator('[data-field="speed"]').textContent()),
  };
  await fig.getByRole('button', { name: 'Stop' }).click();
  return result;
}

let timeToLoss: TimeToLoss | undefined;
let vitals: VitalsReport | undefined;
const stepProfiles: { where: string; profile: StepProfile }[] = [];
let native: NativeComparison | { missing: string } | undefined;

/**
 * The native reference and the page's training panel (the better of one worker and one per
 * core), alternated `rounds` times so that both meet the same machine; medians of each.
 */
async function compareNative(page: Page, port: number, rounds: number, measured?: { imagesPerSec: number; workers: number }): Promise<NativeComparison | { missing: string }> {
  const reference: NativeRun[] = [];
  const panel: { imagesPerSec: number; workers: number }[] = [];
  await initBackend({ prefer: ['wasm'] });
  const seed = buildVae(getSpec('mnist-conv-z2'));
  const expected = countParams(seed);
  disposeVae(seed);
  for (let round = 0; round < rounds; round++) {
    log(`native: PyTorch on this CPU (round ${round + 1} of ${rounds})…`);
    const run = runNative(ROOT);
    if ('missing' in run) return run;
    if (run.parameters !== expected) throw new Error(`The native reference has ${run.parameters} parameters, the seed model ${expected}: scripts/native-reference.py no longer builds the same network`);
    reference.push(run);
    if (measured && round === 0) {
      panel.push(measured);
      continue;
    }
    let best = { imagesPerSec: 0, workers: 1 };
    for (const workers of [...new Set([1, availableParallelism()])]) {
      const got = await trainInPanel(page, port, workers);
      if (got.imagesPerSec > best.imagesPerSec) best = { imagesPerSec: got.imagesPerSec, workers };
    }
    panel.push(best);
  }
  const medianReference = median(reference.map((r) => r.imagesPerSec));
  const medianPage = median(panel.map((p) => p.imagesPerSec));
  return { reference, page: panel, medianReference, medianPage, ratio: medianPage / medianReference };
}

async function profileNode(): Promise<void> {
  log('node: profiling one training step on wasm…');
  await initBackend({ prefer: ['wasm'] });
  stepProfiles.push({ where: 'node', profile: await profileStep() });
  tf.disposeVariables();
}

async function profileChromium(page: Page, port: number): Promise<void> {
  log('chromium: profiling one training step on wasm…');
  await page.goto(`http://127.0.0.1:${port}/bench/?profile`);
  type ProfileWindow = { latentLabStepProfile?: Promise<StepProfile> };
  await page.waitForFunction(() => (window as unknown as ProfileWindow).latentLabStepProfile !== undefined);
  stepProfiles.push({ where: 'chromium', profile: await page.evaluate(() => (window as unknown as ProfileWindow).latentLabStepProfile!) });
}

/** Training FLOPs per image of the panel's model (the flagship's architecture). */
function trainFlops(): number {
  const vae = buildVae(getSpec('mnist-conv-z2'));
  const flops = trainFlopsPerExample([vae.encoder, vae.decoder]);
  disposeVae(vae);
  return flops;
}

async function benchChromium(): Promise<BenchRow[]> {
  if (!existsSync(join(ROOT, 'dist', 'bench', 'index.html'))) throw new Error('Build the site first: npm run build');
  const port = 4391;
  // Its own process group, so that stopping it also stops the server npx starts.
  const server = spawn('npx', ['astro', 'preview', '--ignore-lock', '--host', '127.0.0.1', '--port', String(port)], { cwd: ROOT, stdio: 'ignore', detached: true });
  try {
    for (let i = 0; i < 100; i++) {
      if (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const executablePath = process.env['CHROMIUM_PATH'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
    const browser = await chromium.launch({
      ...(executablePath ? { executablePath } : {}),
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-unsafe-swiftshader'],
    });
    try {
      const target = Number(args['target-loss']);
      const prepare = async () => {
        const context = await browser.newContext();
        ownData = await benchOwnData(await context.newPage(), `http://127.0.0.1:${port}`, Number(args['own-data-images']), log);
        await context.close();
      };
      if (args['own-data-only']) {
        await prepare();
        return [];
      }
      const measureVitals = async () => (vitals = await benchVitals(browser, ROOT, log, args['vitals-pages']?.split(',')));
      if (args['vitals-only']) {
        await measureVitals();
        return [];
      }
      if (args['time-to-loss-only']) {
        timeToLoss = await timeToTestLoss(await browser.newPage(), port, target);
        return [];
      }
      if (args['native-only']) {
        native = await compareNative(await browser.newPage(), port, 3);
        return [];
      }
      if (args['step-profile-only']) {
        await profileChromium(await browser.newPage(), port);
        return [];
      }
      await profileChromium(await browser.newPage(), port);
      const page = await browser.newPage();
      log(`chromium: timing ${args['browser-backends']}… (the cpu backend takes a few minutes)`);
      await page.goto(`http://127.0.0.1:${port}/bench/?auto&backends=${args['browser-backends']}`);
      type BenchWindow = { latentLabBench?: Promise<BenchRow[]> };
      await page.waitForFunction(() => (window as unknown as BenchWindow).latentLabBench !== undefined);
      const rows = await page.evaluate(() => (window as unknown as BenchWindow).latentLabBench!, undefined);
      // The page's own training panel, on one worker and on one per core.
      const wasmRow = rows.find((r) => r.backend === 'wasm' && r.model === 'mnist-conv-z2');
      for (const workers of [...new Set([1, availableParallelism()])]) {
        const panel = await trainInPanel(page, port, workers);
        if (workers > 1 || longestTaskMs === undefined) longestTaskMs = panel.longestTaskMs;
        rows.push({
          where: 'chromium',
          backend: `wasm×${workers} (training panel)`,
          model: 'mnist-conv-z2',
          batch: panel.batch,
          trainImagesPerSec: panel.imagesPerSec,
          decodeMs: wasmRow?.decodeMs ?? NaN,
          gridDecodeMs: wasmRow?.gridDecodeMs ?? NaN,
          gridFirstRowMs: wasmRow?.gridFirstRowMs ?? NaN,
          gflops: Math.round((panel.imagesPerSec * trainFlops()) / 1e7) / 100,
        });
      }
      const panelRows = rows.filter((r) => r.backend.endsWith('(training panel)'));
      const bestPanel = panelRows.sort((a, b) => b.trainImagesPerSec - a.trainImagesPerSec)[0];
      if (bestPanel) native = await compareNative(page, port, 1, { imagesPerSec: bestPanel.trainImagesPerSec, workers: Number(/×(\d+)/.exec(bestPanel.backend)?.[1] ?? 1) });
      // A fresh page (its own storage), so nothing is cached: what a first-time reader waits.
      const fresh = await browser.newContext();
      timeToLoss = await timeToTestLoss(await fresh.newPage(), port, target);
      await fresh.close();
      await prepare();
      await measureVitals();
      return rows;
    } finally {
      await browser.close();
    }
  } finally {
    if (server.pid) try { process.kill(-server.pid, 'SIGTERM'); } catch (err) { log('server: ' + String(err)); }
  }
}

const browserOnly = args['time-to-loss-only'] || args['own-data-only'] || args['vitals-only'] || args['native-only'];
if (!browserOnly) await profileNode();
const rows = browserOnly || args['step-profile-only'] ? [] : await benchNode();
if (!browserOnly && !args['step-profile-only'] && availableParallelism() > 1 && args.backends!.split(',').includes('wasm')) rows.push(await benchParallel(availableParallelism()));
if (!args['node-only']) rows.push(...(await benchChromium()));
if (vitals) await writeFiles(join(ROOT, 'bench-results'), { 'vitals.json': JSON.stringify({ cores: availableParallelism(), date: new Date().toISOString(), targets: TARGETS, ...vitals }, null, 2) + '\n' });
if (native && !('missing' in native)) await writeFiles(join(ROOT, 'bench-results'), { 'native.json': JSON.stringify({ cores: availableParallelism(), date: new Date().toISOString(), ...native }, null, 2) + '\n' });
if (stepProfiles.length > 0) await writeFiles(join(ROOT, 'bench-results'), { 'step-profile.json': JSON.stringify({ cores: availableParallelism(), date: new Date().toISOString(), profiles: stepProfiles }, null, 2) + '\n' });
if (!args['vitals-only'] && !args['step-profile-only'] && !args['native-only']) await writeFiles(join(ROOT, 'bench-results'), {
  [args['time-to-loss-only'] ? 'time-to-loss.json' : args['own-data-only'] ? 'own-data.json' : 'bench.json']:
    JSON.stringify({ cores: availableParallelism(), date: new Date().toISOString(), rows, longestMainThreadTaskWhileTrainingMs: longestTaskMs ?? null, timeToTestLoss: timeToLoss ?? null, ownDataPreparation: ownData ?? null }, null, 2) + '\n',
});
const ownDataLine = (o: OwnDataBench) =>
  `The own-data figure prepared ${o.images.toLocaleString('en')} PNGs in ${o.seconds.toFixed(1)} s: ${o.imagesPerSec.toLocaleString('en')} images/s, longest main-thread task ${o.longestTaskMs} ms (0 = none over 50 ms).`;
const timeToLossLine = (t: TimeToLoss) =>
  `Chapter 5's panel (default settings, nothing cached): test loss ${t.testLoss.toFixed(1)} ≤ ${t.target} at step ${t.step}, ${t.secondsFromClick} s after pressing Train (${t.secondsFromFirstStep} s after the first step), on ${t.backend} × ${t.workers} worker(s) at ${t.imagesPerSec} images/s.`;

function nativeText(n: typeof native): string {
  if (!n) return 'Native reference: not measured.';
  if ('missing' in n) return `Native reference: not measured, ${n.missing}; to compare, ${NATIVE_HOWTO}.`;
  return `${nativeLine(n)}\nWritten to bench-results/native.json`;
}
const vitalsLines = (v: VitalsReport) =>
  `\nPage vitals, ${v.pages} pages; targets apply to the unthrottled rows; throttled (CPU 4×, 10/5 Mbit/s, 40 ms) only ${v.throttledPages.join(', ')}:\n${vitalsTable(v.rows)}`;

if (args.json) {
  console.log(JSON.stringify(args['time-to-loss-only'] ? timeToLoss : args['vitals-only'] ? vitals : args['step-profile-only'] ? stepProfiles : args['native-only'] ? native : rows));
} else if (args['native-only']) {
  console.log(nativeText(native));
} else if (args['step-profile-only']) {
  console.log(stepProfileTable(stepProfiles));
  console.log('Written to bench-results/step-profile.json');
} else if (args['vitals-only']) {
  if (vitals) console.log(vitalsLines(vitals));
  console.log('Written to bench-results/vitals.json');
} else if (args['own-data-only']) {
  if (ownData) console.log(ownDataLine(ownData));
  console.log('Written to bench-results/own-data.json');
} else if (args['time-to-loss-only']) {
  if (timeToLoss) console.log(timeToLossLine(timeToLoss));
  console.log('Written to bench-results/time-to-loss.json');
} else {
  console.log(`\n${availableParallelism()} cores. Batch ${rows[0]?.batch}. Medians after warm-up.\n`);
  console.table(rows.map((r) => ({ where: r.where, backend: r.backend, model: r.model, 'train img/s': r.trainImagesPerSec, 'decode 1 (ms)': r.decodeMs, 'decode 20×20 (ms)': r.gridDecodeMs, 'first row (ms)': r.gridFirstRowMs, 'GFLOP/s': r.gflops })));
  const wasm = rows.find((r) => r.where === 'node' && r.backend === 'wasm' && r.model === 'mnist-conv-z2');
  const cpu = rows.find((r) => r.where === 'node' && r.backend === 'cpu');
  if (wasm && cpu) console.log(`Node training, wasm vs cpu: ${(wasm.trainImagesPerSec / cpu.trainImagesPerSec).toFixed(1)}×`);
  if (longestTaskMs !== undefined) console.log(`Longest main-thread task while the page trains in its worker: ${longestTaskMs} ms (0 = none over 50 ms).`);
  if (timeToLoss) console.log(timeToLossLine(timeToLoss));
  if (ownData) console.log(ownDataLine(ownData));
  if (vitals) console.log(vitalsLines(vitals));
  if (stepProfiles.length > 0) console.log(`\n${stepProfileTable(stepProfiles)}`);
  console.log(nativeText(native));
  console.log(`Written to bench-results/bench.json${vitals ? ', vitals.json' : ''} and step-profile.json`);
}
