/**
 * The preparation worker of the "your own data" figure: it turns a reader's files into a
 * dataset off the page's thread (prepare-files.ts), and writes it as a zip to download. One
 * preparation at a time; a new one, or `cancel`, stops the one before between images.
 */
/// <reference lib="webworker" />
import { Preparation, type MoreFiles, type PrepareEvent, type PrepareRequest, type ZipRequest } from './prepare-files.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const preparation = new Preparation((event: PrepareEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer));

scope.onmessage = (e: MessageEvent<PrepareRequest | MoreFiles | ZipRequest | { type: 'cancel' }>) => {
  if (e.data.type === 'cancel') preparation.cancel();
  else if (e.data.type === 'zip') preparation.zip(e.data);
  else if (e.data.type === 'more') preparation.more(e.data);
  else preparation.receive(e.data);
};
