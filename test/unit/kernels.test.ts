/**
 * The wasm kernels the engine registers (Conv2DBackpropFilter, which TF.js's wasm backend
 * lacks, and the faster Conv2DBackpropInput, i.e. the transposed convolution) against the
 * reference `cpu` backend: forward outputs and the gradients with respect to both inputs. The
 * filter gradient is checked three ways: as training runs it (WebAssembly gather, a block of
 * images at a time), in blocks of a few images with a short last block, and with the
 * JavaScript gather used where the WebAssembly helpers cannot load.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getKernel } from '@tensorflow/tfjs';
import { setFilterGradientBlockImages } from '../../src/vae/kernels/conv2d-backprop-filter.ts';
import { setWasmHelpersEnabled, wasmHelpers } from '../../src/vae/kernels/wasm-helpers.ts';
import { countWasmCalls, gaussianSampler, maxAbs, maxAbsDiff, tf, useWasm } from './helpers.ts';

type Pad = 'same' | 'valid';
type Shape4 = [number, number, number, number];

interface ConvCase {
  kind: 'conv2d' | 'conv2dTranspose';
  name: string;
  /** conv2d: x [B, H, W, C]; conv2dTranspose: its input [B, h, w, C]. */
  x: Shape4;
  /** conv2d: [fh, fw, C, O]; conv2dTranspose: [fh, fw, O, C]. */
  filter: Shape4;
  stride: number;
  pad: Pad;
  /** conv2dTranspose only: the output shape. */
  out?: Shape4;
  /**
   * conv2dTranspose only: the forward pass's path: the phase convolutions (s×-sized outputs),
   * the narrow product and col2im (at most 4 output channels), or TF.js's stock kernel.
   */
  path?: 'phases' | 'narrow' | 'stock';
}

const CASES: ConvCase[] = [
  // The model's encoder convolutions.
  { kind: 'conv2d', name: 'encoder conv1: 28×28×1 → 32, 3×3, stride 2, same', x: [4, 28, 28, 1], filter: [3, 3, 1, 32], stride: 2, pad: 'same' },
  { kind: 'conv2d', name: 'encoder conv2: 14×14×32 → 64, 3×3, stride 2, same', x: [4, 14, 14, 32], filter: [3, 3, 32, 64], stride: 2, pad: 'same' },
  // The model's decoder transposed convolutions.
  { kind: 'conv2dTranspose', name: 'decoder deconv1: 7×7×64 → 14×14×64, stride 2, same', x: [4, 7, 7, 64], filter: [3, 3, 64, 64], out: [4, 14, 14, 64], stride: 2, pad: 'same', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'decoder deconv2: 14×14×64 → 28×28×32, stride 2, same', x: [4, 14, 14, 64], filter: [3, 3, 32, 64], out: [4, 28, 28, 32], stride: 2, pad: 'same', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'decoder logits: 28×28×32 → 28×28×1, stride 1, same', x: [4, 28, 28, 32], filter: [3, 3, 1, 32], out: [4, 28, 28, 1], stride: 1, pad: 'same', path: 'narrow' },
  // A colour model's layers (32 × 32 × 3 images): the same convolutions on other shapes.
  { kind: 'conv2d', name: 'colour encoder conv1: 32×32×3 → 32, 3×3, stride 2, same', x: [3, 32, 32, 3], filter: [3, 3, 3, 32], stride: 2, pad: 'same' },
  { kind: 'conv2d', name: 'colour encoder conv2: 16×16×32 → 64, 3×3, stride 2, same', x: [3, 16, 16, 32], filter: [3, 3, 32, 64], stride: 2, pad: 'same' },
  { kind: 'conv2dTranspose', name: 'colour decoder deconv1: 8×8×64 → 16×16×64, stride 2, same', x: [3, 8, 8, 64], filter: [3, 3, 64, 64], out: [3, 16, 16, 64], stride: 2, pad: 'same', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'colour decoder deconv2: 16×16×64 → 32×32×32, stride 2, same', x: [3, 16, 16, 64], filter: [3, 3, 32, 64], out: [3, 32, 32, 32], stride: 2, pad: 'same', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'colour decoder logits: 32×32×32 → 32×32×3, stride 1, same', x: [3, 32, 32, 32], filter: [3, 3, 3, 32], out: [3, 32, 32, 3], stride: 1, pad: 'same', path: 'narrow' },
  // Other convolutions.
  { kind: 'conv2d', name: 'stride 1, same', x: [2, 9, 9, 3], filter: [3, 3, 3, 5], stride: 1, pad: 'same' },
  { kind: 'conv2d', name: 'stride 1, valid, non-square image', x: [2, 10, 8, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'valid' },
  { kind: 'conv2d', name: 'stride 3, same', x: [2, 12, 12, 2], filter: [3, 3, 2, 3], stride: 3, pad: 'same' },
  { kind: 'conv2d', name: '4×4 filter, stride 2, same', x: [2, 10, 10, 3], filter: [4, 4, 3, 4], stride: 2, pad: 'same' },
  { kind: 'conv2d', name: '1×1 filter, stride 2, valid', x: [2, 8, 8, 3], filter: [1, 1, 3, 2], stride: 2, pad: 'valid' },
  { kind: 'conv2d', name: '4×4 filter, stride 3, valid', x: [2, 13, 11, 2], filter: [4, 4, 2, 3], stride: 3, pad: 'valid' },
  // Fewer filter inputs than outputs (fh·fw·C < O): the filter gradient's product runs the other way round.
  { kind: 'conv2d', name: 'few inputs: 2 channels → 24, stride 2, valid, non-square', x: [3, 11, 9, 2], filter: [3, 3, 2, 24], stride: 2, pad: 'valid' },
  { kind: 'conv2d', name: 'few inputs: 1 channel → 10 (not a multiple of 4), stride 1, same', x: [3, 7, 6, 1], filter: [3, 3, 1, 10], stride: 1, pad: 'same' },
  // Other transposed convolutions with more than 4 output channels: the phases for s×-sized outputs, the stock kernel otherwise.
  { kind: 'conv2dTranspose', name: 'transposed, stride 3, same', x: [2, 5, 5, 3], filter: [3, 3, 5, 3], out: [2, 15, 15, 5], stride: 3, pad: 'same', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'transposed, 4×4 filter, stride 2, same', x: [2, 6, 6, 3], filter: [4, 4, 6, 3], out: [2, 12, 12, 6], stride: 2, pad: 'same', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'transposed, 4×4 filter, stride 3, same', x: [2, 4, 4, 2], filter: [4, 4, 5, 2], out: [2, 12, 12, 5], stride: 3, pad: 'same', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'transposed, non-square, stride 2, same', x: [2, 5, 7, 3], filter: [3, 3, 5, 3], out: [2, 10, 14, 5], stride: 2, pad: 'same', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'transposed, 2×2 filter, stride 2, valid (output exactly 2×)', x: [2, 4, 4, 3], filter: [2, 2, 5, 3], out: [2, 8, 8, 5], stride: 2, pad: 'valid', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'transposed, 1×1 filter, stride 2, valid (odd phases empty)', x: [2, 4, 4, 3], filter: [1, 1, 5, 3], out: [2, 8, 8, 5], stride: 2, pad: 'valid', path: 'phases' },
  { kind: 'conv2dTranspose', name: 'transposed, stride 2, valid (stock kernel)', x: [2, 6, 6, 4], filter: [3, 3, 5, 4], out: [2, 13, 13, 5], stride: 2, pad: 'valid', path: 'stock' },
  { kind: 'conv2dTranspose', name: 'transposed, stride 1, valid (stock kernel)', x: [2, 6, 6, 3], filter: [3, 3, 5, 3], out: [2, 8, 8, 5], stride: 1, pad: 'valid', path: 'stock' },
  { kind: 'conv2dTranspose', name: 'transposed, stride 2, same, odd output (stock kernel)', x: [2, 7, 7, 3], filter: [3, 3, 5, 3], out: [2, 13, 13, 5], stride: 2, pad: 'same', path: 'stock' },
  // Up to 4 output channels: the narrow product and col2im, whatever the shape.
  { kind: 'conv2dTranspose', name: 'narrow: 2 channels, stride 2, same', x: [2, 5, 5, 6], filter: [3, 3, 2, 6], out: [2, 10, 10, 2], stride: 2, pad: 'same', path: 'narrow' },
  { kind: 'conv2dTranspose', name: 'narrow: 3 channels, 4×4 filter, stride 3, same, non-square', x: [2, 4, 5, 5], filter: [4, 4, 3, 5], out: [2, 12, 15, 3], stride: 3, pad: 'same', path: 'narrow' },
  { kind: 'conv2dTranspose', name: 'narrow: 4 channels, stride 2, valid, odd output', x: [2, 6, 6, 4], filter: [3, 3, 4, 4], out: [2, 13, 13, 4], stride: 2, pad: 'valid', path: 'narrow' },
  { kind: 'conv2dTranspose', name: 'narrow: 1 channel, stride 1, valid', x: [3, 6, 7, 3], filter: [3, 3, 1, 3], out: [3, 8, 9, 1], stride: 1, pad: 'valid', path: 'narrow' },
  { kind: 'conv2dTranspose', name: 'narrow: 1 channel, stride 2, same, odd output', x: [2, 7, 7, 8], filter: [3, 3, 1, 8], out: [2, 13, 13, 1], stride: 2, pad: 'same', path: 'narrow' },
];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function outputShape(c: ConvCase): Shape4 {
  if (c.out) return c.out;
  const [B, H, W] = c.x;
  const O = c.filter[3];
  const along = (n: number) => (c.pad === 'same' ? Math.ceil(n / c.stride) : Math.floor((n - c.filter[0]) / c.stride) + 1);
  return [B, along(H), along(W), O];
}

function apply(c: ConvCase, x: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  return c.kind === 'conv2d' ? tf.conv2d(x, filter, c.stride, c.pad) : tf.conv2dTranspose(x, filter, c.out!, c.stride, c.pad);
}

interface Run {
  y: Float32Array;
  dx: Float32Array;
  dFilter: Float32Array;
}

/** Forward pass and both gradients (for upstream gradient dy) on the current backend. */
function run(c: ConvCase, x: Float32Array, filter: Float32Array, dy: Float32Array): Run {
  const [y, dx, dFilter] = tf.tidy(() => {
    const xt = tf.tensor4d(x, c.x);
    const ft = tf.tensor4d(filter, c.filter);
    const dyt = tf.tensor4d(dy, outputShape(c));
    const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => apply(c, a as tf.Tensor4D, b as tf.Tensor4D))([xt, ft], dyt);
    return [apply(c, xt, ft), gx!, gf!];
  });
  const out = { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, dFilter: dFilter.dataSync() as Float32Array };
  tf.dispose([y, dx, dFilter]);
  return out;
}

before(async () => {
  await useWasm();
  // IS_TEST silences the cpu backend's Node banner and makes the engine check every kernel
  // for leaked backend buffers (it throws if a kernel leaves more data ids than outputs).
  tf.env().set('IS_TEST', true);
});

after(async () => {
  await tf.setBackend('wasm');
});

/** The ways the filter gradient can run; each sets itself up and undoes it. */
const VARIANTS: { name: string; set: (c: ConvCase) => void; reset: () => void }[] = [
  { name: '', set: () => {}, reset: () => {} },
  // One image fewer than the batch: the model cases (batch 4) run a block of 3 and one of 1.
  { name: ' (filter gradient in blocks)', set: (c) => setFilterGradientBlockImages(Math.max(1, c.x[0] - 1)), reset: () => setFilterGradientBlockImages(undefined) },
  { name: ' (JavaScript gather)', set: () => setWasmHelpersEnabled(false), reset: () => setWasmHelpersEnabled(true) },
];

describe('wasm convolution kernels match the cpu backend', () => {
  test('the WebAssembly helpers load on the wasm backend', async () => {
    await tf.setBackend('wasm');
    assert.ok(wasmHelpers(tf.backend()), 'helpers.wat did not instantiate on the backend’s memory');
    assert.equal((await useWasm()).loops, 'webassembly', 'the backend report says where the loops run');
  });

  for (const [index, c] of CASES.entries()) for (const variant of VARIANTS) {
    test(`${c.kind} ${c.name}: output, ∂/∂input and ∂/∂filter${variant.name}`, async (t) => {
      variant.set(c);
      t.after(variant.reset);
      const normal = gaussianSampler(500 + index);
      const x = Float32Array.from({ length: size(c.x) }, normal);
      const filter = Float32Array.from({ length: size(c.filter) }, () => 0.3 * normal());
      const dy = Float32Array.from({ length: size(outputShape(c)) }, normal);

      await tf.setBackend('cpu');
      const cpuBefore = tf.memory().numTensors;
      const want = run(c, x, filter, dy);
      assert.equal(tf.memory().numTensors, cpuBefore, 'cpu run leaked tensors');

      await tf.setBackend('wasm');
      const wasm = tf.findBackend('wasm')!;
      const tensorsBefore = tf.memory().numTensors;
      const dataBefore = wasm.numDataIds();
      const got = run(c, x, filter, dy);
      assert.equal(tf.memory().numTensors, tensorsBefore, 'wasm run leaked tensors');
      assert.equal(wasm.numDataIds(), dataBefore, 'wasm kernels leaked backend buffers');

      assert.equal(got.y.length, size(outputShape(c)));
      assert.equal(got.dx.length, x.length);
      assert.equal(got.dFilter.length, filter.length);
      for (const part of ['y', 'dx', 'dFilter'] as const) {
        const scale = maxAbs(want[part]);
        assert.ok(scale > 0, `${part}: reference is all zeros`);
        const err = maxAbsDiff(got[part], want[part]);
        assert.ok(err <= 1e-5 * scale, `${part}: max|wasm − cpu| = ${err.toExponential(3)} > 1e-5 · ${scale.toExponential(3)}`);
      }
    });
  }

  test('each transposed convolution takes its path: the phases, the narrow product, or the stock kernel', async () => {
    await tf.setBackend('wasm');
    for (const c of CASES.filter((k) => k.kind === 'conv2dTranspose')) {
      let products = 0;
      const convs = countWasmCalls('Conv2D', () => {
        products = countWasmCalls('BatchMatMul', () => {
          tf.tidy(() => apply(c, tf.zeros(c.x), tf.zeros(c.filter)).dataSync());
        });
      });
      const path = convs > 0 ? 'phases' : products > 0 ? 'narrow' : 'stock';
      assert.equal(path, c.path, `${c.name}: ${convs} Conv2D and ${products} BatchMatMul calls`);
    }
  });

  test('a filter laid out once is laid out again for another shape of the same data, and for new weights', async () => {
    const normal = gaussianSampler(901);
    const x = Float32Array.from({ length: 2 * 5 * 5 * 6 }, normal);
    const w = Float32Array.from({ length: 3 * 3 * 5 * 6 }, normal);
    const w2 = Float32Array.from({ length: 3 * 3 * 5 * 6 }, normal);
    // The same data as [3, 3, 5, 6] and, reshaped (one data id, two layouts), as [3, 3, 6, 5].
    const both = (filter: Float32Array) => [
      tf.conv2dTranspose(tf.tensor4d(x, [2, 5, 5, 6]), tf.tensor4d(filter, [3, 3, 5, 6]), [2, 10, 10, 5], 2, 'same'),
      tf.conv2dTranspose(tf.tensor4d(x.slice(0, 2 * 5 * 5 * 5), [2, 5, 5, 5]), tf.tensor4d(filter, [3, 3, 5, 6]).reshape([3, 3, 6, 5]) as tf.Tensor4D, [2, 10, 10, 6], 2, 'same'),
    ];
    const values = (filter: Float32Array) => tf.tidy(() => both(filter).map((t) => Float32Array.from(t.dataSync())));
    await tf.setBackend('cpu');
    const want = [values(w), values(w2)];
    await tf.setBackend('wasm');
    const got = tf.tidy(() => {
      const a = tf.tensor4d(w, [3, 3, 5, 6]);
      const run = (filter: tf.Tensor4D) => [
        tf.conv2dTranspose(tf.tensor4d(x, [2, 5, 5, 6]), filter, [2, 10, 10, 5], 2, 'same'),
        tf.conv2dTranspose(tf.tensor4d(x.slice(0, 2 * 5 * 5 * 5), [2, 5, 5, 5]), filter.reshape([3, 3, 6, 5]) as tf.Tensor4D, [2, 10, 10, 6], 2, 'same'),
      ].map((t) => Float32Array.from(t.dataSync()));
      const first = run(a);
      const again = run(a); // laid out already
      return [first, again, values(w2)];
    });
    const pairs: [Float32Array[], Float32Array[]][] = [[got[0]!, want[0]!], [got[1]!, want[0]!], [got[2]!, want[1]!]];
    for (const [i, [g, wt]] of pairs.entries()) {
      for (const k of [0, 1]) {
        const err = maxAbsDiff(g[k]!, wt[k]!);
        assert.ok(err <= 1e-5 * maxAbs(wt[k]!), `run ${i}, layout ${k}: max|wasm − cpu| = ${err.toExponential(3)}`);
      }
    }
  });

  test('Conv2DBackpropFilter is registered for wasm (TF.js 4.22 does not ship one)', () => {
    assert.ok(getKernel('Conv2DBackpropFilter', 'wasm'));
  });
});
