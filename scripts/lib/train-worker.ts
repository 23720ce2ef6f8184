/**
 * One replica of a data-parallel training run (a Node worker thread): computes the gradients
 * of its share of each batch and applies the summed gradients it is sent, with its own Adam,
 * so every replica keeps identical weights.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../src/vae/backend.ts';
import { loadSplit } from '../../src/vae/data.ts';
import { loadVae } from '../../src/vae/io.ts';
import { buildVae } from '../../src/vae/model.ts';
import type { ModelSpec } from '../../src/vae/spec.ts';
import { Trainer, type Gradients, type StepPlan, type TrainerCheckpoint, type TrainOptions } from '../../src/vae/train.ts';
import { readPublic } from './files.ts';

export interface ReplicaInit {
  spec: ModelSpec;
  options: TrainOptions;
  dataBase: string;
  limit: number;
  /** A checkpoint folder to start from (weights and trainer.json), as the coordinator does. */
  resumeDir?: string;
}

export type ReplicaRequest =
  | { type: 'gradients'; plan: StepPlan; start: number; end: number }
  | { type: 'apply'; sum: Gradients; plan: StepPlan };

const init = workerData as ReplicaInit;
await initBackend({ prefer: ['wasm'] });
const data = await loadSplit(readPublic, init.dataBase, 'train', { limit: init.limit });
let trainer: Trainer;
if (init.resumeDir) {
  const dir = init.resumeDir;
  const vae = await loadVae(init.spec, async (path) => new Uint8Array(await readFile(join(dir, path))), '.');
  trainer = new Trainer(vae, data, init.options);
  await trainer.restore(JSON.parse(await readFile(join(dir, 'trainer.json'), 'utf8')) as TrainerCheckpoint);
} else {
  trainer = new Trainer(buildVae(init.spec), data, init.options);
}
const port = parentPort!;

port.on('message', (msg: ReplicaRequest) => {
  if (msg.type === 'gradients') {
    const g = trainer.gradients(msg.plan, msg.start, msg.end);
    port.postMessage(g, g.grads.map((a) => a.buffer as ArrayBuffer));
  } else {
    trainer.applyGradients([msg.sum], msg.plan);
  }
});
port.postMessage({ ready: true });
