/**
 * The test images' posteriors q(z|x) = N(μ, diag σ²) with their labels, in a compact binary
 * file, so a scatter of the latent space draws before TF.js has loaded. Layout (little-endian):
 *   "LLZ1" · uint32 count · uint32 dims · float32 scale · int16 μ[count·dims] · uint8 label[count]
 *   "LLZ2" · the same · float32 scale′ · int16 log σ²[count·dims]
 * Each μ is stored as round(μ / scale) with scale = max |μ| / 32767, so it comes back within
 * scale / 2 (about 10⁻⁴ for codes within ±6); log σ² likewise with its own scale (within about
 * 2·10⁻⁴ for log-variances within ±12, so σ within 0.01 % of itself). LLZ1, means only, is still
 * read. 10,000 2-D posteriors take 90 kB, 16-D ones 650 kB.
 */
export interface LatentPoints {
  count: number;
  dims: number;
  /** Row-major [count, dims]. */
  mu: Float32Array;
  labels: Uint8Array;
  /** Row-major [count, dims] log σ²; absent in a means-only (LLZ1) file. */
  logVar?: Float32Array;
}

/** Its name next to a model's weights. */
export const LATENTS_FILE = 'test-latents.bin';
const MAGIC = 'LLZ1';
const MAGIC_WITH_VARIANCES = 'LLZ2';
const HEADER = 16;

export class LatentsFileError extends Error {
  override name = 'LatentsFileError';
}

/** The scale that stores `values` as int16: max |v| / 32767 (1 for all zeros). */
function int16Scale(values: Float32Array, what: string): number {
  let max = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`A latent ${what} is not a finite number`);
    max = Math.max(max, Math.abs(v));
  }
  return max > 0 ? max / 32767 : 1;
}

export function encodeLatents(points: LatentPoints): Uint8Array {
  const { count, dims, mu, labels, logVar } = points;
  if (mu.length !== count * dims || labels.length !== count) throw new Error(`Expected ${count * dims} values and ${count} labels`);
  if (logVar && logVar.length !== count * dims) throw new Error(`Expected ${count * dims} log-variances, got ${logVar.length}`);
  const scale = int16Scale(mu, 'mean');
  const varScale = logVar ? int16Scale(logVar, 'log-variance') : 0;
  const body = HEADER + count * dims * 2 + count;
  const bytes = new Uint8Array(body + (logVar ? 4 + count * dims * 2 : 0));
  const view = new DataView(bytes.buffer);
  const magic = logVar ? MAGIC_WITH_VARIANCES : MAGIC;
  for (let i = 0; i < 4; i++) bytes[i] = magic.charCodeAt(i);
  view.setUint32(4, count, true);
  view.setUint32(8, dims, true);
  view.setFloat32(12, scale, true);
  for (let i = 0; i < mu.length; i++) view.setInt16(HEADER + 2 * i, Math.round(mu[i]! / Math.fround(scale)), true);
  bytes.set(labels, HEADER + count * dims * 2);
  if (logVar) {
    view.setFloat32(body, varScale, true);
    for (let i = 0; i < logVar.length; i++) view.setInt16(body + 4 + 2 * i, Math.round(logVar[i]! / Math.fround(varScale)), true);
  }
  return bytes;
}

export function decodeLatents(bytes: Uint8Array): LatentPoints {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < HEADER || (magic !== MAGIC && magic !== MAGIC_WITH_VARIANCES)) throw new LatentsFileError('This is not a latent-points file (its header is not LLZ1 or LLZ2).');
  const withVariances = magic === MAGIC_WITH_VARIANCES;
  const count = view.getUint32(4, true);
  const dims = view.getUint32(8, true);
  const scale = view.getFloat32(12, true);
  const body = HEADER + count * dims * 2 + count;
  const expected = body + (withVariances ? 4 + count * dims * 2 : 0);
  if (bytes.length !== expected) throw new LatentsFileError(`The latent-points file has ${bytes.length} bytes; its header promises ${expected}. It is truncated or corrupt.`);
  const mu = new Float32Array(count * dims);
  for (let i = 0; i < mu.length; i++) mu[i] = view.getInt16(HEADER + 2 * i, true) * scale;
  const labels = bytes.slice(HEADER + count * dims * 2, body);
  if (!withVariances) return { count, dims, mu, labels };
  const varScale = view.getFloat32(body, true);
  const logVar = new Float32Array(count * dims);
  for (let i = 0; i < logVar.length; i++) logVar[i] = view.getInt16(body + 4 + 2 * i, true) * varScale;
  return { count, dims, mu, labels, logVar };
}
