/**
 * The hand-written WebAssembly of the kernels: the binaries the engine ships are helpers.wat
 * as it stands, and both variants (ordinary and shared memory) instantiate on a memory of
 * their kind. The kernels that use them are checked against the cpu backend in kernels.test.ts.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { assembleHelpers, GENERATED, helpersModuleSource } from '../../scripts/lib/assemble-wasm.ts';
import { HELPERS_PLAIN, HELPERS_SHARED } from '../../src/vae/kernels/wasm/helpers.wasm.ts';

test('helpers.wasm.ts is helpers.wat assembled (run npm run build:wasm after editing the .wat)', async () => {
  assert.equal(await readFile(GENERATED, 'utf8'), helpersModuleSource(await assembleHelpers()));
});

test('each binary stays under 4 kB, the most a page’s main thread may compile synchronously', () => {
  for (const b64 of [HELPERS_PLAIN, HELPERS_SHARED]) assert.ok(Buffer.from(b64, 'base64').length < 4096);
});

test('transpose gives srcᵀ, by 4×4 blocks and one by one', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const heap = new Float32Array(memory.buffer);
  const { transpose } = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(HELPERS_PLAIN, 'base64')), { env: { memory } }).exports as { transpose: (...a: number[]) => void };
  for (const [rows, cols] of [[8, 12], [5, 3], [4, 6]] as const) {
    for (let k = 0; k < rows * cols; k++) heap[k] = k + 0.5;
    const dst = 4096;
    transpose(0, dst * 4, rows, cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) assert.equal(heap[dst + c * rows + r], r * cols + c + 0.5, `${rows}×${cols} at (${r}, ${c})`);
  }
});

test('each variant instantiates on the memory it was built for, and the plain one only on an unshared memory', () => {
  const bytes = (b64: string) => Buffer.from(b64, 'base64');
  const plain = new WebAssembly.Memory({ initial: 1 });
  const shared = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  for (const [name, b64, memory] of [['plain', HELPERS_PLAIN, plain], ['shared', HELPERS_SHARED, shared]] as const) {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes(b64)), { env: { memory } });
    assert.deepEqual(Object.keys(exports).sort(), ['col2im', 'colsT', 'colsT4', 'im2col', 'interleave', 'reluGrad', 'sumRows4', 'transpose'], name);
  }
  assert.throws(() => new WebAssembly.Instance(new WebAssembly.Module(bytes(HELPERS_PLAIN)), { env: { memory: shared } }));
});

test('colsT writes one filter column of the transposed im2col, zeros where the input is padding', () => {
  // x: one 3×3 image with 4 channels, x[h, w, c] = 100·h + 10·w + c; 3×3 filter, stride 1, padding 1.
  const memory = new WebAssembly.Memory({ initial: 1 });
  const heap = new Float32Array(memory.buffer);
  for (let h = 0; h < 3; h++) for (let w = 0; w < 3; w++) for (let c = 0; c < 4; c++) heap[(h * 3 + w) * 4 + c] = 100 * h + 10 * w + c;
  for (const name of ['colsT', 'colsT4'] as const) {
    const fn = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(HELPERS_PLAIN, 'base64')), { env: { memory } }).exports[name] as (...a: number[]) => void;
    const cols = 1024; // float offset of the output
    heap.fill(-1, cols, cols + 9 * 4 * 9);
    // Filter column j = 0 reads input column w − 1: output columns w ∈ [1, 3) lie inside.
    fn(0, cols * 4, 1, 3, 3, 4, 3, 3, 3, 3, 1, 1, 1, 1, 0, 1, 3);
    for (let i = 0; i < 3; i++) {
      for (let c = 0; c < 4; c++) {
        const row = Array.from(heap.subarray(cols + (i * 3 * 4 + c) * 9, cols + (i * 3 * 4 + c) * 9 + 9));
        const want = Array.from({ length: 9 }, (_, r) => {
          const [h, w] = [Math.floor(r / 3), r % 3];
          const [xh, xw] = [h + i - 1, w - 1];
          return xh < 0 || xh >= 3 || xw < 0 ? 0 : 100 * xh + 10 * xw + c;
        });
        assert.deepEqual(row, want, `${name}: row (i=${i}, j=0, c=${c})`);
      }
    }
    // Rows of the other filter columns are not touched.
    assert.equal(heap[cols + (1 * 4) * 9], -1, `${name}: wrote outside column j = 0`);
  }
});
