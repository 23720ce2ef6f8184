/**
 * A training replica in the browser: a Web Worker started by the training worker, so a second
 * CPU core shares every batch (src/vae/data-parallel.ts) and a share of each snapshot's test
 * work. It starts the coordinator's backend, loads the same training and test images and builds
 * the same model from the same seed.
 */
/// <reference lib="webworker" />
import { loadBundle } from '../../../vae/io.ts';
import { answerReplicaRequest, continueFrom, type ReplicaInit, type ReplicaReply, type ReplicaRequest } from '../../../vae/data-parallel.ts';
import { buildVae } from '../../../vae/model.ts';
import type { ImageSet } from '../../../vae/data.ts';
import { workerTestHooks } from '../../../vae/tf-internals.ts';
import { Trainer } from '../../../vae/train.ts';
import { startBackend, useThreadsInWorker } from '../engine/backend-setup.ts';
import { loadSubset } from '../engine/data-cache.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const transfers = (reply: ReplicaReply): ArrayBuffer[] => {
  if (reply.type === 'gradients') return reply.gradients.grads.map((g) => g.buffer as ArrayBuffer);
  if (reply.type === 'testShare') return [reply.result.mu.buffer as ArrayBuffer];
  return [];
};
const post = (reply: ReplicaReply) => scope.postMessage(reply, transfers(reply));
let trainer: Trainer | undefined;
let test: ImageSet | undefined;
// For the soak test, which reads the tensors this worker holds over the DevTools protocol.
Object.assign(scope, workerTestHooks());

scope.onmessage = async (e: MessageEvent<{ type: 'init'; init: ReplicaInit } | ReplicaRequest>) => {
  const msg = e.data;
  if (msg.type === 'init') {
    try {
      useThreadsInWorker(msg.init.threads ?? 1);
      await startBackend('train', { choice: (msg.init.backend ?? 'wasm') as 'wasm' });
      // The coordinator has just kept these images in this browser's cache: usually no download.
      // A reader's own images come with the request.
      const given = msg.init.images;
      const [data, testSet] = given
        ? [{ set: given.train }, given.test && { set: given.test }]
        : await Promise.all([
            loadSubset(msg.init.dataBase, 'train', msg.init.limit),
            msg.init.testImages ? loadSubset(msg.init.dataBase, 'test', msg.init.testImages) : undefined,
          ]);
      test = testSet?.set;
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
  const reply = answerReplicaRequest(trainer, msg, test);
  if (reply) post(reply);
};
