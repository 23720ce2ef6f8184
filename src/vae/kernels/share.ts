/**
 * Identity and a Cast to the same dtype for the wasm backend, without a copy. TF.js keeps a
 * clone of every tensor a gradient needs (its tape runs Identity on each), and the ReLU gradient
 * casts a float32 step to float32; the stock wasm kernels copy the whole buffer each time, about
 * 4 % of a training step. Tensors are immutable, so the output may share the input's buffer, as
 * the cpu and webgl backends do: one more reference, freed with the last. Strings and casts to
 * another dtype go to the stock kernels.
 */
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

function share(backend: unknown, x: TensorInfo): TensorInfo {
  (backend as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function identityConfig(stock: KernelFunc): KernelConfig {
  return {
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      return x.dtype === 'string' ? stock(args) : share(args.backend, x);
    },
  };
}

export function castConfig(stock: KernelFunc): KernelConfig {
  return {
    kernelName: 'Cast',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { dtype } = args.attrs as { dtype: DataType };
      return x.dtype === dtype && dtype !== 'string' ? share(args.backend, x) : stock(args);
    },
  };
}
