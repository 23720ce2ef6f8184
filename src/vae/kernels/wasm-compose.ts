/** Helpers for kernels composed from the wasm backend's own kernels and its heap. */
import { getKernel, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

/** The slice of BackendWasm the composed kernels use. */
export interface WasmBackend {
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** Runs a registered wasm kernel directly; the caller disposes the result. */
export function runWasm(
  name: string,
  backend: WasmBackend,
  inputs: Record<string, TensorInfo> | TensorInfo[],
  attrs: NamedAttrMap,
): TensorInfo {
  const kernelFunc = getKernel(name, 'wasm')?.kernelFunc;
  if (!kernelFunc) throw new Error(`wasm kernel ${name} is missing`);
  return kernelFunc({ inputs: inputs as never, backend: backend as never, attrs }) as TensorInfo;
}

export function release(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Where a tensor's data starts in the backend's memory: the byte offset helpers.wat takes. */
export function heapOffset(backend: WasmBackend, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}
