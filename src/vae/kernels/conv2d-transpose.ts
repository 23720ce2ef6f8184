/**
 * A faster transposed convolution (Conv2DBackpropInput) for the wasm backend.
 *
 * With stride s, padding p (top/left) and filter W[k, l, o, c], the transposed convolution is
 *   y[s·m + a, s·n + b, o] = Σ_{k ≡ a+p, l ≡ b+p (mod s)} x[m + (a+p−k)/s, n + (b+p−l)/s, c] · W[k, l, o, c].
 * Inserting zeros between the inputs (what the stock kernel does) wastes (s²−1)/s² of the work.
 * Instead, each output phase (a, b) is a small stride-1 correlation of x with only the taps that
 * reach it (for a 3×3 filter at stride 2: 2×2, 2×1, 1×2 and 1×1, nine taps in all, none wasted),
 * run as an ordinary Conv2D; the phases are then interleaved into the s×-larger image. Used when
 * the output is exactly s× the input (padding 'same'); other shapes go to the stock kernel.
 * With at most NARROW_CHANNELS output channels and equal strides, conv2d-transpose-narrow.ts
 * takes any shape instead.
 */
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { NARROW_CHANNELS, narrowTranspose } from './conv2d-transpose-narrow.ts';
import { wasmHelpers, type WasmHelpers } from './wasm-helpers.ts';
import { heapOffset, release, runWasm, type WasmBackend } from './wasm-compose.ts';

type BackpropInputAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
};

/** A filter tap k along one axis and its window offset d = (a + p − k)/s in the phase it reaches. */
type Tap = { tap: number; offset: number };

/** For one axis: the taps of each output phase a. */
function phaseTaps(size: number, stride: number, padBefore: number): Tap[][] {
  const phases: Tap[][] = [];
  for (let a = 0; a < stride; a++) {
    const pairs: Tap[] = [];
    for (let k = 0; k < size; k++) {
      const num = a + padBefore - k;
      if (num % stride === 0) pairs.push({ tap: k, offset: num / stride });
    }
    phases.push(pairs);
  }
  return phases;
}

/** The window of one phase along one axis: its lowest offset and its length. */
function windowOf(pairs: { offset: number }[]): { lo: number; hi: number } {
  const offsets = pairs.map((p) => p.offset);
  return { lo: Math.min(...offsets), hi: Math.max(...offsets) };
}

/**
 * The phase filters, laid out once per source filter (by its data id, which TF.js never reuses
 * for other values: an updated weight gets a new one) and layout. A model that only decodes
 * lays them out on its first call; while training, the weights change every step and so do the
 * keys, and the old entries go with their data ids. JavaScript memory only, nothing on the heap.
 */
const phaseFilters = new WeakMap<object, Map<string, Float32Array>>();

function makeConv2dTranspose(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const wasm = backend as unknown as WasmBackend;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as BackpropInputAttrs;
    if (dataFormat !== 'NHWC') return fallback(args);
    const [FH, FW, O, C] = filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(inputShape, [FH, FW, O, C], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const { strideHeight: sh, strideWidth: sw, padInfo, outHeight: H, outWidth: W } = info;
    const [B, OH, OW] = inputShape;
    const helpers = wasmHelpers(backend);
    if (helpers && O <= NARROW_CHANNELS && sh === sw) return narrowTranspose(wasm, helpers, dy, filter, info);
    if (sh !== sw || OH !== H * sh || OW !== W * sw) return fallback(args);
    const s = sh;
    const rowPhases = phaseTaps(FH, s, padInfo.top);
    const colPhases = phaseTaps(FW, s, padInfo.left);
    // Every non-empty phase window must contain offset 0 (so its padding is never negative).
    const windows = [...rowPhases, ...colPhases].filter((p) => p.length > 0).map(windowOf);
    if (windows.some((w) => w.lo > 0 || w.hi < 0)) return fallback(args);

    // One stride-1 convolution per output phase (a, b), with only that phase's taps.
    const out = s === 1 ? null : wasm.makeOutput([B, H * s, W * s, O], 'float32');
    for (let a = 0; a < s; a++) {
      for (let b = 0; b < s; b++) {
        const rows = rowPhases[a]!;
        const cols = colPhases[b]!;
        if (rows.length === 0 || cols.length === 0) {
          fillPhase(wasm, helpers, out!, null, a, b, s);
          continue;
        }
        const rw = windowOf(rows);
        const cw = windowOf(cols);
        const weights = phaseWeights(wasm, filter, rows, cols, rw, cw, `${s},${padInfo.top},${padInfo.left},${a},${b}`);
        const phaseFilter = wasm.makeOutput([rw.hi - rw.lo + 1, cw.hi - cw.lo + 1, C, O], 'float32');
        wasm.typedArrayFromHeap(phaseFilter).set(weights);
        const phase = runWasm('Conv2D', wasm, { x: dy, filter: phaseFilter }, {
          strides: [1, 1],
          pad: [[0, 0], [-rw.lo, rw.hi], [-cw.lo, cw.hi], [0, 0]],
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: undefined as never,
        });
        release(wasm, phaseFilter);
        if (!out) return phase;
        fillPhase(wasm, helpers, out, phase, a, b, s);
        release(wasm, phase);
      }
    }
    return out!;
  };
}

/**
 * The filter of one phase, F[u, v, c, o] = W[k, l, o, c] for its row pairs (k, u) and column
 * pairs (l, v), laid out from W once and then taken from phaseFilters. `phase` names the stride,
 * padding and phase; W's shape completes the key.
 */
function phaseWeights(
  wasm: WasmBackend,
  filter: TensorInfo,
  rows: Tap[],
  cols: Tap[],
  rw: { lo: number; hi: number },
  cw: { lo: number; hi: number },
  phase: string,
): Float32Array {
  const [FH, FW, O, C] = filter.shape as [number, number, number, number];
  const key = `${FH},${FW},${O},${C},${phase}`;
  let laidOut = phaseFilters.get(filter.dataId);
  if (!laidOut) phaseFilters.set(filter.dataId, (laidOut = new Map()));
  const cached = laidOut.get(key);
  if (cached) return cached;
  const fw = cw.hi - cw.lo + 1;
  const weights = new Float32Array((rw.hi - rw.lo + 1) * fw * C * O);
  const w = wasm.typedArrayFromHeap(filter);
  for (const r of rows) {
    for (const q of cols) {
      const u = r.offset - rw.lo;
      const v = q.offset - cw.lo;
      for (let c = 0; c < C; c++) {
        const dst = ((u * fw + v) * C + c) * O;
        const src = (r.tap * FW + q.tap) * O * C + c;
        for (let o = 0; o < O; o++) weights[dst + o] = w[src + o * C]!;
      }
    }
  }
  laidOut.set(key, weights);
  return weights;
}

/**
 * Writes one phase [B, H, W, O] into the s×-larger output, y[:, s·m + a, s·n + b, :] = phase[:, m, n, :]
 * (zeros for a phase no tap reaches). What DepthToSpace does; wasm's own is several times slower.
 * In WebAssembly (helpers.wat's interleave) where it can, else in JavaScript.
 */
function fillPhase(wasm: WasmBackend, helpers: WasmHelpers | undefined, out: TensorInfo, phase: TensorInfo | null, a: number, b: number, s: number): void {
  const [B, OH, OW, O] = out.shape as [number, number, number, number];
  const H = OH / s;
  const W = OW / s;
  const y = wasm.typedArrayFromHeap(out);
  if (helpers && phase) return helpers.interleave(heapOffset(wasm, phase), y.byteOffset, B, H, W, O, s, a, b);
  const p = phase ? wasm.typedArrayFromHeap(phase) : null;
  let src = 0;
  for (let n = 0; n < B; n++) {
    for (let m = 0; m < H; m++) {
      let dst = ((n * OH + m * s + a) * OW + b) * O;
      for (let k = 0; k < W; k++) {
        // A plain loop: for a few dozen channels it beats y.set(p.subarray(…)) by about a third.
        if (p) for (let o = 0; o < O; o++) y[dst + o] = p[src + o]!;
        else y.fill(0, dst, dst + O);
        src += O;
        dst += s * O;
      }
    }
  }
}

export function conv2dTransposeConfig(fallback: KernelFunc): KernelConfig {
  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: makeConv2dTranspose(fallback) };
}
