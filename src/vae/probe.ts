/**
 * Picks a backend by measuring, not by guessing: a short probe times each candidate on the
 * task at hand (decoding one digit, or a small training step) with a freshly built model.
 */
import { initBackend, tf, type BackendName } from './backend.ts';
import { decode } from './infer.ts';
import { buildVae, disposeVae } from './model.ts';
import { createRng } from './random.ts';
import { getSpec, PIXELS } from './spec.ts';
import { Trainer } from './train.ts';

import type { ProbeResult, Task } from './probe-result.ts';

export type { ProbeResult, Task } from './probe-result.ts';

/** Codes the decode probe decodes at once; it reports the time per digit. */
const PROBE_CODES = 16;

async function timeTask(task: Task, now: () => number): Promise<number> {
  const vae = buildVae(getSpec('mnist-conv-z2'));
  try {
    if (task === 'decode') {
      // Sixteen codes at a time, as the figures decode their grids, samples and bounds: one
      // code alone hides how little a batched product costs per digit, most of all on a GPU.
      // Warm up three times: a threaded wasm backend spends its first decodes starting its
      // threads. Then the quickest of five: a busy machine only ever makes a run slower.
      const codes = Array.from({ length: 2 * PROBE_CODES }, (_, i) => Math.sin(i + 1));
      for (let i = 0; i < 3; i++) decode(vae, codes);
      const times = Array.from({ length: 5 }, () => {
        const t0 = now();
        decode(vae, codes);
        return now() - t0;
      });
      return Math.min(...times) / PROBE_CODES;
    }
    const batch = 16;
    const rng = createRng(3);
    const images = new Uint8Array(batch * 2 * PIXELS).map(() => (rng() < 0.8 ? 0 : 255));
    const trainer = new Trainer(vae, { count: batch * 2, images, labels: new Uint8Array(batch * 2) }, { batchSize: batch, learningRate: 1e-3, seed: 1 });
    try {
      trainer.step();
      const t0 = now();
      trainer.step();
      trainer.step();
      return (now() - t0) / (2 * batch);
    } finally {
      trainer.dispose();
    }
  } finally {
    disposeVae(vae);
  }
}

/**
 * Times `task` on each candidate that starts; leaves the fastest one active and returns all
 * results, fastest first (failed backends last, with their error).
 */
export async function probeBackends(candidates: BackendName[], task: Task, now = () => performance.now()): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const backend of candidates) {
    try {
      await initBackend({ prefer: [backend] });
      results.push({ backend, ms: await timeTask(task, now) });
    } catch (err) {
      results.push({ backend, error: err instanceof Error ? err.message : String(err) });
    }
  }
  results.sort((a, b) => (a.ms ?? Number.POSITIVE_INFINITY) - (b.ms ?? Number.POSITIVE_INFINITY));
  const best = results[0];
  if (!best || best.ms === undefined) throw new Error(`No backend could ${task}: ${results.map((r) => `${r.backend} (${r.error})`).join('; ')}`);
  if (tf.getBackend() !== best.backend) await initBackend({ prefer: [best.backend] });
  return results;
}
