/**
 * The training CLI as a user runs it: a short run writes a loadable model with honest
 * metrics, and --resume continues from its checkpoint instead of starting over.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { loadVae, type ModelMetrics } from '../../src/vae/io.ts';
import { disposeVae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { ROOT } from '../../scripts/lib/files.ts';
import { useWasm } from './helpers.ts';

const run = promisify(execFile);
const dir = await mkdtemp(join(tmpdir(), 'latent-lab-train-'));
after(() => rm(dir, { recursive: true, force: true }));

const train = (...extra: string[]) =>
  run(process.execPath, ['scripts/train.ts', '--epochs', '0.25', '--limit', '1280', '--validation', '256', '--kl-warmup', '5', '--test-limit', '1000', '--out', join(dir, 'out'), '--checkpoints', join(dir, 'ck'), ...extra], { cwd: ROOT });

test('npm run train writes a model and metrics; --resume continues the same run', async () => {
  const first = await train();
  assert.match(first.stdout, /2 steps of 128/);
  const metrics1 = JSON.parse(await readFile(join(dir, 'out', 'metrics.json'), 'utf8')) as ModelMetrics;
  assert.equal(metrics1.recipe.steps, 2);
  assert.equal(metrics1.recipe.trainImages, 1024, 'the last 256 are held out for validation');
  assert.equal((metrics1 as unknown as { validation: unknown[] }).validation.length, 1);
  assert.equal(metrics1.test.images, 1000, '--test-limit 1000 measures on the first 1,000 test images');
  assert.ok(metrics1.test.loss > 0 && Math.abs(metrics1.test.loss - (metrics1.test.reconstruction + metrics1.test.kl)) < 1e-6);

  const second = await run(process.execPath, ['scripts/train.ts', '--epochs', '0.5', '--limit', '1280', '--validation', '256', '--kl-warmup', '5', '--test-limit', '1000', '--out', join(dir, 'out'), '--checkpoints', join(dir, 'ck'), '--resume'], { cwd: ROOT });
  assert.match(second.stdout, /Resuming from the checkpoint at step 2/);
  const metrics2 = JSON.parse(await readFile(join(dir, 'out', 'metrics.json'), 'utf8')) as ModelMetrics;
  assert.equal(metrics2.recipe.steps, 4, 'two more steps, not four from scratch');
  assert.equal((metrics2 as unknown as { validation: unknown[] }).validation.length, 2, 'the validation history survives the resume');
  assert.ok(metrics2.recipe.wallSeconds >= metrics1.recipe.wallSeconds, 'wall time adds up across sittings');
  // The shipped weights are float16 when that costs under 0.5 nats, and the sizes are recorded.
  const w = metrics2.weights!;
  assert.ok(Math.abs(w.testLossFloat16! - w.testLossFloat32!) < 0.5);
  assert.equal(w.dtype, 'float16');
  assert.equal(w.float16Bytes! * 2, w.float32Bytes);
  const shipped = (await readFile(join(dir, 'out', 'encoder', 'weights.bin'))).length + (await readFile(join(dir, 'out', 'decoder', 'weights.bin'))).length;
  assert.equal(shipped, w.bytes);
  assert.equal(metrics2.test.loss, w.testLossFloat16, 'the reported test loss is that of the shipped weights');

  await useWasm();
  const vae = await loadVae(getSpec('mnist-conv-z2'), async (p) => new Uint8Array(await readFile(join(dir, 'out', p))), '.');
  disposeVae(vae);
});

test('--init starts from another model\'s weights and records it; a model of another shape is refused', async () => {
  // Zero steps: what is written is exactly the starting point, re-evaluated under the new spec.
  await run(process.execPath, ['scripts/train.ts', '--model', 'mnist-conv-z2-beta4', '--epochs', '0', '--test-limit', '1000', '--init', join(dir, 'out'), '--out', join(dir, 'beta4'), '--checkpoints', join(dir, 'ck-beta4')], { cwd: ROOT });
  const from = JSON.parse(await readFile(join(dir, 'out', 'metrics.json'), 'utf8')) as ModelMetrics;
  const to = JSON.parse(await readFile(join(dir, 'beta4', 'metrics.json'), 'utf8')) as ModelMetrics;
  assert.deepEqual(to.recipe.initialisedFrom, { model: 'mnist-conv-z2', epochs: from.recipe.epochs, path: relative(ROOT, join(dir, 'out')) });
  assert.equal(to.recipe.steps, 0);
  assert.equal(to.test.reconstruction, from.test.reconstruction, 'the same weights give the same reconstruction term');
  assert.equal(to.test.kl, from.test.kl);
  assert.ok(Math.abs(to.test.loss - (to.test.reconstruction + 4 * to.test.kl)) < 1e-6, 'its loss weighs KL by its own β');
  await assert.rejects(
    run(process.execPath, ['scripts/train.ts', '--model', 'mnist-conv-z16', '--epochs', '0', '--init', join(dir, 'out'), '--out', join(dir, 'z16'), '--checkpoints', join(dir, 'ck-z16')], { cwd: ROOT }),
    /does not fit mnist-conv-z16/,
  );
});

test('bad input ends with one clear line and exit code 1', async () => {
  await assert.rejects(run(process.execPath, ['scripts/train.ts', '--model', 'nope'], { cwd: ROOT }), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, /Error: Unknown model "nope"/);
    assert.doesNotMatch(err.stderr, /at .*\.ts:\d+/, 'no stack trace');
    return true;
  });
  await assert.rejects(train('--resume', '--checkpoints', join(dir, 'none')), /no checkpoint/);
});
