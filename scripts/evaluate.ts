/**
 * npm run evaluate -- --model mnist-conv-z2 [--k 64] [--limit N] [--seed S]
 * npm run evaluate -- --model mnist-conv-z2 --card-only
 * npm run evaluate -- --model mnist-conv-z2 --codes-only
 *
 * Measures a trained model on the held-out test images (all 10,000, or the first N): the
 * one-sample loss, the importance-weighted bound with k samples, the active latent units and the
 * entropy floor of the grey-level targets, and for a 2-D VAE how far q(z|x) is from the true
 * posterior (evaluation.posteriorGap, see scripts/posterior-gap.ts). Prints a summary and merges it into
 * public/weights/<model>/metrics.json under "evaluation", leaving the other keys as they are.
 * A binarized model (spec.binarized) is measured on the test images binarized once (binarizeSet).
 * Also writes the model card (README.md) and, on the whole test set, the test images' posteriors
 * (test-latents.bin: μ of each, and log σ² for a 2-D VAE) for figures that draw before TF.js loads (not for a binarized model). With
 * --card-only it measures nothing and rewrites the model card from the metrics.json already
 * there; with --codes-only it rewrites test-latents.bin alone.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend, tf } from '../src/vae/backend.ts';
import { encodeSet } from '../src/vae/encode-set.ts';
import { binarizeSet, DataError, loadManifest, loadSplit, sliceSet } from '../src/vae/data.ts';
import { CHECK_SUBSET_IMAGES, evaluate, evaluateModel, type EvalResult, type ModelEvaluation } from '../src/vae/evaluate.ts';
import { encodeLatents, LATENTS_FILE } from '../src/vae/latents-file.ts';
import { loadVae, WeightsError } from '../src/vae/io.ts';
import { disposeVae } from '../src/vae/model.ts';
import { measurePosteriorGap, POSTERIOR_GAP_DEFAULTS, type PosteriorGap } from '../src/vae/posterior-gap.ts';
import { MODEL_SPECS, type ModelSpec } from '../src/vae/spec.ts';
import { cliArgs, num } from './lib/args.ts';
import { PUBLIC, readPublic } from './lib/files.ts';
import { modelCard } from './lib/model-card.ts';
import { progressLine } from './lib/progress.ts';

/** An error whose message already says what to do: printed as one line, exit code 1. */
class UsageError extends Error {}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = num(value, name);
  if (!(Number.isInteger(n) && n >= 1)) throw new UsageError(`--${name} needs a positive integer, got ${value}`);
  return n;
}

/**
 * test-latents.bin: every test image's μ and label, and for a 2-D VAE its log σ² too (chapter 6
 * averages those posteriors into q(z)); a larger code keeps its means only, half the bytes.
 */
function latentsFile(spec: ModelSpec, labels: Uint8Array, mu: Float32Array, logVar: Float32Array | null): Uint8Array {
  const withVariances = logVar !== null && spec.latentDim === 2;
  return encodeLatents({ count: labels.length, dims: spec.latentDim, mu, labels, ...(withVariances ? { logVar } : {}) });
}

async function main(): Promise<void> {
  let args;
  try {
    args = cliArgs({
      model: { type: 'string' },
      k: { type: 'string', default: '64' },
      limit: { type: 'string' },
      seed: { type: 'string', default: '12345' },
      'card-only': { type: 'boolean', default: false },
      'codes-only': { type: 'boolean', default: false },
    });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}. Usage: npm run evaluate -- --model ID [--k 64] [--limit N] [--seed S] [--card-only | --codes-only]`);
  }
  const known = Object.keys(MODEL_SPECS).join(', ');
  if (!args.model) throw new UsageError(`Name a model with --model (known: ${known}).`);
  const spec = (MODEL_SPECS as Record<string, ModelSpec>)[args.model];
  if (!spec) throw new UsageError(`Unknown model "${args.model}": use --model with one of ${known}, or add it to src/vae/spec.ts.`);
  let k: number | undefined;
  let limit: number | undefined;
  let seed: number;
  try {
    k = positiveInteger(args.k, 'k');
    limit = positiveInteger(args.limit, 'limit');
    seed = num(args.seed, 'seed');
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(err instanceof Error ? err.message : String(err));
  }
  const train = `npm run train -- --model ${spec.id}`;
  const metricsPath = join(PUBLIC, 'weights', spec.id, 'metrics.json');
  // Checked first, so a missing file is reported before minutes of evaluation, not after.
  let metrics: Record<string, unknown>;
  try {
    metrics = JSON.parse(await readFile(metricsPath, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    const why = err instanceof SyntaxError ? 'is not valid JSON' : 'is missing';
    throw new UsageError(`public/weights/${spec.id}/metrics.json ${why}: train the model first with \`${train}\`.`);
  }
  if (args['card-only']) {
    const manifest = await loadManifest(readPublic, `data/${spec.dataset}`);
    await writeFile(join(PUBLIC, 'weights', spec.id, 'README.md'), modelCard(metrics as unknown as Parameters<typeof modelCard>[0], manifest));
    console.log(`Rewrote public/weights/${spec.id}/README.md from its metrics.json.`);
    return;
  }

  let backend;
  try {
    backend = await initBackend({ prefer: ['wasm'] });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}. Reinstall the dependencies with \`npm ci\`.`);
  }
  // A binarized model is measured on the test images binarized once (the first N of a --limit
  // run get the same draws as in the whole set).
  const grey = await loadSplit(readPublic, `data/${spec.dataset}`, 'test', limit === undefined ? {} : { limit });
  const test = spec.binarized ? binarizeSet(grey) : grey;
  let vae;
  try {
    vae = await loadVae(spec, readPublic, `weights/${spec.id}`);
  } catch (err) {
    if (err instanceof WeightsError) throw new UsageError(`${err.message}. Train the model with \`${train}\`.`);
    throw err;
  }

  if (args['codes-only']) {
    if (limit !== undefined) throw new UsageError('--codes-only encodes the whole test set: leave out --limit.');
    if (spec.binarized) throw new UsageError(`${spec.id} is binarized: no figure draws its codes, so it ships no ${LATENTS_FILE}.`);
    try {
      const { mu, logVar } = encodeSet(vae, test);
      await writeFile(join(PUBLIC, 'weights', spec.id, LATENTS_FILE), latentsFile(spec, test.labels, mu, logVar));
    } finally {
      disposeVae(vae);
    }
    console.log(`Wrote public/weights/${spec.id}/${LATENTS_FILE}: the posteriors of ${test.count.toLocaleString('en')} test images.`);
    return;
  }

  console.log(`Evaluating ${spec.id} on ${test.count.toLocaleString('en')} test images (k = ${k ?? 64}, seed ${seed}, backend ${backend.name}).`);
  const started = performance.now();
  let result: ModelEvaluation;
  let checkSubset: EvalResult & { seed: number };
  let latents: Uint8Array | undefined;
  let posteriorGap: PosteriorGap | undefined;
  try {
    // A quick re-check the tests repeat on the committed weights: the first images, same seed.
    checkSubset = { ...evaluate(vae, sliceSet(test, 0, Math.min(CHECK_SUBSET_IMAGES, test.count)), { seed }), seed };
    // q(z|x) of every test image, once: for the stored codes and the active-unit count.
    const { mu: means, logVar } = encodeSet(vae, test);
    // No figure draws a binarized model's codes: it ships none.
    if (limit === undefined && !spec.binarized) latents = latentsFile(spec, test.labels, means, logVar);
    result = evaluateModel(vae, test, {
      seed,
      means,
      ...(k === undefined ? {} : { k }),
      onProgress: (done, total) => {
        const elapsed = (performance.now() - started) / 1000;
        progressLine(done, total, done > 0 ? (elapsed / done) * (total - done) : 0, `IWAE images ${done}/${total}`);
      },
    });
    // A 2-D VAE's q(z|x) against its true posterior on grids, on the whole test set's indices.
    if (limit === undefined && spec.kind === 'vae' && spec.latentDim === 2) {
      if (process.stdout.isTTY) process.stdout.write('\n');
      // Chapter 2's named test images, where this test set has them.
      const examples = POSTERIOR_GAP_DEFAULTS.examples.filter((i) => i < test.count);
      const ratio = POSTERIOR_GAP_DEFAULTS.ratio.every((i) => i < test.count) ? POSTERIOR_GAP_DEFAULTS.ratio : null;
      const total = POSTERIOR_GAP_DEFAULTS.images + examples.length;
      const gapStarted = performance.now();
      let done = 0;
      posteriorGap = await measurePosteriorGap(vae, test, { ...POSTERIOR_GAP_DEFAULTS, examples, ratio }, () => {
        done++;
        const elapsed = (performance.now() - gapStarted) / 1000;
        progressLine(done, total, (elapsed / done) * (total - done), `true posteriors ${done}/${total}`);
      });
    }
  } finally {
    disposeVae(vae);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  if (process.stdout.isTTY) process.stdout.write('\n');

  const evaluation = { ...result, checkSubset, ...(posteriorGap ? { posteriorGap } : {}), backend: backend.name, wallSeconds: Math.round(wallSeconds * 10) / 10, createdAt: new Date().toISOString() };
  // Read again just before writing: a training run may have rewritten the file meanwhile.
  try {
    metrics = JSON.parse(await readFile(metricsPath, 'utf8')) as Record<string, unknown>;
  } catch {
    // Keep the copy read at the start.
  }
  const updated = { ...metrics, evaluation };
  await writeFile(metricsPath, JSON.stringify(updated, null, 2) + '\n');
  const dir = join(PUBLIC, 'weights', spec.id);
  if (latents) await writeFile(join(dir, LATENTS_FILE), latents);
  const manifest = await loadManifest(readPublic, `data/${spec.dataset}`);
  await writeFile(join(dir, 'README.md'), modelCard(updated as unknown as Parameters<typeof modelCard>[0], manifest));

  const f = (v: number, digits = 2) => v.toFixed(digits);
  const { oneSample, iwae, activeUnits, floor } = result;
  console.log(
    [
      ``,
      `${spec.id} on ${result.images.toLocaleString('en')} test images, nats per image (lower is better):`,
      `  one-sample loss      ${f(oneSample.loss).padStart(8)}  = reconstruction ${f(oneSample.reconstruction)} + β·KL ${f(spec.beta * oneSample.kl)}  (one z ~ q(z|x), seed ${result.seed})`,
      iwae
        ? `  IWAE bound, k = ${String(iwae.k).padEnd(5)}${f(iwae.loss).padStart(8)}  ≥ −log p(x); ${f(oneSample.reconstruction + oneSample.kl - iwae.loss)} below the one-sample −ELBO (reconstruction + KL = ${f(oneSample.reconstruction + oneSample.kl)})`
        : `  IWAE bound           (none: a plain autoencoder defines no likelihood)`,
      `  entropy floor        ${f(floor.entropyPerImage).padStart(8)}  Σ H(x_i) of the grey-level pixels; no model goes below it`,
      `  gap to floor         ${result.gapToFloor === null ? '     n/a' : f(result.gapToFloor).padStart(8)}`,
      `  active units         ${activeUnits.count} of ${activeUnits.variances.length} (Var_x μ_u > ${activeUnits.threshold}: ${activeUnits.variances.map((v) => v.toPrecision(3)).join(', ')})`,
      `  check subset         ${f(checkSubset.loss).padStart(8)}  one-sample loss of the first ${checkSubset.images} test images (re-checked by the tests)`,
      posteriorGap
        ? `  posterior gap        ${f(posteriorGap.medianKl).padStart(8)}  median KL(q ‖ p(z|x)) of ${posteriorGap.images} test images (seed ${posteriorGap.seed}); over 10 nats for ${f(posteriorGap.percentKlAbove10, 0)} %`
        : null,
      `Took ${f(wallSeconds, 1)} s. Wrote "evaluation" into public/weights/${spec.id}/metrics.json, the model card README.md${latents ? ` and ${LATENTS_FILE}` : ''} (tensors alive: ${tf.memory().numTensors}).`,
    ]
      .filter((line) => line !== null)
      .join('\n'),
  );
}

try {
  await main();
} catch (err) {
  if (err instanceof UsageError || err instanceof DataError) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
