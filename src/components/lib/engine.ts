/**
 * The engine as figures use it in the page: one backend start and one copy of each model,
 * shared by every figure. Imported lazily, so TF.js only loads when a figure needs it.
 */
import type { ModelFiles } from '../../vae/io.ts';
import { loadVae } from '../../vae/io.ts';
import type { Vae } from '../../vae/model.ts';
import { getSpec, type ModelSpec } from '../../vae/spec.ts';
import { rememberFastest, backendPlan } from './backend-choice.ts';
import { fetchBytes, startBackend, type BackendStart } from './backend-setup.ts';

export * from '../../vae/infer.ts';
export * from '../../vae/manifold.ts';
export { fetchBytes, BACKENDS, type BackendChoice, type BackendStart } from './backend-setup.ts';
export { backendPlan, saveChoice } from './backend-choice.ts';
export { describeBackend } from '../../vae/backend.ts';
export { describeProbe } from '../../vae/probe-result.ts';

/** The page's backend for decoding; a fresh measurement is remembered for next time. */
export async function startPageBackend(): Promise<BackendStart> {
  const start = await startBackend('decode', backendPlan('decode'));
  const fastest = start.probe?.[0];
  if (start.how === 'measured' && fastest) rememberFastest('decode', fastest.backend);
  return start;
}
export type { Vae };

const models = new Map<string, Promise<Vae>>();

/** The pretrained model `id` from public/weights/<id>/, loaded once per page. */
export function pretrained(id: string): Promise<Vae> {
  let model = models.get(id);
  if (!model) {
    model = startPageBackend().then(() => loadVae(getSpec(id), fetchBytes, `weights/${id}`));
    // A failed load is not cached, so a later attempt can try again.
    model.catch(() => models.delete(id));
    models.set(id, model);
  }
  return model;
}

/** A model from files in memory (e.g. the worker's freshly trained weights). */
export async function fromFiles(spec: ModelSpec, files: ModelFiles): Promise<Vae> {
  await startPageBackend();
  return loadVae(spec, async (path) => {
    const bytes = files[path.replace(/^\.\//, '')];
    if (!bytes) throw new Error(`${path} is missing`);
    return bytes;
  }, '.');
}
