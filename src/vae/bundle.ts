/**
 * One file that holds a whole model, for a reader to download and open again: its spec, a
 * short record of its training, and the encoder's and decoder's TF.js files (io.ts).
 *
 * Layout: the 16 bytes of MAGIC, a little-endian uint32 n, n bytes of UTF-8 JSON (the header),
 * then the files' bytes one after another, in the header's order and with its lengths.
 * Reading checks everything it can before any weights are built; io.ts's loadBundle then
 * checks the weights' shapes against the spec, as for any model (loadVae). This file imports
 * no TF.js, so a page can read and write bundles before the engine loads.
 */
import type { ModelFiles } from './io.ts';
import { isDatasetId, type ArchId, type KindId, type ModelSpec } from './spec.ts';

export const MAGIC = 'LatentLab model\n';
const BUNDLE_FORMAT = 'latent-lab-model';
const BUNDLE_VERSION = 1;
/** A header is a few kilobytes; anything far larger is not one. */
const MAX_HEADER_BYTES = 4 << 20;
const REQUIRED_FILES = ['encoder/model.json', 'encoder/weights.bin', 'decoder/model.json', 'decoder/weights.bin'];

/** The loss terms of a run at some of its steps, oldest first (all arrays of one length). */
export interface LossHistory {
  step: number[];
  reconstruction: number[];
  kl: number[];
}

/** What a bundle says about the run that made its weights. */
export interface BundleMeta {
  /** Training steps the weights have had. */
  steps: number;
  /** When the file was written, ISO 8601. */
  savedAt: string;
  batchSize?: number;
  learningRate?: number;
  trainImages?: number;
  /** Loss on the panel's fixed test subset at the last measurement. */
  testLoss?: number;
  history?: LossHistory;
}

export interface ModelBundle {
  spec: ModelSpec;
  meta: BundleMeta;
  files: ModelFiles;
}

/** A file that is not a model bundle, or one that is damaged; the message says which and why. */
export class BundleError extends Error {
  override name = 'BundleError';
}

interface Header {
  format: string;
  version: number;
  spec: ModelSpec;
  meta: BundleMeta;
  files: { path: string; bytes: number }[];
}

export function encodeBundle(bundle: ModelBundle): Uint8Array {
  const paths = Object.keys(bundle.files).sort();
  const header: Header = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    spec: bundle.spec,
    meta: bundle.meta,
    files: paths.map((path) => ({ path, bytes: bundle.files[path]!.length })),
  };
  const magic = new TextEncoder().encode(MAGIC);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const total = magic.length + 4 + json.length + header.files.reduce((n, f) => n + f.bytes, 0);
  const out = new Uint8Array(total);
  out.set(magic, 0);
  new DataView(out.buffer).setUint32(magic.length, json.length, true);
  let offset = magic.length + 4;
  out.set(json, offset);
  offset += json.length;
  for (const path of paths) {
    out.set(bundle.files[path]!, offset);
    offset += bundle.files[path]!.length;
  }
  return out;
}

const ARCHS: ArchId[] = ['conv', 'mlp'];
const KINDS: KindId[] = ['vae', 'cvae', 'ae'];

const isWhole = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** The header's spec, checked field by field: the weights are only built from a spec that makes sense. */
function checkSpec(value: unknown): ModelSpec {
  const s = (value ?? {}) as Record<string, unknown>;
  const bad = (field: string, want: string) => new BundleError(`The file's model description is damaged: its ${field} is ${JSON.stringify(s[field])}, expected ${want}.`);
  if (typeof s['id'] !== 'string') throw bad('id', 'a name');
  if (typeof s['title'] !== 'string') throw bad('title', 'a title');
  // Any prepared dataset, the two that ship or a fork's own: its id is only checked to be a safe name.
  if (!isDatasetId(s['dataset'])) throw bad('dataset', 'a dataset name of lower-case letters, digits and hyphens');
  if (!ARCHS.includes(s['arch'] as ArchId)) throw bad('arch', ARCHS.join(' or '));
  if (!KINDS.includes(s['kind'] as KindId)) throw bad('kind', KINDS.join(', '));
  if (!isWhole(s['latentDim'], 1, 256)) throw bad('latentDim', 'a whole number from 1 to 256');
  if (!(typeof s['beta'] === 'number' && Number.isFinite(s['beta']) && s['beta'] >= 0)) throw bad('beta', 'a number ≥ 0');
  if (!isWhole(s['hidden'], 1, 4096)) throw bad('hidden', 'a whole number from 1 to 4096');
  if (!isWhole(s['seed'], 0, 2 ** 31)) throw bad('seed', 'a whole number');
  return s as unknown as ModelSpec;
}

function checkMeta(value: unknown): BundleMeta {
  const m = (value ?? {}) as Record<string, unknown>;
  if (!isWhole(m['steps'], 0, Number.MAX_SAFE_INTEGER)) throw new BundleError(`The file's training record is damaged: its step count is ${JSON.stringify(m['steps'])}.`);
  if (typeof m['savedAt'] !== 'string' || Number.isNaN(Date.parse(m['savedAt']))) throw new BundleError('The file\'s training record is damaged: it has no valid date.');
  const h = m['history'] as LossHistory | undefined;
  if (h !== undefined) {
    const ok = [h.step, h.reconstruction, h.kl].every((a) => Array.isArray(a) && a.length === h.step.length && a.every((v) => typeof v === 'number'));
    if (!ok) throw new BundleError('The file\'s training record is damaged: its loss history is not three lists of numbers of one length.');
  }
  return m as unknown as BundleMeta;
}

/** Reads a bundle's header and files, checking its format, spec and sizes; weights are not built yet. */
export function decodeBundle(bytes: Uint8Array): ModelBundle {
  const magic = new TextEncoder().encode(MAGIC);
  const notOurs = 'This is not a Latent Lab model file';
  if (bytes.length < magic.length + 4 || magic.some((b, i) => bytes[i] !== b)) {
    const looksJson = bytes[0] === 0x7b; // "{"
    throw new BundleError(`${notOurs}${looksJson ? ' (it is JSON, perhaps a single model.json; export from the panel gives one file with everything)' : ''}: it does not begin the way a model saved by the training panel does.`);
  }
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(magic.length, true);
  const start = magic.length + 4;
  if (headerBytes > MAX_HEADER_BYTES || start + headerBytes > bytes.length) {
    throw new BundleError(`The model file is cut short: its header should be ${headerBytes} bytes, but the file has ${bytes.length - start} after the signature.`);
  }
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, start + headerBytes))) as Header;
  } catch {
    throw new BundleError('The model file is damaged: its header is not valid JSON.');
  }
  if (header?.format !== BUNDLE_FORMAT) throw new BundleError(`${notOurs}: its header names the format ${JSON.stringify(header?.format)}.`);
  if (header.version !== BUNDLE_VERSION) {
    throw new BundleError(`This model file has format version ${JSON.stringify(header.version)}; this page reads version ${BUNDLE_VERSION}. It was made by ${Number(header.version) > BUNDLE_VERSION ? 'a newer' : 'another'} version of the site.`);
  }
  const spec = checkSpec(header.spec);
  const meta = checkMeta(header.meta);
  if (!Array.isArray(header.files) || !header.files.every((f) => typeof f?.path === 'string' && isWhole(f.bytes, 0, bytes.length))) {
    throw new BundleError('The model file is damaged: its list of contents is not readable.');
  }
  const missing = REQUIRED_FILES.filter((p) => !header.files.some((f) => f.path === p));
  if (missing.length > 0) throw new BundleError(`The model file is incomplete: it has no ${missing.join(', ')}.`);
  const payload = bytes.length - start - headerBytes;
  const listed = header.files.reduce((n, f) => n + f.bytes, 0);
  if (listed !== payload) {
    throw new BundleError(`The model file is ${listed > payload ? 'cut short' : 'damaged'}: its contents should be ${listed} bytes after the header, but there are ${payload}.`);
  }
  const files: ModelFiles = {};
  let offset = start + headerBytes;
  for (const f of header.files) {
    files[f.path] = bytes.slice(offset, offset + f.bytes);
    offset += f.bytes;
  }
  return { spec, meta, files };
}


/** A file name that says what the model is, e.g. latent-lab-mnist-mlp-z2-1200-steps.vae. */
export function bundleFileName(bundle: Pick<ModelBundle, 'spec' | 'meta'>): string {
  const { spec, meta } = bundle;
  const beta = spec.beta === 1 ? '' : `-beta${spec.beta}`;
  return `latent-lab-${spec.dataset}-${spec.arch}-z${spec.latentDim}${beta}-${meta.steps}-steps.vae`;
}

/** FNV-1a over the weight files, in hex: the same weights give the same value. */
export function weightsChecksum(files: ModelFiles): string {
  let h = 0x811c9dc5;
  for (const path of ['encoder/weights.bin', 'decoder/weights.bin']) {
    const bytes = files[path] ?? new Uint8Array();
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
