/**
 * Where one training step's time goes, on the current backend, the same in Node and in the page
 * (`npm run bench -- --step-profile-only`). TF.js's own profiler (`tf.profile`) times every
 * kernel of the step; on the wasm backend a kernel's time is the wall time of its synchronous
 * call. Each kernel is then named by what it does, from its name and input shapes matched
 * against the model's layers:
 *
 * - a Conv2D layer: forward Conv2D(x, W), input gradient Conv2DBackpropInput(dy, W), filter
 *   gradient Conv2DBackpropFilter(x, dy);
 * - a Conv2DTranspose layer: forward Conv2DBackpropInput(x, W), input gradient Conv2D(dy, W),
 *   filter gradient Conv2DBackpropFilter(dy, x);
 * - a Dense layer: forward x·W, input gradient dy·Wᵀ, weight gradient xᵀ·dy (BatchMatMul);
 * - Adam's update: the kernels a separate Adam step on tensors of the model's weight shapes runs,
 *   matched from the end of the step, where the update runs;
 * - the rest: element-wise work, activations, reductions, the loss and the sampling.
 *
 * "outside kernels" is the step's wall time less its kernels' time: JavaScript of the tape, the
 * layers and the allocator. Synthetic images cost what real ones do.
 */
import { tf } from './backend.ts';
import { syntheticImages } from './bench.ts';
import { layerFlops } from './flops.ts';
import { buildVae, disposeVae } from './model.ts';
import { getSpec, imageShape } from './spec.ts';
import { median } from './stats.ts';
import { Trainer } from './train.ts';

export type StepPart =
  | 'convolutions: forward and input-gradient products'
  | 'convolutions: filter gradients'
  | 'transposed convolutions: forward and input-gradient products'
  | 'transposed convolutions: filter gradients'
  | 'dense layers: products'
  | 'element-wise, activations, reductions, loss'
  | 'Adam update'
  | 'outside kernels';

export const STEP_PARTS: readonly StepPart[] = [
  'convolutions: forward and input-gradient products',
  'convolutions: filter gradients',
  'transposed convolutions: forward and input-gradient products',
  'transposed convolutions: filter gradients',
  'dense layers: products',
  'element-wise, activations, reductions, loss',
  'Adam update',
  'outside kernels',
];

interface ProfiledKernel {
  /** The kernel's name and its inputs' shapes, e.g. `Conv2D [128,28,28,1] [3,3,1,32]`. */
  kernel: string;
  /** What it computes: the layer and the direction, or the part it belongs to. */
  role: string;
  part: StepPart;
  /** Milliseconds per step (the median over the profiled steps). */
  ms: number;
  calls: number;
  /** For a layer's product: its floating-point work over its time, in GFLOP/s (2 FLOPs per multiply-add). */
  gflops?: number;
}

export interface StepProfile {
  backend: string;
  model: string;
  batch: number;
  /** Wall time of one profiled step, median over the profiled steps: what the parts add up to. */
  stepMs: number;
  /** Wall time of one step without the profiler, median over as many steps: the profiler's own cost is the difference. */
  plainStepMs: number;
  parts: { part: StepPart; ms: number; share: number }[];
  kernels: ProfiledKernel[];
}

export interface StepProfileOptions {
  model?: string;
  batch?: number;
  warmup?: number;
  /** Profiled steps; each part is the median over them. */
  steps?: number;
  now?: () => number;
}

interface Role {
  role: string;
  part: StepPart;
  /** A layer's product: its FLOPs for the batch (each of a layer's three products does the same work). */
  flops?: number;
}

/** Matrix products, fused or not, go by their operands' shapes without leading unit dimensions. */
const MATMUL = new Set(['BatchMatMul', '_FusedMatMul', 'MatMul']);

function key(name: string, shapes: readonly (readonly number[])[]): string {
  if (MATMUL.has(name)) {
    const trim = (s: readonly number[]) => {
      const t = [...s];
      while (t.length > 2 && t[0] === 1) t.shift();
      return t;
    };
    shapes = shapes.slice(0, 2).map(trim);
    name = 'MatMul';
  }
  return `${name} ${shapes.map((s) => `[${s.join(',')}]`).join(' ')}`;
}

/**
 * The kernels each weighted layer's forward and backward passes run, by name and input shapes.
 * Where two of them have the same name and shapes (the encoder's μ and log σ² heads; the first
 * convolution's forward pass and the last transposed convolution's input gradient), a step runs
 * that kernel once for each, forward passes first: the list holds them in that order.
 */
function layerRoles(models: tf.LayersModel[], batch: number): Map<string, Role[]> {
  const found = new Map<string, Role[]>();
  let flops = 0; // the layer being named: its FLOPs for the batch
  const add = (name: string, shapes: number[][], layer: string, direction: string, part: StepPart) => {
    const k = key(name, shapes);
    const list = found.get(k) ?? [];
    list.push({ role: `${layer} ${direction}`, part, flops });
    found.set(k, list);
  };
  const withBatch = (shape: readonly (number | null)[]) => shape.map((d) => d ?? batch);
  for (const model of models) {
    for (const layer of model.layers) {
      const kind = layer.getClassName();
      if (kind !== 'Conv2D' && kind !== 'Conv2DTranspose' && kind !== 'Dense') continue;
      const x = withBatch((layer.input as tf.SymbolicTensor).shape);
      const y = withBatch((layer.output as tf.SymbolicTensor).shape);
      const w = layer.getWeights()[0]!.shape;
      const name = `${model.name}/${layer.name}`;
      flops = batch * layerFlops(layer);
      if (kind === 'Conv2D') {
        const part = 'convolutions: forward and input-gradient products';
        add('Conv2D', [x, w], name, 'forward', part);
        add('Conv2DBackpropInput', [y, w], name, 'input gradient', part);
        add('Conv2DBackpropFilter', [x, y], name, 'filter gradient', 'convolutions: filter gradients');
      } else if (kind === 'Conv2DTranspose') {
        const part = 'transposed convolutions: forward and input-gradient products';
        add('Conv2DBackpropInput', [x, w], name, 'forward', part);
        add('Conv2D', [y, w], name, 'input gradient', part);
        add('Conv2DBackpropFilter', [y, x], name, 'filter gradient', 'transposed convolutions: filter gradients');
      } else {
        const part = 'dense layers: products';
        add('MatMul', [x, w], name, 'forward', part);
        add('MatMul', [y, w], name, 'input gradient', part);
        add('MatMul', [x, y], name, 'weight gradient', part);
      }
    }
  }
  for (const list of found.values()) list.sort((a, b) => Number(!a.role.endsWith(' forward')) - Number(!b.role.endsWith(' forward')));
  return found;
}

type Timed = { name: string; shapes: number[][]; ms: number };

async function profiled(f: () => void): Promise<Timed[]> {
  const info = await tf.profile(() => {
    f();
  });
  return info.kernels.map((k) => ({ name: k.name, shapes: k.inputShapes.map((s) => [...(s ?? [])]), ms: Number(k.kernelTimeMs) || 0 }));
}

/** The kernels of one Adam update of weights with these shapes (after one untimed update). */
async function adamKernels(shapes: number[][], learningRate: number): Promise<Timed[]> {
  const optimizer = tf.train.adam(learningRate);
  const variables = shapes.map((s, i) => {
    const zeros = tf.zeros(s);
    const variable = tf.variable(zeros, true, `step-profile-adam-${i}-${Date.now()}`);
    zeros.dispose();
    return variable;
  });
  const grads = shapes.map((s) => tf.ones(s));
  const update = () => optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i]! })));
  try {
    update();
    return await profiled(update);
  } finally {
    optimizer.dispose();
    tf.dispose([...variables, ...grads]);
  }
}

/** Profiles training steps of `model` at `batch` on the active backend. */
export async function profileStep(options: StepProfileOptions = {}): Promise<StepProfile> {
  const now = options.now ?? (() => performance.now());
  const spec = getSpec(options.model ?? 'mnist-conv-z2');
  const batch = options.batch ?? 128;
  const shape = imageShape(spec);
  const vae = buildVae(spec);
  const learningRate = 1e-3;
  const trainer = new Trainer(vae, syntheticImages(batch * 4, 7, shape), { batchSize: batch, learningRate, seed: 1 });
  try {
    for (let i = 0; i < (options.warmup ?? 2); i++) trainer.step();
    const roles = layerRoles([vae.encoder, vae.decoder], batch);
    const weights = [...vae.encoder.trainableWeights, ...vae.decoder.trainableWeights].map((w) => [...w.shape] as number[]);
    const adam = new Map<string, number>();
    for (const k of await adamKernels(weights, learningRate)) adam.set(key(k.name, k.shapes), (adam.get(key(k.name, k.shapes)) ?? 0) + 1);

    const walls: number[] = [];
    const perKernel = new Map<string, { role: Role; ms: number[]; calls: number }>();
    const perPart = new Map<StepPart, number[]>(STEP_PARTS.map((p) => [p, []]));
    const steps = options.steps ?? 5;
    for (let s = 0; s < steps; s++) {
      const t0 = now();
      const kernels = await profiled(() => trainer.step());
      walls.push(now() - t0);
      // Adam's kernels are the step's last of their name and shapes.
      const left = new Map(adam);
      const isAdam = new Array<boolean>(kernels.length).fill(false);
      for (let i = kernels.length - 1; i >= 0; i--) {
        const k = key(kernels[i]!.name, kernels[i]!.shapes);
        const n = left.get(k) ?? 0;
        if (n > 0) {
          isAdam[i] = true;
          left.set(k, n - 1);
        }
      }
      const partMs = new Map<StepPart, number>(STEP_PARTS.map((p) => [p, 0]));
      const stepKernels = new Map<string, number>();
      const seen = new Map<string, number>();
      kernels.forEach((k, i) => {
        const name = key(k.name, k.shapes);
        const nth = seen.get(name) ?? 0;
        seen.set(name, nth + 1);
        const candidates = roles.get(name);
        const role: Role = isAdam[i]
          ? { role: 'Adam', part: 'Adam update' }
          : candidates
            ? candidates[Math.min(nth, candidates.length - 1)]!
            : { role: 'other', part: 'element-wise, activations, reductions, loss' };
        partMs.set(role.part, partMs.get(role.part)! + k.ms);
        const id = `${name}\u0000${role.role}`;
        stepKernels.set(id, (stepKernels.get(id) ?? 0) + k.ms);
        const entry = perKernel.get(id) ?? { role, ms: [], calls: 0 };
        if (s === 0) entry.calls++;
        perKernel.set(id, entry);
      });
      for (const [id, ms] of stepKernels) perKernel.get(id)!.ms.push(ms);
      const kernelTotal = kernels.reduce((a, k) => a + k.ms, 0);
      partMs.set('outside kernels', Math.max(0, walls.at(-1)! - kernelTotal));
      for (const [part, ms] of partMs) perPart.get(part)!.push(ms);
    }
    const plain: number[] = [];
    for (let s = 0; s < steps; s++) {
      const t0 = now();
      trainer.step();
      plain.push(now() - t0);
    }
    const stepMs = median(walls);
    const parts = STEP_PARTS.map((part) => {
      const ms = median(perPart.get(part)!);
      return { part, ms: Math.round(ms * 100) / 100, share: Math.round((1000 * ms) / stepMs) / 1000 };
    });
    const kernels = [...perKernel]
      .map(([id, e]) => {
        const ms = median(e.ms);
        // Three significant digits: a small head's products run at a fraction of a GFLOP/s.
        const gflops = e.role.flops && ms > 0 ? Number(((e.role.flops * e.calls) / (ms * 1e6)).toPrecision(3)) : undefined;
        return { kernel: id.split('\u0000')[0]!, role: e.role.role, part: e.role.part, ms: Math.round(ms * 100) / 100, calls: e.calls, ...(gflops !== undefined ? { gflops } : {}) };
      })
      .sort((a, b) => b.ms - a.ms);
    return { backend: tf.getBackend(), model: spec.id, batch, stepMs: Math.round(stepMs * 10) / 10, plainStepMs: Math.round(median(plain) * 10) / 10, parts, kernels };
  } finally {
    trainer.dispose();
    disposeVae(vae);
  }
}
