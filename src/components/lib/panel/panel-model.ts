/**
 * The model the training panel shows, as the page knows it (its spec and training record; the
 * weights live in the worker), and its conversions to and from a model bundle (src/vae/bundle.ts).
 */
import { bundleFileName, encodeBundle, type BundleMeta, type LossHistory, type ModelBundle } from '../../../vae/bundle.ts';
import type { ModelFiles } from '../../../vae/io.ts';
import type { ModelSpec } from '../../../vae/spec.ts';
import type { TestPoint } from '../draw/loss-chart.ts';
import { emptyHistory } from './loss-history.ts';

export interface PanelModel {
  spec: ModelSpec;
  steps: number;
  history: LossHistory;
  /** Test losses measured during this visit (a bundle keeps only the last). */
  tests: TestPoint[];
  batchSize?: number;
  learningRate?: number;
  trainImages?: number;
  /** Free bits λ of this visit's run, for the units' chart (not kept in a bundle). */
  freeBits?: number;
}

export function freshModel(spec: ModelSpec, batchSize: number, learningRate: number): PanelModel {
  return { spec, steps: 0, history: emptyHistory(), tests: [], batchSize, learningRate };
}

export function modelFromBundle({ spec, meta }: ModelBundle): PanelModel {
  const model: PanelModel = { spec, steps: meta.steps, history: meta.history ?? emptyHistory(), tests: meta.testLoss !== undefined ? [{ step: meta.steps, loss: meta.testLoss }] : [] };
  if (meta.batchSize !== undefined) model.batchSize = meta.batchSize;
  if (meta.learningRate !== undefined) model.learningRate = meta.learningRate;
  if (meta.trainImages !== undefined) model.trainImages = meta.trainImages;
  return model;
}

export function bundleOf(model: PanelModel, files: ModelFiles): ModelBundle {
  const last = model.tests[model.tests.length - 1];
  const meta: BundleMeta = { steps: model.steps, savedAt: new Date().toISOString(), history: model.history };
  if (model.batchSize !== undefined) meta.batchSize = model.batchSize;
  if (model.learningRate !== undefined) meta.learningRate = model.learningRate;
  if (model.trainImages !== undefined) meta.trainImages = model.trainImages;
  if (last) meta.testLoss = last.loss;
  return { spec: model.spec, meta, files };
}

/** Hands the bundle to the browser as a file download; resolves with its name and size. */
export function downloadBundle(bundle: ModelBundle): { name: string; bytes: number } {
  const bytes = encodeBundle(bundle);
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = bundleFileName(bundle);
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name: a.download, bytes: bytes.length };
}
