/**
 * The training worker: runs the engine's Trainer off the main thread and streams progress
 * (every step's loss terms, and at an interval a sample grid, test-set codes and the test
 * loss). It can also open a saved model, to show it without training. This file only passes
 * the page's requests (src/vae/protocol.ts) to what the worker holds (training.ts).
 */
/// <reference lib="webworker" />
import type { TrainEvent, TrainRequest } from '../../../vae/protocol.ts';
import { workerTestHooks } from '../../../vae/tf-internals.ts';
import { Training } from './training.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: TrainEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer);

// For the soak test and the test of a lost GPU, which call them over the DevTools protocol.
Object.assign(scope, workerTestHooks());

const training = new Training(post);

scope.onmessage = async (e: MessageEvent<TrainRequest>) => {
  const msg = e.data;
  try {
    switch (msg.type) {
      case 'start':
        if (!training.busy) await training.start(msg);
        break;
      case 'load':
        if (!training.busy) await training.open(msg);
        break;
      case 'pause':
        await training.pause();
        break;
      case 'resume':
        await training.resume();
        break;
      case 'step':
        await training.step();
        break;
      case 'ping':
        post({ type: 'pong' });
        break;
      case 'learningRate':
        training.setLearningRate(msg.value);
        break;
      case 'stop':
        training.stop();
        break;
      case 'export':
        await training.exportWeights();
        break;
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
