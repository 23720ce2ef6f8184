/**
 * The models as two Layers models each, built from a spec (src/vae/spec.ts).
 *
 * conv (the seed notebook's architecture), for images of H × W × C (28 × 28 × 1 unless the spec
 * gives another `image` shape):
 *   encoder  x (H×W×C) → conv 32 → conv 64 (3×3, stride 2, ReLU) → dense `hidden` (ReLU) → μ, log σ²
 *   decoder  z → dense (H/4)·(W/4)·64 (ReLU) → conv-transpose 64 → 32 (3×3, stride 2, ReLU) → conv-transpose C → logits
 * mlp:
 *   encoder  x → dense `hidden` → dense `hidden` (ReLU) → μ, log σ²
 *   decoder  z → dense `hidden` → dense `hidden` (ReLU) → dense H·W·C → logits
 *
 * A conditional model (kind cvae) takes the one-hot label y as a second input of both networks:
 * the encoder joins it to the image's features before its last hidden layer, the decoder to z.
 * A plain autoencoder (kind ae) has an encoder with one output, the code z, and no log σ².
 * The decoder ends in logits, not a sigmoid: the loss works on logits for numerical stability.
 */
import { tf } from './backend.ts';
import { CLASSES, imageShape, imageShapeProblem, imageValues, type ModelSpec } from './spec.ts';

export interface Vae {
  spec: ModelSpec;
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

type Sym = tf.SymbolicTensor;

function initializer(spec: ModelSpec, offset: number) {
  return (k: number) => tf.initializers.glorotUniform({ seed: spec.seed * 101 + offset + k });
}

function labelInput(spec: ModelSpec): Sym | undefined {
  return spec.kind === 'cvae' ? tf.input({ shape: [CLASSES], name: 'label' }) : undefined;
}

function join(h: Sym, label: Sym | undefined, name: string): Sym {
  return label ? (tf.layers.concatenate({ name }).apply([h, label]) as Sym) : h;
}

function dense(units: number, name: string, init: ReturnType<typeof tf.initializers.glorotUniform>, activation?: 'relu') {
  return tf.layers.dense({ units, name, kernelInitializer: init, ...(activation ? { activation } : {}) });
}

function buildEncoder(spec: ModelSpec): tf.LayersModel {
  const init = initializer(spec, 0);
  const { height, width, channels } = imageShape(spec);
  const x = tf.input({ shape: [height, width, channels], name: 'image' });
  const label = labelInput(spec);
  let h: Sym;
  if (spec.arch === 'conv') {
    h = tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(1), name: 'conv1' }).apply(x) as Sym;
    h = tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: 'conv2' }).apply(h) as Sym;
    h = tf.layers.flatten({ name: 'flatten' }).apply(h) as Sym;
  } else {
    h = tf.layers.flatten({ name: 'flatten' }).apply(x) as Sym;
    h = dense(spec.hidden, 'dense1', init(1), 'relu').apply(join(h, label, 'with_label1')) as Sym;
  }
  h = dense(spec.hidden, 'hidden', init(3), 'relu').apply(join(h, label, 'with_label')) as Sym;
  const mu = dense(spec.latentDim, 'z_mean', init(4)).apply(h) as Sym;
  const inputs = label ? [x, label] : x;
  if (spec.kind === 'ae') return tf.model({ inputs, outputs: mu, name: 'encoder' });
  const logVar = dense(spec.latentDim, 'z_log_var', init(5)).apply(h) as Sym;
  return tf.model({ inputs, outputs: [mu, logVar], name: 'encoder' });
}

function buildDecoder(spec: ModelSpec): tf.LayersModel {
  const init = initializer(spec, 50);
  const shape = imageShape(spec);
  const [rows, columns] = [shape.height / 4, shape.width / 4];
  const z = tf.input({ shape: [spec.latentDim], name: 'z' });
  const label = labelInput(spec);
  const zy = join(z, label, 'with_label');
  let logits: Sym;
  if (spec.arch === 'conv') {
    let h = dense(rows * columns * 64, 'project', init(1), 'relu').apply(zy) as Sym;
    h = tf.layers.reshape({ targetShape: [rows, columns, 64], name: 'unflatten' }).apply(h) as Sym;
    h = tf.layers.conv2dTranspose({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: 'deconv1' }).apply(h) as Sym;
    h = tf.layers.conv2dTranspose({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(3), name: 'deconv2' }).apply(h) as Sym;
    logits = tf.layers.conv2dTranspose({ filters: shape.channels, kernelSize: 3, padding: 'same', kernelInitializer: init(4), name: 'logits' }).apply(h) as Sym;
  } else {
    let h = dense(spec.hidden, 'dense1', init(1), 'relu').apply(zy) as Sym;
    h = dense(spec.hidden, 'dense2', init(2), 'relu').apply(h) as Sym;
    h = dense(imageValues(shape), 'pixels', init(4)).apply(h) as Sym;
    logits = tf.layers.reshape({ targetShape: [shape.height, shape.width, shape.channels], name: 'logits' }).apply(h) as Sym;
  }
  return tf.model({ inputs: label ? [z, label] : z, outputs: logits, name: 'decoder' });
}

export function buildVae(spec: ModelSpec): Vae {
  const problem = imageShapeProblem(imageShape(spec));
  if (problem) throw new Error(`${spec.id}: its image shape will not do: ${problem}`);
  return { spec, encoder: buildEncoder(spec), decoder: buildDecoder(spec) };
}

export function countParams(vae: Vae): number {
  return vae.encoder.countParams() + vae.decoder.countParams();
}

export function disposeVae(vae: Vae): void {
  vae.encoder.dispose();
  vae.decoder.dispose();
}
