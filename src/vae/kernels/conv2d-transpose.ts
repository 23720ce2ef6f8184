/**
 * A faster transposed convolution (Conv2DBackpropInput) for the wasm backend.
 *
 * With stride s, padding p (top/left) and filter W[k, l, o, c], the transposed convolution is
 *   y[s·m + a, s·n + b, o] = Σ_{k ≡ a+p, l ≡ b+p (mod s)} x[m + (a+p−k)/s, n + (b+p−l)/s, c] · W[k, l, o, c].
 * Inserting zeros between the inputs (what the stock kernel does) wastes (s²−1)/s² of the work.
 * Instead, each output phase (a, b) is a small stride-1 correlation of x; stacking the s² phases
 * as output channels gives one ordinary Conv2D over x with a T×T filter, and DepthToSpace(s)
 * interleaves the phases into the s×-larger image. Used when the output is exactly s× the input
 * (padding 'same'); other shapes go to the stock kernel.
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { release, runWasm, type WasmBackend } from './wasm-compose.ts';

type BackpropInputAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
};

/** For one axis: the window offsets d = (a + p − k)/s of every (phase a, tap k) pair. */
function taps(size: number, stride: number, padBefore: number) {
  const pairs: { phase: number; tap: number; offset: number }[] = [];
  for (let a = 0; a < stride; a++) {
    for (let k = 0; k < size; k++) {
      const num = a + padBefore - k;
      if (num % stride === 0) pairs.push({ phase: a, tap: k, offset: num / stride });
    }
  }
  const offsets = pairs.map((p) => p.offset);
  const lo = Math.min(...offsets);
  const hi = Math.max(...offsets);
  return { pairs, lo, hi, window: hi - lo + 1 };
}

export function makeConv2dTranspose(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const wasm = backend as unknown as WasmBackend;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as BackpropInputAttrs;
    if (dataFormat !== 'NHWC') return fallback(args);
    const [FH, FW, O, C] = filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(inputShape, [FH, FW, O, C], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const { strideHeight: sh, strideWidth: sw, padInfo, outHeight: H, outWidth: W } = info;
    const [, OH, OW] = inputShape;
    if (sh !== sw || OH !== H * sh || OW !== W * sw) return fallback(args);
    const s = sh;
    const rowsT = taps(FH, s, padInfo.top);
    const colsT = taps(FW, s, padInfo.left);

    // Combined filter F[u, v, c, (a·s + b)·O + o] = W[k, l, o, c] where (a, k, u) and (b, l, v) pair up.
    const outC = s * s * O;
    const combined = wasm.makeOutput([rowsT.window, colsT.window, C, outC], 'float32');
    const f = wasm.typedArrayFromHeap(combined);
    f.fill(0);
    const w = wasm.typedArrayFromHeap(filter);
    for (const r of rowsT.pairs) {
      for (const q of colsT.pairs) {
        const u = r.offset - rowsT.lo;
        const v = q.offset - colsT.lo;
        const phase = r.phase * s + q.phase;
        for (let c = 0; c < C; c++) {
          const dst = ((u * colsT.window + v) * C + c) * outC + phase * O;
          for (let o = 0; o < O; o++) f[dst + o] = w[((r.tap * FW + q.tap) * O + o) * C + c]!;
        }
      }
    }
    const phases = runWasm('Conv2D', wasm, { x: dy, filter: combined }, {
      strides: [1, 1],
      pad: [[0, 0], [-rowsT.lo, rowsT.hi], [-colsT.lo, colsT.hi], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined as never,
    });
    release(wasm, combined);
    if (s === 1) return phases;
    // Interleave the phases (what DepthToSpace(s) does; wasm's own is several times slower):
    // y[b, s·m + a, s·n + c, :] = phases[b, m, n, (a·s + c)·O : (a·s + c + 1)·O].
    const B = phases.shape[0]!;
    const out = wasm.makeOutput([B, H * s, W * s, O], 'float32');
    const y = wasm.typedArrayFromHeap(out);
    const p = wasm.typedArrayFromHeap(phases);
    let src = 0;
    for (let b = 0; b < B; b++) {
      for (let m = 0; m < H; m++) {
        for (let n = 0; n < W; n++) {
          for (let a = 0; a < s; a++) {
            for (let c = 0; c < s; c++) {
              y.set(p.subarray(src, src + O), (((b * H + m) * s + a) * W * s + n * s + c) * O);
              src += O;
            }
          }
        }
      }
    }
    release(wasm, phases);
    return out;
  };
}

export function conv2dTransposeConfig(fallback: KernelFunc): KernelConfig {
  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: makeConv2dTranspose(fallback) };
}
