/**
 * The ReLU gradient on wasm in one pass. TF.js computes ∂L/∂x = ∂L/∂y · step(x) as two
 * kernels over the whole activation (Step, then Multiply), each a full read and write of it;
 * on wasm this gradient runs helpers.wat's reluGrad, one loop with the same result (NaN where x
 * is NaN, and where ∂L/∂y is not finite). Other backends, and wasm without the helpers, keep
 * TF.js's formula. Registering a gradient replaces TF.js's for every backend, hence the test.
 */
import {
  backend as activeBackend, cast, engine, getBackend, mul, registerGradient, registerKernel, step, util,
  type KernelConfig, type NamedTensorMap, type Tensor, type TensorInfo,
} from '@tensorflow/tfjs';
import { wasmHelpers } from './wasm-helpers.ts';
import { heapOffset, type WasmBackend } from './wasm-compose.ts';

const RELU_GRAD = 'LatentLabReluGrad';

const reluGradConfig: KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const wasm = backend as unknown as WasmBackend;
    const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
    const out = wasm.makeOutput(x.shape, 'float32');
    wasmHelpers(backend)!.reluGrad(heapOffset(wasm, dy), heapOffset(wasm, x), heapOffset(wasm, out), util.sizeFromShape(x.shape));
    return out;
  },
};

export function registerReluGradient(): void {
  registerKernel(reluGradConfig);
  registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as Tensor[];
      const onWasm = getBackend() === 'wasm' && x!.dtype === 'float32' && wasmHelpers(activeBackend()) !== undefined;
      return {
        x: () => (onWasm ? (engine().runKernel(RELU_GRAD, { dy, x } as unknown as NamedTensorMap) as Tensor) : mul(dy as Tensor, cast(step(x!), 'float32'))),
      };
    },
  });
}
