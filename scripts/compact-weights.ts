/**
 * npm run compact -- --model mnist-conv-z2
 *
 * Re-stores a trained model's weights in float16 when that moves its test loss by less than
 * 0.5 nats per image (see scripts/lib/storage.ts), and records both sizes and losses in its
 * metrics.json. `npm run train` does this by itself at the end of a run.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '../src/vae/backend.ts';
import { loadSplit } from '../src/vae/data.ts';
import { loadVae, type ModelMetrics } from '../src/vae/io.ts';
import { disposeVae } from '../src/vae/model.ts';
import { getSpec } from '../src/vae/spec.ts';
import { cliArgs, exitCleanlyOnError } from './lib/args.ts';
import { PUBLIC, readPublic, writeFiles } from './lib/files.ts';
import { chooseStorage, TEST_SEED } from './lib/storage.ts';

exitCleanlyOnError();

const args = cliArgs({ model: { type: 'string', default: 'mnist-conv-z2' } });
const spec = getSpec(args.model!);
const dir = join(PUBLIC, 'weights', spec.id);
await initBackend({ prefer: ['wasm'] });
const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as ModelMetrics;
const vae = await loadVae(spec, readPublic, `weights/${spec.id}`);
const test = await loadSplit(readPublic, `data/${spec.dataset}`, 'test');
const stored = await chooseStorage(vae, test);
disposeVae(vae);
const updated: ModelMetrics = { ...metrics, test: { ...stored.test, samplesPerImage: 1, seed: TEST_SEED }, weights: stored.weights };
delete updated.evaluation; // measured on the previous weights; run npm run evaluate again
await writeFiles(dir, { ...stored.files, 'metrics.json': JSON.stringify(updated, null, 2) + '\n' });
const w = stored.weights;
console.log(`${spec.id}: ${w.dtype} weights, ${w.bytes} bytes (float32 ${w.float32Bytes}, float16 ${w.float16Bytes}); test loss float32 ${w.testLossFloat32!.toFixed(3)}, float16 ${w.testLossFloat16!.toFixed(3)}.`);
