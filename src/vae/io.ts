/**
 * Saving and loading in TF.js's Layers format: public/weights/<id>/encoder/model.json and
 * public/weights/<id>/decoder/model.json, each with one weights.bin, so `tf.loadLayersModel`
 * opens them as they are. Reading goes through a `ReadBytes`, as for the datasets.
 */
import { tf } from './backend.ts';
import type { ReadBytes } from './data.ts';
import { buildVae, disposeVae, type Vae } from './model.ts';
import { toFloat16 } from './float16.ts';
import { imageShape, shapeText, type ModelSpec } from './spec.ts';
import type { ModelBundle } from './bundle.ts';

export class WeightsError extends Error {
  override name = 'WeightsError';
}

/** The files of one Layers model: path relative to the model folder → contents. */
export type ModelFiles = Record<string, Uint8Array>;

interface ModelJson {
  format?: string;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export interface SaveOptions {
  /** Store weights as float16: half the bytes, about three significant digits. */
  float16?: boolean;
}

/** One Layers model's files: model.json and weights.bin, its weights float16 if asked. */
export async function layersModelToFiles(model: tf.LayersModel, options: SaveOptions = {}): Promise<ModelFiles> {
  let files: ModelFiles = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData;
      if (!weightData || Array.isArray(weightData)) throw new Error('Expected one weight buffer');
      let bytes: Uint8Array = new Uint8Array(weightData);
      let specs = artifacts.weightSpecs ?? [];
      if (options.float16) {
        if (specs.some((w) => w.dtype !== 'float32')) throw new Error('float16 storage needs float32 weights');
        const halves = toFloat16(new Float32Array(weightData));
        bytes = new Uint8Array(halves.buffer);
        specs = specs.map((w) => ({ ...w, quantization: { dtype: 'float16' as const } }));
      }
      const json: ModelJson & Record<string, unknown> = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'latent-lab',
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
      };
      files = {
        'model.json': new TextEncoder().encode(JSON.stringify(json)),
        'weights.bin': bytes,
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return files;
}

/** All files of a VAE, keyed by path relative to public/weights/<id>/. */
export async function vaeToFiles(vae: Vae, options: SaveOptions = {}): Promise<ModelFiles> {
  const out: ModelFiles = {};
  for (const [part, model] of [['encoder', vae.encoder], ['decoder', vae.decoder]] as const) {
    for (const [name, bytes] of Object.entries(await layersModelToFiles(model, options))) out[`${part}/${name}`] = bytes;
  }
  return out;
}

/**
 * Loads the Layers model at `folder` (its model.json and the weights it names), checking that
 * the weights are as long as the manifest says; every failure is a WeightsError that names the file.
 */
export async function loadLayersModel(read: ReadBytes, folder: string): Promise<tf.LayersModel> {
  const where = `${folder}/model.json`;
  let json: ModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(await read(where))) as ModelJson;
  } catch (err) {
    const reason = err instanceof SyntaxError ? 'it is not valid JSON' : err instanceof Error ? err.message : String(err);
    throw new WeightsError(`Could not read ${where}: ${reason}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new WeightsError(`${where} is not a TF.js Layers model (no modelTopology or weightsManifest)`);
  }
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(
    json.weightsManifest.flatMap((g) => g.paths).map(async (p) => {
      try {
        return await read(`${folder}/${p}`);
      } catch (err) {
        throw new WeightsError(`Could not read the weights ${folder}/${p}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  );
  const total = buffers.reduce((n, b) => n + b.length, 0);
  // Bytes per value: 4 for float32/int32, or the stored (quantized) type's size.
  const width = (w: tf.io.WeightsManifestEntry) => (w.quantization ? { float16: 2, uint16: 2, uint8: 1 }[w.quantization.dtype] : 4);
  const expected = weightSpecs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * width(w), 0);
  if (total !== expected) {
    throw new WeightsError(`The weights of ${where} are ${total} bytes; the manifest describes ${expected}. The file is truncated or corrupt.`);
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.length;
  }
  // Built and filled in two steps (what tf.loadLayersModel does), so that a failure
  // can dispose the half-built model instead of leaking its variables.
  let model: tf.LayersModel | undefined;
  let named: tf.NamedTensorMap = {};
  try {
    model = await tf.models.modelFromJSON({ modelTopology: json.modelTopology } as never);
    named = tf.io.decodeWeights(weightData.buffer, weightSpecs);
    model.loadWeights(named);
    return model;
  } catch (err) {
    model?.dispose();
    throw new WeightsError(`${where} could not be built: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    tf.dispose(Object.values(named));
  }
}

function shapeOf(t: tf.SymbolicTensor | tf.SymbolicTensor[]): number[][] {
  return (Array.isArray(t) ? t : [t]).map((s) => s.shape.map((d) => d ?? -1));
}

/** A network's input and output shapes, for comparison. */
function signature(model: tf.LayersModel) {
  return {
    inputs: JSON.stringify(shapeOf(model.inputs)),
    outputs: JSON.stringify(shapeOf(model.outputs)),
  };
}

/**
 * How loaded networks differ from those the spec builds (inputs, outputs, then each weight's
 * shape), in words; undefined when they match.
 */
function shapeProblem(spec: ModelSpec, encoder: tf.LayersModel, decoder: tf.LayersModel): string | undefined {
  const expected = buildVae(spec);
  try {
    for (const [part, got, want] of [
      ['encoder', encoder, expected.encoder],
      ['decoder', decoder, expected.decoder],
    ] as const) {
      const g = signature(got);
      const w = signature(want);
      if (g.inputs !== w.inputs) return `its ${part} takes ${g.inputs}, expected ${w.inputs}`;
      if (g.outputs !== w.outputs) return `its ${part} gives ${g.outputs}, expected ${w.outputs} (a ${spec.latentDim}-D latent for ${shapeText(imageShape(spec))} images)`;
      const gw = got.weights.map((x) => JSON.stringify(x.shape));
      const ww = want.weights.map((x) => JSON.stringify(x.shape));
      if (gw.join() !== ww.join()) return `its ${part}'s weights have shapes ${gw.join(', ')}; expected ${ww.join(', ')}`;
    }
    return undefined;
  } finally {
    disposeVae(expected);
  }
}

/**
 * Loads a VAE saved by `vaeToFiles` and checks it has the shape its spec promises. A mismatch
 * is a WeightsError that begins with `mismatch` and says what differs.
 */
export async function loadVae(spec: ModelSpec, read: ReadBytes, base: string, mismatch = `The model at ${base} does not fit ${spec.id}`): Promise<Vae> {
  const encoder = await loadLayersModel(read, `${base}/encoder`);
  let decoder: tf.LayersModel;
  try {
    decoder = await loadLayersModel(read, `${base}/decoder`);
  } catch (err) {
    encoder.dispose();
    throw err;
  }
  const problem = shapeProblem(spec, encoder, decoder);
  if (problem) {
    encoder.dispose();
    decoder.dispose();
    throw new WeightsError(`${mismatch}: ${problem}.`);
  }
  return { spec, encoder, decoder };
}

/** What a training run reached, saved next to the weights as metrics.json. */
export interface ModelMetrics {
  model: string;
  spec: ModelSpec;
  params: number;
  recipe: {
    seed: number;
    epochs: number;
    steps: number;
    batchSize: number;
    learningRate: number;
    trainImages: number;
    /** Training started from this model's weights instead of a fresh initialisation. */
    initialisedFrom?: { model: string; epochs: number; path: string };
    backend: string;
    wallSeconds: number;
    imagesPerSecond: number;
  };
  /** The loss of the shipped weights on the test set. */
  test: { images: number; loss: number; reconstruction: number; kl: number; samplesPerImage: 1; seed: number };
  /** How the weights are stored; float16 when that moved the test loss by less than 0.5. */
  weights?: { dtype: 'float32' | 'float16'; bytes: number; float32Bytes?: number; float16Bytes?: number; testLossFloat32?: number; testLossFloat16?: number };
  /** Loss of the last training steps, averaged, for comparison with the test loss. */
  trainLossLastEpoch: number;
  createdAt: string;
  /** Written by `npm run evaluate`: bounds on −log p(x), active units and the entropy floor. */
  evaluation?: import('./evaluate.ts').ModelEvaluation & { checkSubset?: import('./evaluate.ts').EvalResult & { seed: number }; backend: string; wallSeconds: number; createdAt: string };
}

/**
 * Builds a bundle's model (see bundle.ts) and checks that its weights have the shapes its spec
 * promises: a WeightsError says what differs. Nothing is left allocated when it fails.
 */
export function loadBundle(bundle: Pick<ModelBundle, 'spec' | 'files'>): Promise<Vae> {
  return loadVae(
    bundle.spec,
    async (path) => {
      const bytes = bundle.files[path.replace(/^file\//, '')];
      if (!bytes) throw new Error(`the file has no ${path}`);
      return bytes;
    },
    'file',
    `The weights in this file do not fit the model it describes (${bundle.spec.title})`,
  );
}
