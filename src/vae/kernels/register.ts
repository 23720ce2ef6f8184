/**
 * Registers the wasm kernels the engine needs for training: the missing filter gradient, and
 * faster versions of the transposed convolution, of products with a transposed matrix and of
 * the bias gradients' sums, copy-free Identity and Cast (each calls the stock kernel where it
 * does not apply), and a one-pass ReLU gradient. Idempotent.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { batchMatMulConfig } from './batch-matmul.ts';
import { conv2dTransposeConfig } from './conv2d-transpose.ts';
import { registerReluGradient } from './relu-grad.ts';
import { castConfig, identityConfig } from './share.ts';
import { sumConfig } from './sum.ts';

let registered = false;

export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  if (!getKernel('Conv2DBackpropFilter', 'wasm')) registerKernel(conv2dBackpropFilterConfig);
  wrapStock('Conv2DBackpropInput', conv2dTransposeConfig);
  wrapStock('BatchMatMul', batchMatMulConfig);
  wrapStock('Sum', sumConfig);
  wrapStock('Identity', identityConfig);
  wrapStock('Cast', castConfig);
  registerReluGradient();
}

/** Replaces a stock wasm kernel by ours, which calls the stock one where it does not apply. */
function wrapStock(name: string, config: (stock: KernelFunc) => KernelConfig): void {
  const stock = getKernel(name, 'wasm');
  if (!stock) return;
  const setup = stock.setupFunc;
  unregisterKernel(name, 'wasm');
  registerKernel({ ...config(stock.kernelFunc as KernelFunc), ...(setup ? { setupFunc: setup } : {}) });
}
