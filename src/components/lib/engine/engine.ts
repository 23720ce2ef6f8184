/**
 * The engine as figures use it in the page: one backend start and one copy of each model,
 * shared by every figure. Imported lazily, so TF.js only loads when a figure needs it.
 */
import type { ModelFiles } from '../../../vae/io.ts';
import { loadVae } from '../../../vae/io.ts';
import { loadClassifier } from '../../../vae/classifier.ts';
import type { tf } from '../../../vae/backend.ts';
import type { Vae } from '../../../vae/model.ts';
import { describeBackend } from '../../../vae/backend.ts';
import { webglContext } from '../../../vae/tf-internals.ts';
import { getSpec, type ModelSpec } from '../../../vae/spec.ts';
import { rememberFastest, backendPlan } from './backend-choice.ts';
import { fetchBytes, startBackend, type BackendStart } from './backend-setup.ts';
import { describeProgress, onDownloads } from './downloads.ts';
import { doneWithModelFiles, modelFiles } from './model-files.ts';

export * from '../../../vae/infer.ts';
export * from '../../../vae/manifold.ts';
export { fetchBytes, BACKENDS, type BackendChoice, type BackendStart } from './backend-setup.ts';
export { backendPlan, saveChoice } from './backend-choice.ts';
export { describeBackend } from '../../../vae/backend.ts';
export { describeProbe } from '../../../vae/probe-result.ts';
export { describeProgress, onDownloads } from './downloads.ts';
export { drawnClassCounts, CLASS_DRAWS } from '../../../vae/drawn-classes.ts';

/**
 * `pretrained(id)`, saying through `report` how many kilobytes of weights have arrived while
 * they download ("Loading the model: 120 of 268 kB…").
 */
export async function pretrainedWithProgress(id: string, report: (text: string) => void, what = 'Loading the model'): Promise<Vae> {
  const stop = onDownloads((p) => report(`${what}: ${describeProgress(p)}…`));
  try {
    return await pretrained(id);
  } finally {
    stop();
  }
}

/** What the page's figures hear when the backend changes under them (see onBackendLost). */
export interface BackendChange {
  /** 'switching' as soon as the WebGL context is lost; 'switched' once every model runs again. */
  phase: 'switching' | 'switched' | 'failed';
  text: string;
  start?: BackendStart;
}
const BACKEND_EVENT = 'latent-lab-backend';

/** Once WebGL is lost, this page decodes on wasm (or cpu) from then on. */
let webglLost = false;
let switching = false;

/** The page's backend for decoding; a fresh measurement is remembered for next time. */
export async function startPageBackend(): Promise<BackendStart> {
  const start = await startBackend('decode', webglLost ? { choice: 'wasm' } : backendPlan('decode'));
  const fastest = start.probe?.[0];
  if (start.how === 'measured' && fastest && !webglLost) rememberFastest('decode', fastest.backend);
  if (start.report.name === 'webgl') watchWebgl();
  return start;
}
export type { Vae };

/** True while the models are being rebuilt after a lost WebGL context: figures skip decoding then. */
export function backendSwitching(): boolean {
  return switching;
}

/** Calls `listener` when the page's backend changes under the figures; returns the unsubscribe. */
export function onBackendChange(listener: (change: BackendChange) => void): () => void {
  const handler = (e: Event) => listener((e as CustomEvent<BackendChange>).detail);
  window.addEventListener(BACKEND_EVENT, handler);
  return () => window.removeEventListener(BACKEND_EVENT, handler);
}

function announce(change: BackendChange): void {
  window.dispatchEvent(new CustomEvent<BackendChange>(BACKEND_EVENT, { detail: change }));
}

const watched = new WeakSet<object>();

/** Listens for the loss of TF.js's WebGL context (a GPU reset, a driver update, too many contexts). */
function watchWebgl(): void {
  const canvas = webglContext()?.canvas;
  if (!canvas || watched.has(canvas)) return;
  watched.add(canvas);
  canvas.addEventListener('webglcontextlost', (e) => {
    e.preventDefault();
    void recoverFromLostWebgl();
  });
}

/**
 * The WebGL context is gone, and with it every weight on the GPU. Start wasm and rebuild each
 * model the page holds from its files, into the same Vae objects, so that the figures keep
 * their references and only need to redraw.
 */
async function recoverFromLostWebgl(): Promise<void> {
  if (webglLost) return;
  webglLost = true;
  switching = true;
  announce({ phase: 'switching', text: 'The graphics card’s WebGL context was lost, so the models are moving to the CPU…' });
  try {
    const start = await startPageBackend();
    for (const [id, model] of models) {
      const vae = await model.catch(() => undefined);
      if (vae) replaceWeights(vae, await loadVae(getSpec(id), fetchBytes, `weights/${id}`));
    }
    for (const [vae, { spec, files }] of inMemory) replaceWeights(vae, await loadFromFiles(spec, files));
    switching = false;
    announce({ phase: 'switched', text: `The graphics card’s WebGL context was lost; decoding continues on TF.js ${describeBackend(start.report)}.`, start });
  } catch (err) {
    switching = false;
    announce({ phase: 'failed', text: `The graphics card’s WebGL context was lost, and no other backend could take over: ${err instanceof Error ? err.message : String(err)}.` });
  }
}

/** Puts `fresh`'s networks into `vae`; the old ones lived in the lost context and are let go. */
function replaceWeights(vae: Vae, fresh: Vae): void {
  for (const old of [vae.encoder, vae.decoder]) {
    try {
      old.dispose();
    } catch {
      // Their textures went with the context.
    }
  }
  vae.encoder = fresh.encoder;
  vae.decoder = fresh.decoder;
}

const models = new Map<string, Promise<Vae>>();
/** Models built from files in memory, with those files, so they can be rebuilt on another backend. */
const inMemory = new Map<Vae, { spec: ModelSpec; files: ModelFiles }>();

/** The pretrained model `id` from public/weights/<id>/, loaded once per page. */
export function pretrained(id: string): Promise<Vae> {
  let model = models.get(id);
  if (!model) {
    // The files may be on their way already (a figure asks for them before TF.js has loaded).
    const read = modelFiles(id);
    model = startPageBackend().then(() => loadVae(getSpec(id), read, `weights/${id}`));
    model.then(
      () => doneWithModelFiles(id, true),
      () => doneWithModelFiles(id, false),
    );
    // A failed load is not cached, so a later attempt can try again.
    model.catch(() => models.delete(id));
    models.set(id, model);
  }
  return model;
}

function loadFromFiles(spec: ModelSpec, files: ModelFiles): Promise<Vae> {
  return loadVae(spec, async (path) => {
    const bytes = files[path.replace(/^\.\//, '')];
    if (!bytes) throw new Error(`${path} is missing`);
    return bytes;
  }, '.');
}

/** A model from files in memory (e.g. the worker's freshly trained weights). */
export async function fromFiles(spec: ModelSpec, files: ModelFiles): Promise<Vae> {
  await startPageBackend();
  const vae = await loadFromFiles(spec, files);
  inMemory.set(vae, { spec, files });
  return vae;
}

/**
 * The digit classifier of `dataset` (public/classifiers/<dataset>/), loaded on the page's
 * backend. The caller disposes it once it has counted.
 */
export async function pretrainedClassifier(dataset: string): Promise<tf.LayersModel> {
  await startPageBackend();
  return loadClassifier(fetchBytes, dataset);
}

/** Lets go of a model from fromFiles: its weights, and the copy kept to rebuild it. */
export function disposeFromFiles(vae: Vae): void {
  inMemory.delete(vae);
  vae.encoder.dispose();
  vae.decoder.dispose();
}
