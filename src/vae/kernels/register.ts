/**
 * Registers the wasm kernels the engine needs for training: the missing filter gradient and a
 * faster transposed convolution (the stock one stays as its fallback). Idempotent.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelFunc } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2dTransposeConfig } from './conv2d-transpose.ts';

let registered = false;

export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  if (!getKernel('Conv2DBackpropFilter', 'wasm')) registerKernel(conv2dBackpropFilterConfig);
  const stock = getKernel('Conv2DBackpropInput', 'wasm');
  if (stock) {
    const fallback = stock.kernelFunc as KernelFunc;
    const setup = stock.setupFunc;
    unregisterKernel('Conv2DBackpropInput', 'wasm');
    registerKernel({ ...conv2dTransposeConfig(fallback), ...(setup ? { setupFunc: setup } : {}) });
  }
}
