/** The compact latent-points file, with and without log-variances: a round trip within half a quantisation step, and clear errors. */
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

  test('with log-variances (LLZ2): round-trips each within its own scale/2, in 16 + 9 bytes a 2-D point and 4 more', () => {
    const logVar = Float32Array.from({ length: count * 2 }, () => -6 + 2 * normal());
    const bytes = encodeLatents({ count, dims: 2, mu, labels, logVar });
    assert.equal(String.fromCharCode(...bytes.subarray(0, 4)), 'LLZ2');
    assert.equal(bytes.length, 16 + count * 9 + 4);
    const back = decodeLatents(bytes);
    assert.deepEqual(back.labels, labels);
    const scale = Math.max(...Array.from(mu, Math.abs)) / 32767;
    assert.ok(maxAbsDiff(back.mu, mu) <= scale * 0.5 + 1e-7);
    const varScale = Math.max(...Array.from(logVar, Math.abs)) / 32767;
    assert.ok(back.logVar, 'the log-variances come back');
    assert.ok(maxAbsDiff(back.logVar, logVar) <= varScale * 0.5 + 1e-6, `error ${maxAbsDiff(back.logVar, logVar)} > ${varScale / 2}`);
    // A means-only file has none.
    assert.equal(decodeLatents(encodeLatents({ count, dims: 2, mu, labels })).logVar, undefined);
  });

  test('rejects a file of another kind and a truncated one, in words', () => {
    const bytes = encodeLatents({ count, dims: 2, mu, labels });
    assert.throws(() => decodeLatents(new TextEncoder().encode('{"not": "latents"}')), (e: Error) => e instanceof LatentsFileError && /not a latent-points file/.test(e.message));
    assert.throws(() => decodeLatents(bytes.subarray(0, bytes.length - 1)), /truncated or corrupt/);
    // An LLZ2 file cut after its means, as if the log-variances were lost.
    const both = encodeLatents({ count, dims: 2, mu, labels, logVar: new Float32Array(count * 2).fill(-4) });
    assert.throws(() => decodeLatents(both.subarray(0, 16 + count * 5)), /truncated or corrupt/);
  });

  test('refuses non-finite means rather than storing garbage', () => {
    assert.throws(() => encodeLatents({ count: 1, dims: 2, mu: Float32Array.of(0, NaN), labels: Uint8Array.of(1) }), /not a finite number/);
    assert.throws(() => encodeLatents({ count: 1, dims: 2, mu: Float32Array.of(0, 1), labels: Uint8Array.of(1), logVar: Float32Array.of(0, Infinity) }), /log-variance is not a finite number/);
  });
});
