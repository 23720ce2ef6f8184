/**
 * A training replica in the browser: a Web Worker started by the training worker, so a second
 * CPU core shares every batch (src/vae/data-parallel.ts). It starts the coordinator's backend,
 * loads the same training images and builds the same model from the same seed.
 */
/// <reference lib="webworker" />
import { tf } from '../../vae/backend.ts';
import { loadBundle } from '../../vae/io.ts';
import { answerReplicaRequest, continueFrom, type ReplicaInit, type ReplicaReply, type ReplicaRequest } from '../../vae/data-parallel.ts';
import { buildVae } from '../../vae/model.ts';
import { Trainer } from '../../vae/train.ts';
import { startBackend, useThreadsInWorker } from './backend-setup.ts';
import { loadSubset } from './data-cache.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (reply: ReplicaReply) => scope.postMessage(reply, reply.type === 'gradients' ? reply.gradients.grads.map((g) => g.buffer as ArrayBuffer) : []);
let trainer: Trainer | undefined;
// For the soak test, which reads it over the DevTools protocol: the tensors this worker holds.
(self as unknown as { latentLabMemory: () => { numTensors: number; numBytes: number } }).latentLabMemory = () => tf.memory();

scope.onmessage = async (e: MessageEvent<{ type: 'init'; init: ReplicaInit } | ReplicaRequest>) => {
  const msg = e.data;
  if (msg.type === 'init') {
    try {
      useThreadsInWorker(msg.init.threads ?? 1);
      await startBackend('train', { choice: (msg.init.backend ?? 'wasm') as 'wasm' });
      // The coordinator has just kept these images in this browser's cache: usually no download.
      const data = await loadSubset(msg.init.dataBase, 'train', msg.init.limit);
      const { from } = msg.init;
      const vae = from ? await loadBundle({ spec: msg.init.spec, files: from.files }) : buildVae(msg.init.spec);
      trainer = new Trainer(vae, data!.set, msg.init.options);
      if (from) await continueFrom(trainer, from);
      post({ type: 'ready' });
    } catch (err) {
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  if (!trainer) return;
  const reply = answerReplicaRequest(trainer, msg);
  if (reply) post(reply);
};
