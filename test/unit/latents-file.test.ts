/** The compact latent-points file: a round trip within half a quantisation step, and clear errors. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeLatents, encodeLatents, LatentsFileError } from '../../src/vae/latents-file.ts';
import { gaussianSampler, maxAbsDiff } from './helpers.ts';

describe('latent-points file', () => {
  const normal = gaussianSampler(3);
  const count = 1000;
  const mu = Float32Array.from({ length: count * 2 }, () => 2.5 * normal());
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);

  test('round-trips means within scale/2 and labels exactly, in 16 + 5 bytes a 2-D point', () => {
    const bytes = encodeLatents({ count, dims: 2, mu, labels });
    assert.equal(bytes.length, 16 + count * 5);
    const back = decodeLatents(bytes);
    assert.equal(back.count, count);
    assert.equal(back.dims, 2);
    assert.deepEqual(back.labels, labels);
    const scale = Math.max(...Array.from(mu, Math.abs)) / 32767;
    assert.ok(maxAbsDiff(back.mu, mu) <= scale * 0.5 + 1e-7, `error ${maxAbsDiff(back.mu, mu)} > ${scale / 2}`);
  });

  test('rejects a file of another kind and a truncated one, in words', () => {
    const bytes = encodeLatents({ count, dims: 2, mu, labels });
    assert.throws(() => decodeLatents(new TextEncoder().encode('{"not": "latents"}')), (e: Error) => e instanceof LatentsFileError && /not a latent-points file/.test(e.message));
    assert.throws(() => decodeLatents(bytes.subarray(0, bytes.length - 1)), /truncated or corrupt/);
  });

  test('refuses non-finite means rather than storing garbage', () => {
    assert.throws(() => encodeLatents({ count: 1, dims: 2, mu: Float32Array.of(0, NaN), labels: Uint8Array.of(1) }), /not a finite number/);
  });
});
