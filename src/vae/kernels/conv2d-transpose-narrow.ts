/**
 * The transposed convolution for few output channels (the decoder's logits layer: 32 → 1).
 *
 * The phase convolutions of conv2d-transpose.ts run on wasm's Conv2D, whose kernels compute
 * eight output channels at a time: for one channel, seven eighths of that work is thrown away.
 * Here one product gives each input pixel's contribution through each filter tap,
 *   P[(b, h, w), (k, l, o)] = Σ_c x[b, h, w, c] · W[k, l, o, c],
 * a matmul with only 9·O columns for a 3×3 filter, and col2im (in WebAssembly, helpers.wat)
 * adds every contribution where its tap lands,
 *   y[b, s·h − p + k, s·w − p + l, o] += P[(b, h, w), (k, l, o)].
 * That is the definition of the transposed convolution, so it holds for any padding and output size.
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { WasmHelpers } from './wasm-helpers.ts';
import { heapOffset, release, runWasm, type WasmBackend } from './wasm-compose.ts';

/** Output channels up to which this path beats the phase convolutions. */
export const NARROW_CHANNELS = 4;

export function narrowTranspose(
  wasm: WasmBackend,
  helpers: WasmHelpers,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const [FH, FW, O, C] = filter.shape as [number, number, number, number];
  const { batchSize: B, inHeight: OH, inWidth: OW, outHeight: H, outWidth: W, strideHeight: s, padInfo } = info;
  const taps = FH * FW * O;
  // Wm[c, (k, l, o)] = W[k, l, o, c]: the filter, transposed.
  const wm = wasm.makeOutput([1, C, taps], 'float32');
  const w = wasm.typedArrayFromHeap(filter);
  const m = wasm.typedArrayFromHeap(wm);
  for (let t = 0; t < taps; t++) for (let c = 0; c < C; c++) m[c * taps + t] = w[t * C + c]!;
  const x = runWasm('Reshape', wasm, { x: dy }, { shape: [1, B * H * W, C] });
  const p = runWasm('BatchMatMul', wasm, { a: x, b: wm }, { transposeA: false, transposeB: false });
  release(wasm, x, wm);
  const out = wasm.makeOutput([B, OH, OW, O], 'float32');
  helpers.col2im(heapOffset(wasm, p), heapOffset(wasm, out), B, H, W, OH, OW, FH, FW, O, s, padInfo.top, padInfo.left);
  release(wasm, p);
  return out;
}
