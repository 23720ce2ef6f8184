/**
 * A run of chapter 5's training panel, repeated in Node with the engine code the page runs:
 * the spec the panel builds from its settings (chosenSpec), a Trainer with the panel's seed,
 * batch size, learning rate, KL warm-up and free bits (panelTrainOptions), on the first
 * `trainImages` training images;
 * and at the steps asked for, the snapshot's numbers as the training worker computes them (the
 * loss on the first `testLossImages` of the first `testImages` test images with the fixed test
 * seed, and the scatter's axis range over all their codes).
 *
 * One Trainer takes each step whole, as the page does on one worker (`?workers=1`, or a
 * one-core device). With several workers the page splits each batch and sums the shares'
 * gradients (src/vae/data-parallel.ts): the same update up to float rounding, which a few
 * hundred steps grow to a few tenths of a nat in the test loss.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSplit, type ImageSet } from '../../src/vae/data.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { panelTrainOptions, PANEL_TEST_SEED, scatterView, type PanelChoice } from '../../src/vae/panel-recipe.ts';
import { computeTestShare, mergeTestShares, splitTestWork } from '../../src/vae/snapshot-shares.ts';
import { chosenSpec, type DatasetId } from '../../src/vae/spec.ts';
import { DivergedError, Trainer, type StepReport } from '../../src/vae/train.ts';
import { ROOT, readPublic } from './files.ts';

/** The images the panel uses: the <TrainInPage full …> props of the chapter that holds it. */
export interface PanelSizes {
  trainImages: number;
  testImages: number;
  testLossImages: number;
}

/**
 * The sizes the chapters give the full panel: `images`, `testImages` and `testLossImages` of
 * the one `<TrainInPage full …>` in src/content/chapters/*.mdx, each required (TrainInPage.astro's
 * own defaults differ), so the runs here train on what the page trains on.
 */
export function panelSizesFromChapters(dir = join(ROOT, 'src', 'content', 'chapters')): PanelSizes {
  const tags: { file: string; props: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.mdx'))) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/<TrainInPage\b([^>]*)>/g)) {
      if (/(^|\s)full(\s|=|\/|$)/.test(m[1]!)) tags.push({ file, props: m[1]! });
    }
  }
  if (tags.length !== 1) throw new Error(`Expected one <TrainInPage full …> in src/content/chapters, found ${tags.length}${tags.length ? ` (${tags.map((t) => t.file).join(', ')})` : ''}`);
  const { file, props } = tags[0]!;
  const prop = (name: string) => {
    const m = new RegExp(`\\b${name}=\\{\\s*(\\d+)\\s*\\}`).exec(props);
    if (!m) throw new Error(`${file}: <TrainInPage full> has no ${name}={N}; the panel's runs need it`);
    return Number(m[1]);
  };
  return { trainImages: prop('images'), testImages: prop('testImages'), testLossImages: prop('testLossImages') };
}

/** A dataset's training and test images as the panel loads them: the first N of each split. */
export interface PanelData {
  train: ImageSet;
  test: ImageSet;
}

export async function loadPanelData(dataset: DatasetId, sizes: PanelSizes): Promise<PanelData> {
  const base = `data/${dataset}`;
  const [train, test] = await Promise.all([loadSplit(readPublic, base, 'train', { limit: sizes.trainImages }), loadSplit(readPublic, base, 'test', { limit: sizes.testImages })]);
  return { train, test };
}

/** What a snapshot at a step shows: the test loss terms and the scatter's axis range. */
export interface PanelSnapshot {
  loss: number;
  reconstruction: number;
  kl: number;
  /** Both scatter axes run from −axis to axis. */
  axis: number;
  /** Active units (A_u > 0.01 on the test images), and each unit's mean test KL. */
  active: number;
  unitKl: number[];
  /** A_u of each unit on the test images. */
  activity: number[];
  threshold: number;
}

export interface PanelRun {
  /** Every step's report, step k at index k − 1: the training batch's terms the chart draws. */
  steps: StepReport[];
  /** The snapshots taken, by step. */
  snapshots: Map<number, PanelSnapshot>;
  /** The step that diverged (not applied), and what was not finite; the run ends there. */
  diverged?: { step: number; what: string };
}

/** The snapshot of the model as it is now: the training worker's test work on one worker. */
function panelSnapshot(trainer: Trainer, data: PanelData, sizes: PanelSizes): PanelSnapshot {
  const { vae } = trainer;
  const lossImages = Math.min(sizes.testLossImages, data.test.count);
  const shares = splitTestWork(data.test.count, lossImages, 1);
  const own = computeTestShare(vae, data.test, lossImages, shares[0]!, PANEL_TEST_SEED);
  const { codes, testLoss, units } = mergeTestShares(shares, [own], data.test.count, lossImages, vae);
  if (!testLoss) throw new Error('The panel measures the test loss on at least one image');
  return { loss: testLoss.loss, reconstruction: testLoss.reconstruction, kl: testLoss.kl, axis: scatterView(codes, data.test.count, vae.spec.latentDim).range, active: units.active, unitKl: units.kl, activity: units.activity, threshold: units.threshold };
}

/** Trains a fresh model with `settings` for `steps` steps (fewer if it diverges), with snapshots after the steps in `snapshotAt`. */
export function panelRun(settings: PanelChoice, data: PanelData, sizes: PanelSizes, steps: number, snapshotAt: number[] = []): PanelRun {
  const vae = buildVae(chosenSpec(settings));
  const trainer = new Trainer(vae, data.train, panelTrainOptions(settings));
  const run: PanelRun = { steps: [], snapshots: new Map() };
  try {
    while (trainer.steps < steps) {
      try {
        run.steps.push(trainer.step());
      } catch (err) {
        if (!(err instanceof DivergedError)) throw err;
        run.diverged = { step: err.step, what: err.what };
        break;
      }
      if (snapshotAt.includes(trainer.steps)) run.snapshots.set(trainer.steps, panelSnapshot(trainer, data, sizes));
    }
  } finally {
    trainer.dispose();
    disposeVae(vae);
  }
  return run;
}
