/**
 * Conv2DBackpropFilter for the wasm backend, which TF.js 4.22 does not ship.
 *
 * For a convolution y = x ⊛ W with stride s and padding p,
 *   ∂L/∂W[i, j, c, o] = Σ_{b, h, w} x̃[b, s·h + i, s·w + j, c] · ∂L/∂y[b, h, w, o],
 * where x̃ is x zero-padded by p. Laying the strided views of x̃ out as the rows of one
 * matrix (im2col, written transposed so wasm's matmul needs no transpose flag),
 *   colsᵀ[(i, j, c), (b, h, w)] = x̃[b, s·h + i, s·w + j, c],
 * the sum is the product colsᵀ · reshape(∂L/∂y, [B·H'·W', O]), reshaped to [fh, fw, C, O].
 * It runs a few images at a time, so that the block of colsᵀ just gathered is still in the
 * core's cache when wasm's BatchMatMul reads it, and the products of the blocks are summed.
 * The gather runs in WebAssembly on the backend's heap (wasm-helpers.ts), or in JavaScript
 * where that module is unavailable; wasm's own StridedSlice is far slower.
 *
 * wasm's BatchMatMul repacks its second operand on every call. When the filter has fewer
 * inputs than outputs (fh·fw·C < O: the first encoder layer and the decoder's last, C = 1), that
 * operand, ∂L/∂y, is the larger one, so the product runs the other way round instead,
 *   (∂L/∂W)ᵀ = (∂L/∂y)ᵀ · cols,
 * with ∂L/∂y transposed and cols laid out rows first, both in WebAssembly.
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { wasmHelpers, type WasmHelpers } from './wasm-helpers.ts';
import { heapOffset, release, runWasm, type WasmBackend } from './wasm-compose.ts';

type FilterAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/** The most bytes of colsᵀ gathered at once: about half of a core's L2 cache. */
const BLOCK_BYTES = 2 << 20;
let blockImages: number | undefined;

/** Fixes the images per block (tests use it to run several blocks on small inputs); undefined: by size. */
export function setFilterGradientBlockImages(images: number | undefined): void {
  blockImages = images;
}

/** The output columns w in [w0, w1) whose input column s·w + j − p lies inside the image. */
function insideColumns(info: backend_util.Conv2DInfo, j: number): [number, number] {
  const { strideWidth: sw, outWidth: OW, inWidth: W, padInfo } = info;
  const w0 = Math.min(OW, Math.max(0, Math.ceil((padInfo.left - j) / sw)));
  const w1 = Math.max(w0, Math.min(OW, Math.floor((W - 1 + padInfo.left - j) / sw) + 1));
  return [w0, w1];
}

/** Writes colsᵀ of images [b0, b0 + n) into `cols`, in WebAssembly when it can. */
function gather(helpers: WasmHelpers | undefined, xs: Float32Array, cols: Float32Array, b0: number, n: number, info: backend_util.Conv2DInfo): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: FH, filterWidth: FW, padInfo } = info;
  const image = H * W * C;
  if (helpers) {
    const colsT = C % 4 === 0 ? helpers.colsT4 : helpers.colsT;
    const x = xs.byteOffset + b0 * image * 4;
    for (let j = 0; j < FW; j++) {
      const [w0, w1] = insideColumns(info, j);
      colsT(x, cols.byteOffset, n, H, W, C, OH, OW, FH, FW, sh, sw, padInfo.top, padInfo.left, j, w0, w1);
    }
    return;
  }
  // Image by image, so that the reads stay within one image (a few tens of kB, in cache), and
  // for each filter column j only over the output columns w whose input is inside the image
  // (the others are padding: zeros), so the innermost loop has no test.
  const rows = n * OH * OW;
  const perImage = OH * OW;
  const step = sw * C;
  for (let j = 0; j < FW; j++) {
    const [w0, w1] = insideColumns(info, j);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < FH; i++) {
        for (let c = 0; c < C; c++) {
          let at = ((i * FW + j) * C + c) * rows + b * perImage;
          for (let h = 0; h < OH; h++, at += OW) {
            const xh = h * sh + i - padInfo.top;
            if (xh < 0 || xh >= H) {
              cols.fill(0, at, at + OW);
              continue;
            }
            const base = (b0 + b) * image + ((xh * W + j - padInfo.left) * C + c);
            for (let w = 0; w < w0; w++) cols[at + w] = 0;
            for (let w = w0; w < w1; w++) cols[at + w] = xs[base + w * step]!;
            for (let w = w1; w < OW; w++) cols[at + w] = 0;
          }
        }
      }
    }
  }
}

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as unknown as WasmBackend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as FilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { batchSize: B, inChannels: C, outChannels: O, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const perImage = OH * OW;
  const features = FH * FW * C;
  const helpers = wasmHelpers(backend);
  if (helpers && features < O) return narrowFilterGradient(wasm, helpers, x, dy, info, filterShape);
  const block = Math.max(1, Math.min(B, blockImages ?? Math.floor(BLOCK_BYTES / (features * perImage * 4))));
  const sum = block < B ? new Float64Array(features * O) : undefined;
  let product: TensorInfo | undefined;
  for (let b0 = 0; b0 < B; b0 += block) {
    const n = Math.min(block, B - b0);
    const rows = n * perImage;
    const colsT = wasm.makeOutput([1, features, rows], 'float32');
    let grad: TensorInfo;
    if (n === B) grad = runWasm('Reshape', wasm, { x: dy }, { shape: [1, rows, O] });
    else {
      // A block's rows of ∂L/∂y, copied: the product needs them as a tensor of their own.
      grad = wasm.makeOutput([1, rows, O], 'float32');
      wasm.typedArrayFromHeap(grad).set(wasm.typedArrayFromHeap(dy).subarray(b0 * perImage * O, (b0 + n) * perImage * O));
    }
    // Views taken after the last makeOutput: a heap resize would detach older ones.
    gather(helpers, wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(colsT), b0, n, info);
    product = runWasm('BatchMatMul', wasm, { a: colsT, b: grad }, { transposeA: false, transposeB: false });
    release(wasm, colsT, grad);
    if (sum) {
      const part = wasm.typedArrayFromHeap(product);
      for (let k = 0; k < sum.length; k++) sum[k]! += part[k]!;
      release(wasm, product);
    }
  }
  if (!sum) {
    const out = runWasm('Reshape', wasm, { x: product! }, { shape: filterShape });
    release(wasm, product!);
    return out;
  }
  const out = wasm.makeOutput(filterShape, 'float32');
  wasm.typedArrayFromHeap(out).set(sum);
  return out;
};

/** (∂L/∂W)ᵀ = (∂L/∂y)ᵀ · cols, a cache-sized block of images at a time, for fh·fw·C < O. */
function narrowFilterGradient(
  wasm: WasmBackend,
  helpers: WasmHelpers,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): TensorInfo {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outChannels: O, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: FH, filterWidth: FW, padInfo } = info;
  const perImage = OH * OW;
  const features = FH * FW * C;
  const block = Math.max(1, Math.min(B, blockImages ?? Math.floor(BLOCK_BYTES / (O * perImage * 4))));
  const sum = new Float64Array(features * O);
  for (let b0 = 0; b0 < B; b0 += block) {
    const n = Math.min(block, B - b0);
    const rows = n * perImage;
    const gradT = wasm.makeOutput([1, O, rows], 'float32');
    const cols = wasm.makeOutput([1, rows, features], 'float32');
    helpers.transpose(heapOffset(wasm, dy) + b0 * perImage * O * 4, heapOffset(wasm, gradT), rows, O);
    helpers.im2col(heapOffset(wasm, x) + b0 * H * W * C * 4, heapOffset(wasm, cols), n, H, W, C, OH, OW, FH, FW, sh, sw, padInfo.top, padInfo.left);
    const product = runWasm('BatchMatMul', wasm, { a: gradT, b: cols }, { transposeA: false, transposeB: false });
    release(wasm, gradT, cols);
    const part = wasm.typedArrayFromHeap(product); // [O, features]
    for (let o = 0; o < O; o++) for (let f = 0; f < features; f++) sum[f * O + o]! += part[o * features + f]!;
    release(wasm, product);
  }
  const out = wasm.makeOutput(filterShape, 'float32');
  wasm.typedArrayFromHeap(out).set(sum);
  return out;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
