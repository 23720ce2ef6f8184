/**
 * The test images' posterior means with their labels, in a compact binary file, so a scatter of
 * the latent space draws before TF.js has loaded. Layout (little-endian):
 *   "LLZ1" · uint32 count · uint32 dims · float32 scale · int16 μ[count·dims] · uint8 label[count]
 * Each μ is stored as round(μ / scale) with scale = max |μ| / 32767, so it comes back within
 * scale / 2 (about 10⁻⁴ for codes within ±6). 10,000 2-D points take 50 kB, 16-D ones 330 kB.
 */
export interface LatentPoints {
  count: number;
  dims: number;
  /** Row-major [count, dims]. */
  mu: Float32Array;
  labels: Uint8Array;
}

/** Its name next to a model's weights. */
export const LATENTS_FILE = 'test-latents.bin';
const MAGIC = 'LLZ1';
const HEADER = 16;

export class LatentsFileError extends Error {
  override name = 'LatentsFileError';
}

export function encodeLatents(points: LatentPoints): Uint8Array {
  const { count, dims, mu, labels } = points;
  if (mu.length !== count * dims || labels.length !== count) throw new Error(`Expected ${count * dims} values and ${count} labels`);
  let max = 0;
  for (const v of mu) {
    if (!Number.isFinite(v)) throw new Error('A latent mean is not a finite number');
    max = Math.max(max, Math.abs(v));
  }
  const scale = max > 0 ? max / 32767 : 1;
  const bytes = new Uint8Array(HEADER + count * dims * 2 + count);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, count, true);
  view.setUint32(8, dims, true);
  view.setFloat32(12, scale, true);
  for (let i = 0; i < mu.length; i++) view.setInt16(HEADER + 2 * i, Math.round(mu[i]! / Math.fround(scale)), true);
  bytes.set(labels, HEADER + count * dims * 2);
  return bytes;
}

export function decodeLatents(bytes: Uint8Array): LatentPoints {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < HEADER || magic !== MAGIC) throw new LatentsFileError('This is not a latent-points file (its header is not LLZ1).');
  const count = view.getUint32(4, true);
  const dims = view.getUint32(8, true);
  const scale = view.getFloat32(12, true);
  const expected = HEADER + count * dims * 2 + count;
  if (bytes.length !== expected) throw new LatentsFileError(`The latent-points file has ${bytes.length} bytes; its header promises ${expected}. It is truncated or corrupt.`);
  const mu = new Float32Array(count * dims);
  for (let i = 0; i < mu.length; i++) mu[i] = view.getInt16(HEADER + 2 * i, true) * scale;
  const labels = bytes.slice(HEADER + count * dims * 2);
  return { count, dims, mu, labels };
}
