/**
 * npm run train -- --model mnist-conv-z2 --epochs 10
 *
 * Trains a model of src/vae/spec.ts on MNIST in Node with the shared engine, evaluates it on
 * the 10,000 test images (the first N with --test-limit N) and writes public/weights/<model>/
 * (encoder/, decoder/, metrics.json).
 * Weights are written after every epoch, so an interrupted run still leaves a usable model.
 *
 * npm run train -- --model mnist-conv-z2 --dataset <id> --out <dir>
 *
 * --dataset trains the network of --model on another prepared dataset, public/data/<id>/
 * (`npm run data -- --only <id>`), as the model `<id>-<arch>-z<latentDim>` (with -<kind> for
 * a model other than a VAE and -beta<β> for β ≠ 1); spec.ts needs no entry for it.
 */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { initBackend, tf } from '../src/vae/backend.ts';
import { BINARIZE_SEED, binarizeSet, loadManifest, loadSplit, manifestShape, sliceSet, type ImageSet, type ReadBytes } from '../src/vae/data.ts';
import { evaluate } from '../src/vae/evaluate.ts';
import { loadVae, vaeToFiles, type ModelMetrics } from '../src/vae/io.ts';
import { buildVae, countParams } from '../src/vae/model.ts';
import { CLASSES, getSpec, specForDataset, withImageShape } from '../src/vae/spec.ts';
import { Trainer, type StepReport, type TrainerCheckpoint } from '../src/vae/train.ts';
import { cliArgs, num, exitCleanlyOnError } from './lib/args.ts';
import { PUBLIC, readPublic, ROOT, writeFiles } from './lib/files.ts';
import { ParallelTrainer } from './lib/parallel-trainer.ts';
import { progressLine } from './lib/progress.ts';
import { chooseStorage, TEST_SEED } from './lib/storage.ts';

exitCleanlyOnError();

const args = cliArgs({
  model: { type: 'string', default: 'mnist-conv-z2' },
  epochs: { type: 'string', default: '1' },
  'batch-size': { type: 'string', default: '128' },
  lr: { type: 'string', default: '0.001' },
  'lr-final': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string', default: 'wasm' },
  limit: { type: 'string' },
  'test-limit': { type: 'string' },
  'kl-warmup': { type: 'string', default: '0' },
  workers: { type: 'string', default: '1' },
  out: { type: 'string' },
  resume: { type: 'boolean', default: false },
  checkpoints: { type: 'string' },
  validation: { type: 'string', default: '0' },
  init: { type: 'string' },
  dataset: { type: 'string' },
});

const named = args.dataset === undefined ? getSpec(args.model!) : specForDataset(getSpec(args.model!), args.dataset);
const manifest = await loadManifest(readPublic, `data/${named.dataset}`);
// The network takes the dataset's image shape: 28 × 28 grey, or a colour dataset's 32 × 32 × 3.
const spec = withImageShape(named, manifestShape(manifest));
const epochs = num(args.epochs, 'epochs');
const batchSize = num(args['batch-size'], 'batch-size');
const learningRate = num(args.lr, 'lr');
const seed = args.seed === undefined ? spec.seed : num(args.seed, 'seed');
const outDir = args.out ?? join(PUBLIC, 'weights', spec.id);

const workers = num(args.workers, 'workers');
// Checkpoints (weights + batch order, random stream, Adam's moments) stay out of the site.
const checkpointDir = args.checkpoints ?? join(ROOT, 'checkpoints', spec.id);
const readCheckpoint: ReadBytes = async (path) => new Uint8Array(await readFile(join(checkpointDir, path)));
type Checkpoint = TrainerCheckpoint & { wallSeconds: number; initialisedFrom?: { model: string; epochs: number; path: string }; validation?: { epoch: number; loss: number; reconstruction: number; kl: number }[] };
let resumeFrom: Checkpoint | undefined;
if (args.resume) {
  try {
    resumeFrom = JSON.parse(await readFile(join(checkpointDir, 'trainer.json'), 'utf8')) as Checkpoint;
  } catch {
    throw new Error(`There is no checkpoint in ${checkpointDir} to resume: train once without --resume.`);
  }
}

// A conditional model sees the label one-hot over CLASSES; a dataset with more cannot feed it.
if (spec.kind === 'cvae' && manifest.classes.length > CLASSES) {
  throw new Error(`${spec.id} is conditional on ${CLASSES} classes; ${spec.dataset} has ${manifest.classes.length}. Train a model that is not conditional on it.`);
}
const backend = await initBackend({ prefer: [args.backend as 'wasm' | 'cpu'] });
const all = await loadSplit(readPublic, `data/${spec.dataset}`, 'train', args.limit ? { limit: num(args.limit, 'limit') } : {});
// The last `validation` training images are held out for model selection and never trained on.
const validationCount = num(args.validation, 'validation');
if (validationCount < 0 || validationCount >= all.count) throw new Error(`--validation must be between 0 and ${all.count - 1}`);
const train = sliceSet(all, 0, all.count - validationCount);
// A binarized model is measured on images binarized once; it trains on fresh draws each step.
const heldOut = (set: ImageSet): ImageSet => (spec.binarized ? binarizeSet(set) : set);
const validation = validationCount > 0 ? heldOut(sliceSet(all, all.count - validationCount, all.count)) : undefined;
const validationHistory = resumeFrom?.validation ?? [];
// --test-limit N: measure on the first N test images only, for a quick run (the shipped models use all).
const test = heldOut(await loadSplit(readPublic, `data/${spec.dataset}`, 'test', args['test-limit'] ? { limit: num(args['test-limit'], 'test-limit') } : {}));
// --init public/weights/<id>: start from another model's weights (same shapes), e.g. to retrain
// the flagship at a different β. The recipe records which model and how long it had trained.
let initialisedFrom: { model: string; epochs: number; path: string } | undefined;
const readInit: ReadBytes | undefined = args.init && !resumeFrom ? async (path) => new Uint8Array(await readFile(join(args.init!, path))) : undefined;
if (readInit) {
  const initMetrics = JSON.parse(new TextDecoder().decode(await readInit('metrics.json'))) as ModelMetrics;
  // Epochs in all: a model that itself started from another one counts that one's epochs too.
  const earlier = (initMetrics.recipe as { initialisedFrom?: { epochs: number } }).initialisedFrom?.epochs ?? 0;
  initialisedFrom = { model: initMetrics.model, epochs: initMetrics.recipe.epochs + earlier, path: relative(ROOT, args.init!) };
}
const vae = resumeFrom ? await loadVae(spec, readCheckpoint, '.') : readInit ? await loadVae(spec, readInit, '.') : buildVae({ ...spec, seed });
initialisedFrom ??= resumeFrom?.initialisedFrom;
const klWarmupSteps = num(args['kl-warmup'], 'kl-warmup');
const totalSteps = Math.round(epochs * Math.floor(train.count / batchSize));
// --lr-final: cosine decay from --lr to --lr-final over the whole run (resume with the same --epochs).
const learningRateDecay = args['lr-final'] === undefined ? undefined : { steps: totalSteps, final: num(args['lr-final'], 'lr-final') };
const options = { batchSize, learningRate, seed, klWarmupSteps, ...(learningRateDecay ? { learningRateDecay } : {}) };
// One thread trains in-process; more split every batch across worker threads (one per core).
const resume = resumeFrom ? { dir: checkpointDir, checkpoint: resumeFrom } : undefined;
let trainer: Trainer | ParallelTrainer;
if (workers > 1) {
  trainer = await ParallelTrainer.create(vae, train, options, workers, `data/${spec.dataset}`, resume);
} else {
  trainer = new Trainer(vae, train, options);
  if (resumeFrom) await trainer.restore(resumeFrom);
}
const stepsAtStart = trainer.steps;
const wallBefore = resumeFrom?.wallSeconds ?? 0;
if (resumeFrom) console.log(`Resuming from the checkpoint at step ${stepsAtStart}.`);
console.log(`Training ${spec.id} (${countParams(vae).toLocaleString('en')} parameters) on ${train.count} images, ${epochs} epoch(s) = ${totalSteps} steps of ${batchSize}, backend ${backend.name}, ${workers} thread(s).`);

const started = performance.now();
let lastEpochLosses: number[] = [];

async function save(final: boolean): Promise<void> {
  const sessionSeconds = (performance.now() - started) / 1000;
  const wallSeconds = wallBefore + sessionSeconds;
  const full = await vaeToFiles(vae);
  const steps = trainer.steps;
  if (validation) {
    const v = evaluate(vae, validation, { seed: TEST_SEED });
    validationHistory.push({ epoch: (steps * batchSize) / train.count, loss: v.loss, reconstruction: v.reconstruction, kl: v.kl });
    console.log(`\nValidation loss ${v.loss.toFixed(2)} on ${validation.count} held-out training images.`);
  }
  // At the end, ship float16 if it costs (almost) nothing; checkpoints keep float32.
  const stored = final ? await chooseStorage(vae, test) : undefined;
  const testResult = stored?.test ?? evaluate(vae, test, { seed: TEST_SEED });
  const files: Record<string, Uint8Array | string> = { ...(stored?.files ?? full) };
  const weights = stored?.weights ?? { dtype: 'float32', bytes: full['encoder/weights.bin']!.length + full['decoder/weights.bin']!.length };
  if (stored) {
    const w = stored.weights;
    console.log(`\nfloat16 weights: ${w.float16Bytes} bytes instead of ${w.float32Bytes}; test loss ${w.testLossFloat32!.toFixed(3)} → ${w.testLossFloat16!.toFixed(3)}; shipping ${w.dtype}.`);
  }
  const metrics: ModelMetrics | Record<string, unknown> = {
    model: spec.id,
    spec: { ...spec, seed },
    params: countParams(vae),
    recipe: {
      seed,
      ...(spec.binarized ? { binarization: { train: 'dynamic', test: 'fixed', testSeed: BINARIZE_SEED } } : {}),
      epochs: (steps * batchSize) / train.count,
      steps,
      ...(initialisedFrom ? { initialisedFrom } : {}),
      batchSize,
      learningRate,
      learningRateSchedule: learningRateDecay ? { kind: 'cosine', from: learningRate, to: learningRateDecay.final, steps: learningRateDecay.steps } : { kind: 'constant', value: learningRate },
      optimizer: 'adam',
      klWarmupSteps,
      trainImages: train.count,
      validationImages: validationCount,
      backend: backend.name,
      threads: workers,
      wallSeconds: Math.round(wallSeconds),
      imagesPerSecond: Math.round(((steps - stepsAtStart) * batchSize) / sessionSeconds),
    },
    ...(validation ? { validation: validationHistory } : {}),
    test: { ...testResult, samplesPerImage: 1, seed: TEST_SEED },
    weights,
    ...(final ? {} : { note: 'checkpoint written during training' }),
    trainLossLastEpoch: lastEpochLosses.length ? lastEpochLosses.reduce((a, b) => a + b, 0) / lastEpochLosses.length : null,
    createdAt: new Date().toISOString(),
  };
  files['metrics.json'] = JSON.stringify(metrics, null, 2) + '\n';
  await writeFiles(outDir, files);
  const checkpoint: Checkpoint = { ...(await trainer.checkpoint()), wallSeconds, validation: validationHistory, ...(initialisedFrom ? { initialisedFrom } : {}) };
  // The checkpoint keeps full precision, whatever is shipped.
  await writeFiles(checkpointDir, { ...full, 'trainer.json': JSON.stringify(checkpoint) });
  {
    console.log(`\nTest loss ${testResult.loss.toFixed(2)} (reconstruction ${testResult.reconstruction.toFixed(2)}, KL ${testResult.kl.toFixed(2)}) on ${testResult.images} images.`);
  }
}

let stopping = false;
process.on('SIGINT', () => {
  if (stopping) process.exit(130);
  stopping = true;
  console.log('\nStopping after this step; saving what was trained…');
  trainer.stop();
});

const onStep = (r: StepReport): void => {
  lastEpochLosses.push(r.loss);
  if (lastEpochLosses.length > trainer.stepsPerEpoch) lastEpochLosses.shift();
  const elapsed = (performance.now() - started) / 1000;
  const done = r.step - stepsAtStart;
  const eta = done > 0 ? (elapsed / done) * (totalSteps - r.step) : 0;
  progressLine(r.step, totalSteps, eta, `epoch ${r.epoch.toFixed(2)}  loss ${r.loss.toFixed(2)}  rec ${r.reconstruction.toFixed(2)}  KL ${r.kl.toFixed(2)}  lr ${r.learningRate.toPrecision(2)}  ${Math.round((done * batchSize) / elapsed)} img/s`);
};
// One epoch at a time, with a checkpoint after each.
while (trainer.steps < totalSteps && trainer.state !== 'stopped') {
  await trainer.run(Math.min(trainer.stepsPerEpoch, totalSteps - trainer.steps), onStep);
  if (trainer.steps < totalSteps) await save(false);
}
await save(true);
await trainer.dispose();
console.log(`Wrote ${outDir} (tensors alive: ${tf.memory().numTensors}).`);
