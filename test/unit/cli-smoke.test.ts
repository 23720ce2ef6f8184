/**
 * The CLIs the guides name that no other test runs: render:preview writes the images a figure
 * shows before TF.js loads (here into a temporary folder), evaluate --card-only rewrites a model
 * card from its metrics.json and nothing else, evaluate --codes-only rewrites a model's test
 * posteriors byte for byte, train:classifier writes a classifier that learned, and all refuse
 * bad input with one clear line; render:icons draws the committed app icons byte for byte.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function fails(script: string, args: string[]): Promise<string> {
  try {
    await run(process.execPath, [script, ...args]);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    assert.equal(e.code, 1, `exit code of ${script} ${args.join(' ')}`);
    return e.stderr.trim();
  }
  throw new Error(`${script} ${args.join(' ')} did not fail`);
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG signature');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('render:preview writes the manifold mosaic and the interpolation strips where --out says', async () => {
  const out = mkdtempSync(join(tmpdir(), 'latent-lab-preview-'));
  try {
    await run(process.execPath, ['scripts/render-preview.ts', '--model', 'mnist-conv-z2', '--side', '4', '--out', out]);
    assert.deepEqual(pngSize(readFileSync(join(out, 'manifold.png'))), [4 * 28, 4 * 28]);
    await run(process.execPath, ['scripts/render-preview.ts', '--model', 'mnist-conv-z2', '--interp', '0,3', '--steps', '5', '--out', out]);
    assert.deepEqual(pngSize(readFileSync(join(out, 'interp-0-3-5.png'))), [5 * 28, 2 * 28]);
    // The colour model's preview: 32 × 32 images, in a truecolour PNG (colour type 2 at byte 25).
    await run(process.execPath, ['scripts/render-preview.ts', '--model', 'emoji-conv-z2', '--side', '3', '--out', join(out, 'emoji')]);
    const emoji = readFileSync(join(out, 'emoji', 'manifold.png'));
    assert.deepEqual([...pngSize(emoji), emoji[25]], [3 * 32, 3 * 32, 2]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  assert.match(await fails('scripts/render-preview.ts', ['--model', 'mnist-conv-z2', '--interp', '0']), /--interp needs two test image indices/);
  assert.match(await fails('scripts/render-preview.ts', ['--model', 'mnist-conv-z2', '--grid', 'spiral']), /--grid must be one of/);
});

test('render:icons draws the committed app icons byte for byte', async () => {
  const out = mkdtempSync(join(tmpdir(), 'latent-lab-icons-'));
  try {
    await run(process.execPath, ['scripts/render-icons.ts', '--out', out]);
    for (const [name, size] of [['icon-192.png', 192], ['icon-512.png', 512]] as const) {
      const drawn = readFileSync(join(out, name));
      assert.deepEqual(pngSize(drawn), [size, size]);
      assert.ok(drawn.equals(readFileSync(join('public', 'icons', name))), `${name}: run npm run render:icons and commit the result`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('evaluate --card-only rewrites the card from metrics.json without changing it, and bad input is refused', async () => {
  const card = join('public', 'weights', 'mnist-conv-z2', 'README.md');
  const before = readFileSync(card, 'utf8');
  const { stdout } = await run(process.execPath, ['scripts/evaluate.ts', '--model', 'mnist-conv-z2', '--card-only']);
  assert.match(stdout, /Rewrote public\/weights\/mnist-conv-z2\/README.md/);
  assert.equal(readFileSync(card, 'utf8'), before, 'the committed card is what metrics.json gives');
  assert.match(await fails('scripts/evaluate.ts', ['--model', 'no-such-model']), /Unknown model "no-such-model"/);
  assert.match(await fails('scripts/evaluate.ts', ['--model', 'mnist-conv-z2', '--k', '0']), /--k needs a positive integer/);
});

test('evaluate --codes-only rewrites a model’s test posteriors byte for byte', async () => {
  const file = join('public', 'weights', 'mnist-conv-z2', 'test-latents.bin');
  const before = readFileSync(file);
  const { stdout } = await run(process.execPath, ['scripts/evaluate.ts', '--model', 'mnist-conv-z2', '--codes-only']);
  assert.match(stdout, /Wrote public\/weights\/mnist-conv-z2\/test-latents.bin/);
  assert.ok(readFileSync(file).equals(before), 'the committed file is what the committed weights give');
  assert.match(await fails('scripts/evaluate.ts', ['--model', 'mnist-conv-z2', '--codes-only', '--limit', '10']), /--codes-only encodes the whole test set/);
});

test('train:classifier writes a classifier, its float16 weights and its measured accuracy where --out says', async () => {
  const out = mkdtempSync(join(tmpdir(), 'latent-lab-classifier-'));
  try {
    const { stdout } = await run(process.execPath, ['scripts/train-classifier.ts', '--epochs', '1', '--limit', '3000', '--out', out]);
    assert.match(stdout, /Test accuracy \d+\.\d+ %/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { testAccuracy: number; parameters: number };
    assert.ok(metrics.testAccuracy > 0.8, `${metrics.testAccuracy}`);
    assert.equal(readFileSync(join(out, 'weights.bin')).length, 2 * metrics.parameters, 'float16: two bytes a parameter');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  assert.match(await fails('scripts/train-classifier.ts', ['--epochs', '0']), /--epochs needs a whole number/);
  assert.match(await fails('scripts/train-classifier.ts', ['--limit', '5']), /--limit needs a whole number of at least 128/);
});
