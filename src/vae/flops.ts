/**
 * Floating-point work of a model, counted from its layers' shapes: 2 FLOPs per multiply-add
 * of convolutions, transposed convolutions and dense layers (activations and biases ignored).
 */
import type { tf } from './backend.ts';

function product(shape: (number | null)[]): number {
  return shape.reduce<number>((a, b) => a * (b ?? 1), 1);
}

/** FLOPs of one weighted layer's forward pass for one example; 0 for a layer without a product. */
export function layerFlops(layer: tf.layers.Layer): number {
  const kind = layer.getClassName();
  const outShape = layer.outputShape as (number | null)[];
  if (kind === 'Dense') {
    const kernel = layer.getWeights()[0]!.shape;
    return 2 * kernel[0]! * kernel[1]!;
  }
  if (kind === 'Conv2D') {
    // Each output value is a dot product over kh·kw·Cin inputs.
    const [kh, kw, cin] = layer.getWeights()[0]!.shape as [number, number, number, number];
    return 2 * product(outShape.slice(1)) * kh * kw * cin;
  }
  if (kind === 'Conv2DTranspose') {
    // Each input value is scattered through kh·kw·Cout weights.
    const [kh, kw, cout] = layer.getWeights()[0]!.shape as [number, number, number, number];
    const inShape = layer.inputSpec?.[0]?.shape ?? (layer.input as tf.SymbolicTensor).shape;
    return 2 * product(inShape.slice(1)) * kh * kw * cout;
  }
  return 0;
}

/** FLOPs of one forward pass for one example. */
export function forwardFlops(model: tf.LayersModel): number {
  return model.layers.reduce((sum, layer) => sum + layerFlops(layer), 0);
}

/**
 * FLOPs of one training step per example: the forward pass, plus two products of the same size
 * per layer in the backward pass (gradients for the inputs and for the weights), so about 3×.
 */
export function trainFlopsPerExample(models: tf.LayersModel[]): number {
  return 3 * models.reduce((sum, m) => sum + forwardFlops(m), 0);
}
