/**
 * Adam on the negative ELBO, one step at a time. The loop can pause, resume and stop, and
 * the same seed gives the same batches, the same ε and the same initial weights.
 */
import { tf } from './backend.ts';
import { setShape, toFloat, type ImageSet } from './data.ts';
import { elbo, freeBitsMask, type FreeBits } from './loss.ts';
import type { Vae } from './model.ts';
import { createRng, nextSeed, permutation, type Rng } from './random.ts';
import { imagesTensor, isConditional, labelsOf, likelihoodLogits, posterior, sampleLatent } from './networks.ts';
import { bernoulliSample } from './pixel-samples.ts';
import { imageShape, sameShape, shapeText, valuesPerImage } from './spec.ts';
import { setOptimizerLearningRate } from './tf-internals.ts';

export interface TrainOptions {
  batchSize: number;
  learningRate: number;
  seed: number;
  /**
   * Steps over which the KL weight ramps linearly from 0 to β ("KL warm-up"). Keeps the KL
   * term from switching off latent units before the decoder has learnt to use them.
   */
  klWarmupSteps?: number;
  /**
   * Free bits λ, nats per latent unit (0 or absent: off): the KL term becomes Σ_u max(λ, KL_u)
   * with KL_u the batch mean of unit u's KL, so a unit below λ gets no KL gradient (loss.ts).
   */
  freeBits?: number;
  /**
   * Cosine decay of the learning rate from `learningRate` to `final` over the first `steps`
   * steps, then `final` from there on. Without it the rate stays constant.
   */
  learningRateDecay?: { steps: number; final: number };
}

/** The learning rate at step `step` (0-based) under the options' schedule. */
export function learningRateAt(options: TrainOptions, step: number): number {
  const decay = options.learningRateDecay;
  if (!decay || decay.steps <= 0) return options.learningRate;
  const t = Math.min(1, step / decay.steps);
  return decay.final + (options.learningRate - decay.final) * 0.5 * (1 + Math.cos(Math.PI * t));
}

export interface StepReport {
  /** Steps taken so far, this one included. */
  step: number;
  /** Fractional epochs seen so far. */
  epoch: number;
  /** The minimised objective: reconstruction + β_t · KL, with β_t the warm-up's current weight. */
  loss: number;
  reconstruction: number;
  kl: number;
  /** The KL weight used at this step. */
  beta: number;
  /** The learning rate used at this step. */
  learningRate: number;
}

/** What one step works on: which images, the noise ε for each, and the KL weight. */
export interface StepPlan {
  indices: Uint32Array;
  /** Row-major [batch, latentDim] standard normal draws. */
  eps: Float32Array;
  beta: number;
  /** The learning rate of this step. */
  learningRate: number;
  /** Under free bits: λ and which units' batch-mean KL exceeds it, measured on the whole batch. */
  freeBits?: FreeBits;
  /** For a binarized model (spec.binarized): the seed of this batch's black-and-white draw. */
  binarizeSeed?: number;
}

/** Gradients of the summed loss over some images of a batch, in trainable-weight order. */
export interface Gradients {
  grads: Float32Array[];
  count: number;
  lossSum: number;
  reconstructionSum: number;
  klSum: number;
}

/** A step whose loss or gradient is not finite. It was not applied: the weights are the last good ones. */
export class DivergedError extends Error {
  override name = 'DivergedError';
  readonly step: number;
  readonly what: string;
  constructor(step: number, what: string) {
    super(`Training diverged at step ${step}: the ${what} is not a finite number. The step was not applied, so the weights are those of step ${step - 1}. A lower learning rate usually helps.`);
    this.step = step;
    this.what = what;
  }
}

function assertFinite(step: number, loss: number, gradNorm2: number): void {
  if (!Number.isFinite(loss)) throw new DivergedError(step, 'loss');
  if (!Number.isFinite(gradNorm2)) throw new DivergedError(step, 'gradient');
}

/** Everything a Trainer needs, besides the model's weights, to go on exactly where it was. */
export interface TrainerCheckpoint {
  step: number;
  cursor: number;
  order: number[];
  rngState: number;
  learningRate: number;
  /** Adam's state: its step counter and first and second moment estimates. */
  optimizer: { name: string; shape: number[]; values: number[] }[];
}

export type TrainerState = 'idle' | 'running' | 'paused' | 'stopped';

/** Gradient sums of several parts of one batch, added element by element. */
export function sumGradients(parts: Gradients[]): Gradients {
  const grads = parts[0]!.grads.map((g) => new Float32Array(g.length));
  for (const p of parts) {
    p.grads.forEach((g, i) => {
      const out = grads[i]!;
      for (let k = 0; k < g.length; k++) out[k]! += g[k]!;
    });
  }
  const total = (key: 'count' | 'lossSum' | 'reconstructionSum' | 'klSum') => parts.reduce((s, p) => s + p[key], 0);
  return { grads, count: total('count'), lossSum: total('lossSum'), reconstructionSum: total('reconstructionSum'), klSum: total('klSum') };
}

export class Trainer {
  readonly vae: Vae;
  readonly data: ImageSet;
  readonly options: TrainOptions;
  #optimizer: tf.AdamOptimizer;
  #rng: Rng;
  #order: Uint32Array;
  #cursor = 0;
  #step = 0;
  #state: TrainerState = 'idle';
  #wake: (() => void) | undefined;
  /** Bumped by every run() and stop(), so a loop that was stopped never resumes. */
  #generation = 0;
  /**
   * The weights the last applied update started from: their loss and gradient were finite.
   * The weights after that update may already be ruined (a rate too high), so a diverged run
   * goes back to these (rollBack). The tensors share their data with the variables' old values.
   */
  #lastGood: tf.Tensor[] | undefined;

  constructor(vae: Vae, data: ImageSet, options: TrainOptions) {
    const [model, given] = [imageShape(vae.spec), setShape(data)];
    if (!sameShape(model, given)) throw new Error(`${vae.spec.id} takes ${shapeText(model)} images; these are ${shapeText(given)}`);
    if (data.count < options.batchSize) throw new Error(`Need at least ${options.batchSize} images, got ${data.count}`);
    this.vae = vae;
    this.data = data;
    this.options = { ...options };
    this.#optimizer = tf.train.adam(options.learningRate);
    this.#rng = createRng(options.seed);
    this.#order = permutation(data.count, this.#rng);
  }

  get state(): TrainerState {
    return this.#state;
  }

  get steps(): number {
    return this.#step;
  }

  /** Steps in one pass over the data (the last partial batch is dropped). */
  get stepsPerEpoch(): number {
    return Math.floor(this.data.count / this.options.batchSize);
  }

  /** Draws what the next step works on: which images, the noise ε and the KL weight β_t. */
  plan(): StepPlan {
    const { batchSize } = this.options;
    if (this.#cursor + batchSize > this.data.count) {
      this.#order = permutation(this.data.count, this.#rng);
      this.#cursor = 0;
    }
    const indices = this.#order.slice(this.#cursor, this.#cursor + batchSize);
    this.#cursor += batchSize;
    const epsTensor = tf.randomNormal([batchSize, this.vae.spec.latentDim], 0, 1, 'float32', nextSeed(this.#rng));
    const eps = epsTensor.dataSync() as Float32Array;
    epsTensor.dispose();
    const warmup = this.options.klWarmupSteps ?? 0;
    const beta = warmup > 0 ? this.vae.spec.beta * Math.min(1, (this.#step + 1) / warmup) : this.vae.spec.beta;
    const plan: StepPlan = { indices, eps, beta, learningRate: learningRateAt(this.options, this.#step) };
    if (this.vae.spec.binarized) plan.binarizeSeed = nextSeed(this.#rng);
    const lambda = this.options.freeBits ?? 0;
    if (lambda > 0 && this.vae.spec.kind !== 'ae') plan.freeBits = { lambda, above: this.#unitsAbove(plan, lambda) };
    return plan;
  }

  /**
   * The images [start, end) of a plan as floats in [0, 1]; for a binarized model, each pixel
   * drawn black or white from the batch's seed, the same draw whichever part of it is asked for.
   */
  #pixels(plan: StepPlan, start = 0, end = plan.indices.length): Float32Array {
    if (plan.binarizeSeed === undefined) return toFloat(this.data, plan.indices.subarray(start, end));
    const per = valuesPerImage(this.vae.spec);
    return bernoulliSample(toFloat(this.data, plan.indices), plan.binarizeSeed).subarray(start * per, end * per);
  }

  /**
   * Which units' KL, averaged over the batch's images, exceeds λ: one encoder pass over the whole
   * batch before its gradients, so that parts of it computed apart apply the same free bits.
   */
  #unitsAbove(plan: StepPlan, lambda: number): Uint8Array {
    const { indices } = plan;
    const pixels = this.#pixels(plan);
    const vae = this.vae;
    let above: Uint8Array = new Uint8Array(0);
    tf.tidy(() => {
      const labels = isConditional(vae) ? labelsOf(this.data, indices) : undefined;
      const q = posterior(vae, imagesTensor(vae, pixels), labels, true);
      above = freeBitsMask(q[0], q[1], lambda);
    });
    return above;
  }

  get #variables(): tf.Variable[] {
    return [...this.vae.encoder.trainableWeights, ...this.vae.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  }

  /**
   * The loss of images [start, end) of a plan, scaled by `scale`, and its gradients. With
   * scale = 1/n it is the batch mean; with scale = 1 the sum, which parts of a batch add up.
   */
  #lossAndGrads(plan: StepPlan, start: number, end: number, scale: number) {
    const n = end - start;
    const d = this.vae.spec.latentDim;
    const rows = plan.indices.subarray(start, end);
    const pixels = this.#pixels(plan, start, end);
    const vae = this.vae;
    return tf.tidy(() => {
      const x = imagesTensor(vae, pixels);
      const eps = tf.tensor2d(plan.eps.subarray(start * d, end * d), [n, d]);
      const labels = isConditional(vae) ? labelsOf(this.data, rows) : undefined;
      let sums: tf.Tensor1D | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const q = posterior(vae, x, labels, true);
        const logits = likelihoodLogits(vae, sampleLatent(q, eps), labels, true);
        const { loss, reconstruction, kl } = elbo(x, logits, q[0], q[1], plan.beta, plan.freeBits);
        sums = tf.keep(tf.stack([loss, reconstruction, kl]).mul(n) as tf.Tensor1D);
        return loss.mul(n * scale) as tf.Scalar;
      }, this.#variables);
      value.dispose();
      // ‖∇‖² rides along with the loss terms, so one read-back checks both are finite.
      const gradNorm2 = tf.addN(Object.values(grads).map((g) => g.square().sum())).reshape([1]);
      const all = tf.concat([sums!, gradNorm2]) as tf.Tensor1D;
      sums!.dispose(); // kept above to leave the gradient scope; the concatenation replaces it
      return { grads, sums: all };
    });
  }

  /** Gradients of the summed loss over images [start, end) of a plan, as plain arrays. */
  gradients(plan: StepPlan, start = 0, end = plan.indices.length): Gradients {
    const { grads, sums } = this.#lossAndGrads(plan, start, end, 1);
    const out = this.#variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
    const [loss, reconstruction, kl, gradNorm2] = sums.dataSync();
    tf.dispose([sums, ...Object.values(grads)]);
    assertFinite(this.#step + 1, loss!, gradNorm2!);
    return { grads: out, count: end - start, lossSum: loss!, reconstructionSum: reconstruction!, klSum: kl! };
  }

  /** One Adam step with the mean gradient of parts that together cover one planned batch. */
  applyGradients(parts: Gradients[], plan: StepPlan): StepReport {
    const sum = parts.length === 1 ? parts[0]! : sumGradients(parts);
    assertFinite(this.#step + 1, sum.lossSum, 0);
    const variables = this.#variables;
    tf.tidy(() => {
      // The batch's mean gradient: the parts' summed gradients over the images they cover.
      const named = variables.map((v, i) => ({ name: v.name, tensor: tf.tensor(sum.grads[i]!, v.shape).div(sum.count) }));
      this.#rate = plan.learningRate;
      this.#remember(variables);
      this.#optimizer.applyGradients(named);
    });
    return this.#report(plan, sum.lossSum / sum.count, sum.reconstructionSum / sum.count, sum.klSum / sum.count);
  }

  /** Keeps the weights an update is about to change (a copy that costs no memory until then). */
  #remember(variables: tf.Variable[]): void {
    if (this.#lastGood) tf.dispose(this.#lastGood);
    this.#lastGood = variables.map((v) => tf.keep(v.clone()));
  }

  /**
   * After a DivergedError: undoes the last applied update, whose result gave a loss or gradient
   * that is not finite, so the weights are again the last ones known to give finite values.
   * Adam's moments are kept: its steps are bounded by the learning rate, whatever they hold.
   * Returns the step count of the restored weights. Does nothing before the first update.
   */
  rollBack(): number {
    const saved = this.#lastGood;
    if (!saved) return this.#step;
    this.#variables.forEach((v, i) => v.assign(saved[i]!));
    tf.dispose(saved);
    this.#lastGood = undefined;
    this.#step--;
    return this.#step;
  }

  #report(plan: StepPlan, loss: number, reconstruction: number, kl: number): StepReport {
    this.#step++;
    return { step: this.#step, epoch: (this.#step * this.options.batchSize) / this.data.count, loss, reconstruction, kl, beta: plan.beta, learningRate: plan.learningRate };
  }

  /** Adam's step size, changed in place so its moment estimates carry on. */
  set #rate(learningRate: number) {
    setOptimizerLearningRate(this.#optimizer, learningRate);
  }

  /** One Adam step on the next batch. */
  step(): StepReport {
    const plan = this.plan();
    const n = plan.indices.length;
    const { grads, sums } = this.#lossAndGrads(plan, 0, n, 1 / n);
    const [loss, reconstruction, kl, gradNorm2] = sums.dataSync();
    try {
      // Checked before the update, so a diverged step leaves the weights as they were.
      assertFinite(this.#step + 1, loss!, gradNorm2!);
      this.#rate = plan.learningRate;
      this.#remember(this.#variables);
      this.#optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    } finally {
      tf.dispose([sums, ...Object.values(grads)]);
    }
    return this.#report(plan, loss! / n, reconstruction! / n, kl! / n);
  }

  /**
   * Runs `steps` steps (or until stop()), yielding to the event loop between steps so
   * pause/stop and the caller's UI stay live. Resolves with the number of steps taken. `step`
   * takes one step; by default this trainer's own, e.g. `parallelStep` to share each batch.
   */
  async run(steps: number, onStep?: (report: StepReport) => void, step: () => StepReport | Promise<StepReport> = () => this.step()): Promise<number> {
    if (this.#state === 'running' || this.#state === 'paused') throw new Error('Trainer is already running');
    this.#state = 'running';
    const generation = ++this.#generation;
    let taken = 0;
    // Read through a function: pause() and stop() change the state while we await.
    const state = (): TrainerState => this.#state;
    const mine = () => generation === this.#generation;
    while (taken < steps && mine() && state() !== 'stopped') {
      if (state() === 'paused') {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      let report: StepReport;
      try {
        report = await step();
      } catch (err) {
        if (mine()) this.#state = 'idle';
        throw err;
      }
      taken++;
      onStep?.(report);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (mine() && state() !== 'stopped') this.#state = 'idle';
    return taken;
  }

  /** The run's state besides the weights: batch order, random stream and Adam's moments. */
  async checkpoint(): Promise<TrainerCheckpoint> {
    const weights = await this.#optimizer.getWeights();
    const optimizer = await Promise.all(weights.map(async (w) => ({ name: w.name, shape: w.tensor.shape, values: Array.from(await w.tensor.data()) })));
    // The first entry, Adam's step counter, is a scalar made for this call; the rest are its own variables.
    for (const w of weights) if (w.name === 'iter') w.tensor.dispose();
    return { step: this.#step, cursor: this.#cursor, order: Array.from(this.#order), rngState: this.#rng.state, learningRate: this.options.learningRate, optimizer };
  }

  /** Continues a run from `checkpoint()` (the model must hold the weights saved with it). */
  async restore(checkpoint: TrainerCheckpoint): Promise<void> {
    if (checkpoint.order.length !== this.data.count) {
      throw new Error(`The checkpoint was made on ${checkpoint.order.length} training images, not ${this.data.count}`);
    }
    this.#step = checkpoint.step;
    this.#cursor = checkpoint.cursor;
    this.#order = Uint32Array.from(checkpoint.order);
    this.#rng.state = checkpoint.rngState;
    this.setLearningRate(checkpoint.learningRate);
    // Adam creates its slots on its first update; make them exist, then overwrite them all.
    const tensors = checkpoint.optimizer.map((w) => ({ name: w.name, tensor: tf.tensor(w.values, w.shape) }));
    await this.#optimizer.setWeights(tensors);
    tf.dispose(tensors.map((t) => t.tensor));
  }

  /**
   * Counts on from `step`, for weights that have already had that many steps elsewhere (a
   * saved model trained further). Adam's moment estimates start afresh, as after a restart.
   */
  continueAt(step: number): void {
    if (this.#step !== 0) throw new Error('continueAt() is for a trainer that has not stepped yet');
    this.#step = step;
  }

  /**
   * A new (starting) learning rate from the next step on; a decay schedule keeps its shape
   * and scales to it. Adam's moment estimates carry on.
   */
  setLearningRate(learningRate: number): void {
    this.options.learningRate = learningRate;
  }

  pause(): void {
    if (this.#state === 'running') this.#state = 'paused';
  }

  resume(): void {
    if (this.#state === 'paused') {
      this.#state = 'running';
      this.#wake?.();
    }
  }

  stop(): void {
    const wasPaused = this.#state === 'paused';
    this.#state = 'stopped';
    this.#generation++;
    if (wasPaused) this.#wake?.();
  }

  /** Frees the optimiser's slots. The model itself belongs to the caller. */
  dispose(): void {
    if (this.#lastGood) tf.dispose(this.#lastGood);
    this.#lastGood = undefined;
    this.#optimizer.dispose();
  }
}
