/**
 * The seed notebook's convolutional VAE as two Layers models:
 *   encoder  x (28×28×1) → conv 32 → conv 64 (3×3, stride 2, ReLU) → dense `hidden` (ReLU) → μ, log σ²
 *   decoder  z → dense 7·7·64 (ReLU) → conv-transpose 64 → 32 (3×3, stride 2, ReLU) → conv-transpose 1 → logits
 * The decoder ends in logits, not a sigmoid: the loss works on logits for numerical stability.
 */
import { tf } from './backend.ts';
import { IMAGE_SIZE, type ModelSpec } from './spec.ts';

export interface Vae {
  spec: ModelSpec;
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

export function buildEncoder(spec: ModelSpec): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: spec.seed * 101 + k });
  const x = tf.input({ shape: [IMAGE_SIZE, IMAGE_SIZE, 1], name: 'image' });
  let h = tf.layers
    .conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(1), name: 'conv1' })
    .apply(x) as tf.SymbolicTensor;
  h = tf.layers
    .conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: 'conv2' })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: spec.hidden, activation: 'relu', kernelInitializer: init(3), name: 'hidden' }).apply(h) as tf.SymbolicTensor;
  const mu = tf.layers.dense({ units: spec.latentDim, kernelInitializer: init(4), name: 'z_mean' }).apply(h) as tf.SymbolicTensor;
  const logVar = tf.layers.dense({ units: spec.latentDim, kernelInitializer: init(5), name: 'z_log_var' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: [mu, logVar], name: 'encoder' });
}

export function buildDecoder(spec: ModelSpec): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: spec.seed * 101 + 50 + k });
  const z = tf.input({ shape: [spec.latentDim], name: 'z' });
  let h = tf.layers.dense({ units: 7 * 7 * 64, activation: 'relu', kernelInitializer: init(1), name: 'project' }).apply(z) as tf.SymbolicTensor;
  h = tf.layers.reshape({ targetShape: [7, 7, 64], name: 'unflatten' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .conv2dTranspose({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: 'deconv1' })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .conv2dTranspose({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(3), name: 'deconv2' })
    .apply(h) as tf.SymbolicTensor;
  const logits = tf.layers
    .conv2dTranspose({ filters: 1, kernelSize: 3, padding: 'same', kernelInitializer: init(4), name: 'logits' })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: z, outputs: logits, name: 'decoder' });
}

export function buildVae(spec: ModelSpec): Vae {
  return { spec, encoder: buildEncoder(spec), decoder: buildDecoder(spec) };
}

export function countParams(vae: Vae): number {
  return vae.encoder.countParams() + vae.decoder.countParams();
}

export function disposeVae(vae: Vae): void {
  vae.encoder.dispose();
  vae.decoder.dispose();
}
