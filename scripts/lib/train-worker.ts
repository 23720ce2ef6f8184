/**
 * One replica of a data-parallel training run in Node (a worker thread): see
 * src/vae/data-parallel.ts. It computes the gradients of its share of each batch and applies the
 * summed gradients it is sent, with its own Adam, so every replica keeps identical weights.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../src/vae/backend.ts';
import { loadSplit } from '../../src/vae/data.ts';
import { answerReplicaRequest, type ReplicaInit, type ReplicaReply, type ReplicaRequest } from '../../src/vae/data-parallel.ts';
import { loadVae } from '../../src/vae/io.ts';
import { buildVae } from '../../src/vae/model.ts';
import { Trainer, type TrainerCheckpoint } from '../../src/vae/train.ts';
import { readPublic } from './files.ts';

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
  const reply = answerReplicaRequest(trainer, msg);
  if (reply) port.postMessage(reply, reply.type === 'gradients' ? reply.gradients.grads.map((a) => a.buffer as ArrayBuffer) : []);
});
port.postMessage({ type: 'ready' } satisfies ReplicaReply);
