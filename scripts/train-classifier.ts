/**
 * npm run train:classifier [-- --dataset mnist] [--epochs 8] [--seed 1] [--limit N] [--out DIR]
 *
 * Trains the small digit classifier of src/vae/classifier.ts on a dataset's 60,000 training
 * images (or the first N), measures the accuracy of its stored weights on the 10,000 test
 * images, and writes public/classifiers/<dataset>/ (or DIR): model.json, weights.bin as float16,
 * metrics.json. The figures that count which digits a decoder draws state that accuracy.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend, tf } from '../src/vae/backend.ts';
import { accuracy, classifierFolder, loadClassifier, trainClassifier, type ClassifierMetrics } from '../src/vae/classifier.ts';
import { loadSplit } from '../src/vae/data.ts';
import { layersModelToFiles } from '../src/vae/io.ts';
import { cliArgs, num } from './lib/args.ts';
import { PUBLIC, readPublic, writeFiles } from './lib/files.ts';

async function main(): Promise<void> {
  const args = cliArgs({
    dataset: { type: 'string', default: 'mnist' },
    epochs: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    limit: { type: 'string' },
    out: { type: 'string' },
  });
  const dataset = args.dataset!;
  const epochs = num(args.epochs, 'epochs');
  const seed = num(args.seed, 'seed');
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new Error(`--epochs needs a whole number of at least 1, got ${args.epochs}`);
  const limit = args.limit === undefined ? undefined : num(args.limit, 'limit');
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 128)) throw new Error(`--limit needs a whole number of at least 128 (one batch), got ${args.limit}`);
  await initBackend({ prefer: ['wasm'] });
  const train = await loadSplit(readPublic, `data/${dataset}`, 'train', limit === undefined ? {} : { limit });
  const test = await loadSplit(readPublic, `data/${dataset}`, 'test');
  const options = { epochs, batchSize: 128, learningRate: 1e-3, seed };
  const started = performance.now();
  const model = trainClassifier(train, { ...options, onEpoch: (epoch, loss) => console.log(`epoch ${epoch}/${epochs}: cross-entropy ${loss.toFixed(4)} nats`) });
  try {
    const dir = args.out ?? join(PUBLIC, classifierFolder(dataset));
    await writeFiles(dir, await layersModelToFiles(model, { float16: true }));
    // The accuracy of the stored (float16) weights, as the page loads them.
    const stored = await loadClassifier(async (path) => new Uint8Array(await readFile(join(dir, path.slice(classifierFolder(dataset).length + 1)))), dataset);
    const testAccuracy = accuracy(stored, test);
    stored.dispose();
    const metrics: ClassifierMetrics = { dataset, testAccuracy, ...options, parameters: model.countParams() };
    await writeFile(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    console.log(
      `Test accuracy ${(100 * testAccuracy).toFixed(2)} % on ${test.count.toLocaleString('en')} images, ${model.countParams().toLocaleString('en')} parameters, ${((performance.now() - started) / 1000).toFixed(0)} s. Wrote ${dir} (tensors alive: ${tf.memory().numTensors}).`,
    );
  } finally {
    model.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
