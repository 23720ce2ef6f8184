/**
 * Half-precision weights: our encoder against TF.js's own decoder, and a float16 model that
 * loads and decodes within float16's precision of its float32 original.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { tf } from '../../src/vae/backend.ts';
import { toFloat16, toFloat16Bits } from '../../src/vae/float16.ts';
import { decode, latentGrid } from '../../src/vae/infer.ts';
import { loadVae, vaeToFiles } from '../../src/vae/io.ts';
import { buildVae, disposeVae } from '../../src/vae/model.ts';
import { getSpec } from '../../src/vae/spec.ts';
import { useWasm } from './helpers.ts';

before(useWasm);

/** TF.js's reading of float16 weights, independent of our encoder. */
function viaTfjs(halves: Uint16Array): Float32Array {
  const named = tf.io.decodeWeights(halves.buffer as ArrayBuffer, [{ name: 'w', shape: [halves.length], dtype: 'float32', quantization: { dtype: 'float16' } }]);
  const out = named['w']!.dataSync() as Float32Array;
  named['w']!.dispose();
  return out;
}

test('exact values, signed zeros, infinities and NaN round-trip through TF.js', () => {
  const exact = [0, -0, 1, -2, 0.5, 65504, -65504, 2 ** -14, 2 ** -24, 1025];
  const back = viaTfjs(toFloat16(Float32Array.from(exact)));
  assert.deepEqual(Array.from(back), exact);
  // Above 1024 the spacing is 1: halfway cases go to the even neighbour.
  assert.deepEqual(Array.from(viaTfjs(toFloat16(Float32Array.of(1024.5, 1025.5)))), [1024, 1026]);
  assert.equal(toFloat16Bits(1e6), 0x7c00, 'overflow is +Infinity');
  assert.equal(toFloat16Bits(-1e6), 0xfc00);
  assert.ok(Number.isNaN(viaTfjs(Uint16Array.of(toFloat16Bits(Number.NaN)))[0]!));
  assert.equal(toFloat16Bits(2 ** -26), 0, 'below half the smallest subnormal rounds to zero');
});

test('random values round to the nearest float16 (relative error ≤ 2^-11 in the normal range)', () => {
  const values = Float32Array.from({ length: 20000 }, (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 9) - 4));
  const back = viaTfjs(toFloat16(values));
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const err = Math.abs(back[i]! - v);
    if (Math.abs(v) >= 2 ** -14) assert.ok(err <= Math.abs(v) * 2 ** -11 * 1.0001, `${v} → ${back[i]}`);
    else assert.ok(err <= 2 ** -25 * 1.0001, `subnormal ${v} → ${back[i]}`);
  }
});

test('a VAE saved as float16 is half the size and decodes within 1/255 of the float32 original', async () => {
  const vae = buildVae(getSpec('mnist-conv-z2'));
  const full = await vaeToFiles(vae);
  const half = await vaeToFiles(vae, { float16: true });
  assert.equal(half['decoder/weights.bin']!.length * 2, full['decoder/weights.bin']!.length);
  const tensors = tf.memory().numTensors;
  const loaded = await loadVae(getSpec('mnist-conv-z2'), async (p) => half[p.replace(/^\.\//, '')]!, '.');
  const grid = latentGrid(5, -2, 2);
  const a = decode(vae, grid);
  const b = decode(loaded, grid);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  assert.ok(worst < 1 / 255, `max pixel difference ${worst}`);
  // A truncated float16 file is still caught by the size check.
  await assert.rejects(
    loadVae(getSpec('mnist-conv-z2'), async (p) => (p.endsWith('encoder/weights.bin') ? half['encoder/weights.bin']!.subarray(0, 100) : half[p.replace(/^\.\//, '')]!), '.'),
    /truncated or corrupt/,
  );
  disposeVae(loaded);
  assert.equal(tf.memory().numTensors, tensors);
  disposeVae(vae);
});
