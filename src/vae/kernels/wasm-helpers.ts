/**
 * The hand-written WebAssembly loops of the composed kernels (wasm/helpers.wat), instantiated
 * on the wasm backend's own memory so that they read and write tensors where they lie. One
 * instance per memory (a worker has its own); the threaded build's memory is shared, and gets
 * the variant that imports a shared memory. Where the module cannot be instantiated (no SIMD,
 * an unknown build of TF.js), wasmHelpers returns undefined and the kernels use JavaScript.
 */
import { HELPERS_PLAIN, HELPERS_SHARED } from './wasm/helpers.wasm.ts';

/** Pointers are byte offsets into the backend's memory; see helpers.wat for each function. */
export interface WasmHelpers {
  /** The transposed im2col rows of one filter column, one channel at a time. */
  colsT: ColsT;
  /** The same for a channel count that is a multiple of 4, four channels at a time. */
  colsT4: ColsT;
  /** Adds each input pixel's per-tap products where the tap lands (a transposed convolution's scatter). */
  col2im(
    p: number, out: number, B: number, H: number, W: number, OH: number, OW: number,
    FH: number, FW: number, O: number, s: number, pt: number, pl: number,
  ): void;
  /** One phase of a transposed convolution into its place in the s×-larger output. */
  interleave(phase: number, out: number, B: number, H: number, W: number, O: number, s: number, a: number, b: number): void;
  /** out = dy · step(x) over n floats. */
  reluGrad(dy: number, x: number, out: number, n: number): void;
  /** dst = srcᵀ for a [rows, cols] matrix. */
  transpose(src: number, dst: number, rows: number, cols: number): void;
  /** im2col with rows first: one row of fh·fw·C inputs per output pixel. */
  im2col(
    x: number, cols: number, B: number, H: number, W: number, C: number, OH: number, OW: number,
    FH: number, FW: number, sh: number, sw: number, pt: number, pl: number,
  ): void;
  /** Column sums of a [rows, C] matrix, C a multiple of 4; scratch holds C float64s. */
  sumRows4(x: number, out: number, scratch: number, rows: number, C: number): void;
}

type ColsT = (
  x: number, cols: number, B: number, H: number, W: number, C: number, OH: number, OW: number,
  FH: number, FW: number, sh: number, sw: number, pt: number, pl: number, j: number, w0: number, w1: number,
) => void;

interface EmscriptenModule {
  asm?: { memory?: unknown };
  wasmMemory?: unknown;
}

const instances = new WeakMap<WebAssembly.Memory, WasmHelpers | null>();
let enabled = true;

/** Off: every kernel takes its JavaScript path (for tests of that path). */
export function setWasmHelpersEnabled(on: boolean): void {
  enabled = on;
}

/** The backend's memory: exported by the single-threaded build, imported by the threaded one. */
function memoryOf(backend: unknown): WebAssembly.Memory | undefined {
  const module = (backend as { wasm?: EmscriptenModule }).wasm;
  const memory = module?.asm?.memory ?? module?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

export function wasmHelpers(backend: unknown): WasmHelpers | undefined {
  if (!enabled) return undefined;
  const memory = memoryOf(backend);
  if (!memory) return undefined;
  let helpers = instances.get(memory);
  if (helpers === undefined) {
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      // Under 4 kB (a unit test keeps it so), so compiling it synchronously is allowed on a page's main thread too.
      const module = new WebAssembly.Module(decode(shared ? HELPERS_SHARED : HELPERS_PLAIN) as BufferSource);
      helpers = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmHelpers;
    } catch {
      helpers = null;
    }
    instances.set(memory, helpers);
  }
  return helpers ?? undefined;
}
