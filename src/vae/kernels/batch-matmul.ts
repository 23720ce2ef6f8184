/**
 * BatchMatMul for the wasm backend with the transpose flags taken out. TF.js 4.22's wasm kernel
 * multiplies a transposed operand on a slow path (about 3× slower for the dense layers' gradients
 * xᵀ·∂y and ∂y·Wᵀ); transposing that operand first with wasm's Transpose and multiplying plainly
 * gives the same product, fast. Calls without a flag go straight to the stock kernel.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { release, runWasm, type WasmBackend } from './wasm-compose.ts';

/** The permutation that swaps the last two axes. */
function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return perm;
}

function makeBatchMatMul(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return stock(args);
    const wasm = backend as unknown as WasmBackend;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    const made: TensorInfo[] = [];
    const plain = (t: TensorInfo, flag: boolean): TensorInfo => {
      if (!flag) return t;
      const out = runWasm('Transpose', wasm, { x: t }, { perm: swapLast(t.shape.length) });
      made.push(out);
      return out;
    };
    try {
      return stock({ ...args, inputs: { a: plain(a, transposeA), b: plain(b, transposeB) }, attrs: { ...attrs, transposeA: false, transposeB: false } }) as TensorInfo;
    } finally {
      release(wasm, ...made);
    }
  };
}

export function batchMatMulConfig(stock: KernelFunc): KernelConfig {
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: makeBatchMatMul(stock) };
}
