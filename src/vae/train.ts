/**
 * Adam on the negative ELBO, one step at a time. The loop can pause, resume and stop, and
 * the same seed gives the same batches, the same ε and the same initial weights.
 */
import { tf } from './backend.ts';
import { toFloat, type ImageSet } from './data.ts';
import { elbo } from './loss.ts';
import type { Vae } from './model.ts';
import { createRng, nextSeed, permutation, type Rng } from './random.ts';
import { reparameterize } from './reparameterize.ts';
import { IMAGE_SIZE } from './spec.ts';

export interface TrainOptions {
  batchSize: number;
  learningRate: number;
  seed: number;
  /**
   * Steps over which the KL weight ramps linearly from 0 to β ("KL warm-up"). Keeps the KL
   * term from switching off latent units before the decoder has learnt to use them.
   */
  klWarmupSteps?: number;
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
}

export type TrainerState = 'idle' | 'running' | 'paused' | 'stopped';

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

  constructor(vae: Vae, data: ImageSet, options: TrainOptions) {
    if (data.count < options.batchSize) throw new Error(`Need at least ${options.batchSize} images, got ${data.count}`);
    this.vae = vae;
    this.data = data;
    this.options = options;
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

  #nextBatch(): Float32Array {
    const { batchSize } = this.options;
    if (this.#cursor + batchSize > this.data.count) {
      this.#order = permutation(this.data.count, this.#rng);
      this.#cursor = 0;
    }
    const indices = this.#order.subarray(this.#cursor, this.#cursor + batchSize);
    this.#cursor += batchSize;
    return toFloat(this.data, indices);
  }

  /** One Adam step on the next batch. */
  step(): StepReport {
    const { batchSize } = this.options;
    const pixels = this.#nextBatch();
    const epsSeed = nextSeed(this.#rng);
    const { encoder, decoder, spec } = this.vae;
    const warmup = this.options.klWarmupSteps ?? 0;
    const beta = warmup > 0 ? spec.beta * Math.min(1, (this.#step + 1) / warmup) : spec.beta;
    let terms: tf.Scalar[] = [];
    const cost = tf.tidy(() => {
      const x = tf.tensor4d(pixels, [batchSize, IMAGE_SIZE, IMAGE_SIZE, 1]);
      const eps = tf.randomNormal([batchSize, spec.latentDim], 0, 1, 'float32', epsSeed) as tf.Tensor2D;
      return this.#optimizer.minimize(() => {
        const [mu, logVar] = encoder.apply(x, { training: true }) as [tf.Tensor2D, tf.Tensor2D];
        const z = reparameterize(mu, logVar, eps);
        const logits = decoder.apply(z, { training: true }) as tf.Tensor;
        const { loss, reconstruction, kl } = elbo(x, logits, mu, logVar, beta);
        terms = [tf.keep(reconstruction), tf.keep(kl)];
        return loss;
      }, true) as tf.Scalar;
    });
    const [reconstruction, kl] = terms;
    const values = [cost.dataSync()[0]!, reconstruction!.dataSync()[0]!, kl!.dataSync()[0]!];
    tf.dispose([cost, ...terms]);
    this.#step++;
    return {
      step: this.#step,
      epoch: (this.#step * batchSize) / this.data.count,
      loss: values[0]!,
      reconstruction: values[1]!,
      kl: values[2]!,
      beta,
    };
  }

  /**
   * Runs `steps` steps (or until stop()), yielding to the event loop between steps so
   * pause/stop and the caller's UI stay live. Resolves with the number of steps taken.
   */
  async run(steps: number, onStep?: (report: StepReport) => void): Promise<number> {
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
      const report = this.step();
      taken++;
      onStep?.(report);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (mine() && state() !== 'stopped') this.#state = 'idle';
    return taken;
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
    this.#optimizer.dispose();
  }
}
