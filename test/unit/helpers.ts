/**
 * Shared helpers for the engine's unit tests: one backend start per test process, a seeded
 * Gaussian sampler independent of the engine, float comparisons, the Bernoulli log-loss in
 * float64, and a count of kernel calls.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { initBackend, tf, type BackendReport } from '../../src/vae/backend.ts';

let started: Promise<BackendReport> | undefined;

/** Starts the wasm backend once per process (node --test runs each file in its own process). */
export function useWasm(): Promise<BackendReport> {
  started ??= initBackend({ prefer: ['wasm'] });
  return started.then(async (report) => {
    if (tf.getBackend() !== 'wasm') await tf.setBackend('wasm');
    return report;
  });
}

/** xoshiro128** seeded by splitmix32: a PRNG that shares nothing with src/vae/random.ts. */
export function uniformSampler(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const result = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = ((d << 11) | (d >>> 21)) >>> 0;
    // A uniform in (0, 1) with 32-bit resolution: never exactly 0, so log() below is safe.
    return (result + 0.5) / 4294967296;
  };
}

/** Standard normal samples by Box–Muller on `uniformSampler`. */
export function gaussianSampler(seed: number): () => number {
  const u = uniformSampler(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(u()));
    const theta = 2 * Math.PI * u();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Asserts |actual − expected| ≤ tol with a readable message. */
export function assertClose(actual: number, expected: number, tol: number, what = 'value'): void {
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`${what}: ${actual} differs from ${expected} by ${Math.abs(actual - expected)} > ${tol}`);
  }
}

export { tf };

/** −log p(x|z) for Bernoulli pixels from logits in float64: −[x log σ(ℓ) + (1−x) log(1−σ(ℓ))], summed. */
export function bce64(x: ArrayLike<number>, logits: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const l = logits[i]!;
    s -= x[i]! * -Math.log1p(Math.exp(-l)) + (1 - x[i]!) * -Math.log1p(Math.exp(l));
  }
  return s;
}

/** A tensor's values, disposing the tensor. */
export function take(t: tf.Tensor): Float32Array {
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

/** Every weight of a VAE (encoder, then decoder) as plain arrays, for exact comparisons. */
export function weightsOf(vae: { encoder: tf.LayersModel; decoder: tf.LayersModel }): number[][] {
  return [...vae.encoder.getWeights(), ...vae.decoder.getWeights()].map((w) => Array.from(w.dataSync()));
}

/** Counts the calls of the wasm kernel `name` while `fn` runs (the kernels we register are built on stock ones). */
export function countWasmCalls(name: string, fn: () => void): number {
  const original = getKernel(name, 'wasm') as KernelConfig;
  let calls = 0;
  unregisterKernel(name, 'wasm');
  registerKernel({
    ...original,
    kernelFunc: (args) => {
      calls++;
      return original.kernelFunc(args);
    },
  });
  try {
    fn();
  } finally {
    unregisterKernel(name, 'wasm');
    registerKernel(original);
  }
  return calls;
}
