/**
 * A small digit classifier, trained apart from every VAE, that counts which digits a decoder
 * draws: "too many zeros" becomes a measured share, not an impression, and the counting does not
 * go through the encoder of the model being judged (as the nearest-test-code proxy of
 * class-shares.ts does). A dense network 784 → 128 (ReLU) → 10 on grey levels in [0, 1], the
 * inputs a decoder's Bernoulli means also live in. Its weights sit in
 * public/classifiers/<dataset>/ with metrics.json, which states its test accuracy.
 */
import { tf } from './backend.ts';
import { toFloat, type ImageSet, type ReadBytes } from './data.ts';
import { loadLayersModel, WeightsError } from './io.ts';
import { createRng, nextSeed, permutation } from './random.ts';
import { PIXELS } from './spec.ts';

export const CLASSES = 10;
const HIDDEN = 128;

/** Where a dataset's classifier lives under public/. */
export function classifierFolder(dataset: string): string {
  return `classifiers/${dataset}`;
}

/** What training the classifier reached, saved next to its weights. */
export interface ClassifierMetrics {
  dataset: string;
  /** Share of the 10,000 test images classified as their label. */
  testAccuracy: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  parameters: number;
}

function buildClassifier(seed: number): tf.LayersModel {
  const rng = createRng(seed);
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [PIXELS], units: HIDDEN, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed(rng) }) }),
      tf.layers.dense({ units: CLASSES, kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed(rng) }) }),
    ],
  });
}

/** The most likely class of each of `n` images (row-major [n, 784] grey levels in [0, 1]), `batch` at a time. */
export function classify(model: tf.LayersModel, images: Float32Array, batch = 1000): Uint8Array {
  const n = images.length / PIXELS;
  if (!Number.isInteger(n)) throw new Error(`Expected whole images of ${PIXELS} values, got ${images.length} values`);
  const out = new Uint8Array(n);
  for (let start = 0; start < n; start += batch) {
    const m = Math.min(batch, n - start);
    const classes = tf.tidy(() => (model.predict(tf.tensor2d(images.subarray(start * PIXELS, (start + m) * PIXELS), [m, PIXELS])) as tf.Tensor2D).argMax(1));
    out.set(classes.dataSync(), start);
    classes.dispose();
  }
  return out;
}

/** The share of `set`'s images the classifier labels correctly. */
export function accuracy(model: tf.LayersModel, set: ImageSet): number {
  const predicted = classify(model, toFloat(set, Array.from({ length: set.count }, (_, i) => i)));
  let right = 0;
  for (let i = 0; i < set.count; i++) if (predicted[i] === set.labels[i]) right++;
  return right / set.count;
}

export interface ClassifierTraining {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Called after each epoch with its mean cross-entropy (nats). */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Trains a fresh classifier with Adam on softmax cross-entropy, batches in a seeded order. */
export function trainClassifier(train: ImageSet, options: ClassifierTraining): tf.LayersModel {
  const model = buildClassifier(options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const rng = createRng(options.seed + 1);
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = permutation(train.count, rng);
      let total = 0;
      for (let start = 0; start + options.batchSize <= train.count; start += options.batchSize) {
        const indices = order.subarray(start, start + options.batchSize);
        const x = tf.tensor2d(toFloat(train, indices), [indices.length, PIXELS]);
        const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(indices, (i) => train.labels[i]!), 'int32'), CLASSES));
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor2D) as tf.Scalar, true)!;
        total += loss.dataSync()[0]! * indices.length;
        tf.dispose([x, y, loss]);
      }
      options.onEpoch?.(epoch + 1, total / (Math.floor(train.count / options.batchSize) * options.batchSize));
    }
    return model;
  } finally {
    optimizer.dispose();
  }
}

/** Loads a dataset's classifier, checking that it maps 784 grey levels to 10 classes. */
export async function loadClassifier(read: ReadBytes, dataset: string): Promise<tf.LayersModel> {
  const folder = classifierFolder(dataset);
  const model = await loadLayersModel(read, folder);
  const [input, output] = [model.inputs[0]?.shape, model.outputs[0]?.shape];
  if (input?.[1] !== PIXELS || output?.[1] !== CLASSES) {
    model.dispose();
    throw new WeightsError(`The classifier at ${folder} maps ${JSON.stringify(input)} to ${JSON.stringify(output)}, not ${PIXELS} grey levels to ${CLASSES} classes`);
  }
  return model;
}
