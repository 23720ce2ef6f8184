/**
 * The CIFAR-10 plug-in on a small folder in the official binary format, written here with a
 * known pattern: every value differs by channel, row and column (and image), so reading the
 * planes in the wrong order, or transposing rows and columns, fails. The dataset is written
 * as the site stores datasets (32 × 32 × 3 in its manifest), read back, and a zoo model
 * trains on it from the CLI with the dataset's shape. A folder that is not CIFAR-10's is refused.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { PUBLIC, readPublic } from '../../scripts/lib/files.ts';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, cifar10 } from '../../scripts/lib/datasets/cifar10.ts';
import { writeDataset } from '../../scripts/lib/datasets/write.ts';
import { loadSplit, setShape } from '../../src/vae/data.ts';
import type { ModelMetrics } from '../../src/vae/io.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'latent-lab-cifar-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The value the pattern puts at channel c, row y, column x of image n. */
const pattern = (n: number, y: number, x: number, c: number) => (c * 85 + y * 7 + x * 2 + n * 13) % 256;

/** A CIFAR-10 record: the label, then the red, green and blue planes, row by row. */
function record(n: number, label: number): Uint8Array {
  const out = new Uint8Array(3073);
  out[0] = label;
  for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[1 + c * 1024 + y * 32 + x] = pattern(n, y, x, c);
  return out;
}

function writeBatches(folder: string): void {
  // Two images in each training batch, three in the test batch; image n has label n mod 10.
  let n = 0;
  const batch = (count: number) => {
    const bytes = new Uint8Array(count * 3073);
    for (let k = 0; k < count; k++, n++) bytes.set(record(n, n % 10), k * 3073);
    return bytes;
  };
  for (const name of CIFAR10_TRAIN_FILES) writeFileSync(join(folder, name), batch(2));
  writeFileSync(join(folder, CIFAR10_TEST_FILE), batch(3));
  writeFileSync(join(folder, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
}

describe('CIFAR-10', () => {
  test('records become 32 × 32 × 3 images, channels last, with their labels and class names', async () => {
    writeBatches(dir);
    const raw = await cifar10(dir).load();
    assert.deepEqual(raw.shape, { height: 32, width: 32, channels: 3 });
    assert.equal(raw.classes[9], 'truck');
    assert.deepEqual(Array.from(raw.train.labels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(Array.from(raw.test.labels), [0, 1, 2]);
    assert.equal(raw.train.images.length, 10 * 3072);
    for (const [split, first] of [['train', 0], ['test', 10]] as const) {
      const images = raw[split].images;
      for (let k = 0; k < images.length / 3072; k++) {
        for (let y = 0; y < 32; y++) {
          for (let x = 0; x < 32; x++) {
            for (let c = 0; c < 3; c++) {
              const got = images[k * 3072 + (y * 32 + x) * 3 + c];
              if (got !== pattern(first + k, y, x, c)) assert.fail(`${split} image ${k}, (y ${y}, x ${x}, channel ${c}): ${got}, expected ${pattern(first + k, y, x, c)}`);
            }
          }
        }
      }
    }
  });

  test('written as the site stores datasets, read back, and trained on by a zoo model from the CLI', async () => {
    const id = `test-cifar-${process.pid}`;
    const target = join(PUBLIC, 'data', id);
    const work = mkdtempSync(join(tmpdir(), 'latent-lab-cifar-train-'));
    try {
      const manifest = await writeDataset(await cifar10(dir).load(), id, target);
      assert.deepEqual([manifest.height, manifest.width, manifest.channels], [32, 32, 3]);
      const test = await loadSplit(readPublic, `data/${id}`, 'test');
      assert.deepEqual(setShape(test), { height: 32, width: 32, channels: 3 });
      assert.equal(test.images[(5 * 32 + 7) * 3 + 2], pattern(10, 5, 7, 2));
      const out = join(work, 'weights');
      const result = await run(process.execPath, ['scripts/train.ts', '--model', 'mnist-mlp-z2', '--dataset', id, '--epochs', '1', '--batch-size', '4', '--validation', '0', '--out', out, '--checkpoints', join(work, 'ck')], { cwd: ROOT });
      assert.match(result.stdout, new RegExp(`Training ${id}-mlp-z2 .* on 10 images`));
      const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as ModelMetrics;
      assert.deepEqual(metrics.spec.image, { height: 32, width: 32, channels: 3 });
      assert.equal(metrics.test.images, 3);
    } finally {
      await rm(target, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('a folder that is not CIFAR-10, a cut record and a label above 9 are refused, each with its reason', async () => {
    const other = mkdtempSync(join(tmpdir(), 'latent-lab-cifar-bad-'));
    try {
      assert.throws(() => cifar10(other).source(), /is not CIFAR-10's binary folder \(cifar-10-batches-bin\): data_batch_1\.bin, .* are missing/);
      writeBatches(other);
      writeFileSync(join(other, 'data_batch_3.bin'), record(0, 1).subarray(0, 3000));
      await assert.rejects(cifar10(other).load(), /data_batch_3\.bin is 3000 bytes, not a whole number of 3073-byte CIFAR-10 records/);
      writeBatches(other);
      writeFileSync(join(other, CIFAR10_TEST_FILE), record(0, 12));
      await assert.rejects(cifar10(other).load(), /test_batch\.bin: record 0 has label 12; CIFAR-10's labels are 0 to 9/);
      await assert.rejects(run(process.execPath, ['scripts/prepare-data.ts', '--only', 'cifar10'], { cwd: ROOT }), /CIFAR-10 is not shipped with the project/);
      await assert.rejects(run(process.execPath, ['scripts/prepare-data.ts', '--only', 'mnist', '--from', other], { cwd: ROOT }), /--from goes with --only cifar10/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
