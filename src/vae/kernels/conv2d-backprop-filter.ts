/**
 * Conv2DBackpropFilter for the wasm backend, which TF.js 4.22 does not ship.
 *
 * For a convolution y = x ⊛ W with stride s and padding p,
 *   ∂L/∂W[i, j, c, o] = Σ_{b, h, w} x̃[b, s·h + i, s·w + j, c] · ∂L/∂y[b, h, w, o],
 * where x̃ is x zero-padded by p. Laying the strided views of x̃ out as the rows of one
 * matrix (im2col, written transposed so wasm's matmul needs no transpose flag),
 *   colsᵀ[(i, j, c), (b, h, w)] = x̃[b, s·h + i, s·w + j, c],
 * the sum is one product ∂L/∂W = colsᵀ · reshape(∂L/∂y, [B·H'·W', O]), reshaped to [fh, fw, C, O].
 * The gather runs in JavaScript straight on the wasm heap (wasm's StridedSlice is far slower);
 * the product runs on wasm's BatchMatMul.
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { release, runWasm, type WasmBackend } from './wasm-compose.ts';

type FilterAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

export const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as unknown as WasmBackend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as FilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outChannels: O, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: FH, filterWidth: FW, padInfo } = info;
  const rows = B * OH * OW;
  const features = FH * FW * C;

  const colsT = wasm.makeOutput([1, features, rows], 'float32');
  const cols = wasm.typedArrayFromHeap(colsT);
  const xs = wasm.typedArrayFromHeap(x); // after makeOutput: a heap resize would detach older views
  // Image by image, so that the reads stay within one image (a few tens of kB, in cache), and
  // for each filter column j only over the output columns w whose input column s·w + j − p lies
  // inside the image (the others are padding: zeros), so the innermost loop has no test.
  const perImage = OH * OW;
  const step = sw * C;
  for (let j = 0; j < FW; j++) {
    const w0 = Math.min(OW, Math.max(0, Math.ceil((padInfo.left - j) / sw)));
    const w1 = Math.max(w0, Math.min(OW, Math.floor((W - 1 + padInfo.left - j) / sw) + 1));
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < FH; i++) {
        for (let c = 0; c < C; c++) {
          let at = ((i * FW + j) * C + c) * rows + b * perImage;
          for (let h = 0; h < OH; h++, at += OW) {
            const xh = h * sh + i - padInfo.top;
            if (xh < 0 || xh >= H) {
              cols.fill(0, at, at + OW);
              continue;
            }
            const base = ((b * H + xh) * W + j - padInfo.left) * C + c;
            for (let w = 0; w < w0; w++) cols[at + w] = 0;
            for (let w = w0; w < w1; w++) cols[at + w] = xs[base + w * step]!;
            for (let w = w1; w < OW; w++) cols[at + w] = 0;
          }
        }
      }
    }
  }
  const grad = runWasm('Reshape', wasm, { x: dy }, { shape: [1, rows, O] });
  const product = runWasm('BatchMatMul', wasm, { a: colsT, b: grad }, { transposeA: false, transposeB: false });
  release(wasm, colsT, grad);
  const out = runWasm('Reshape', wasm, { x: product }, { shape: filterShape });
  release(wasm, product);
  return out;
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
