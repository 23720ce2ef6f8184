/**
 * One image's bounds beside its exact −log p_θ(x), for a 2-D VAE (Cremer, Li & Duvenaud 2018;
 * Burda, Grosse & Salakhutdinov 2016):
 *
 * - `lossByQuadrature`: the loss 𝓛(x) = E_q[−log p_θ(x|z)] + KL(q ‖ N(0, I)) of any Gaussian
 *   q = N(μ, diag σ²), its expectation by Gauss–Hermite quadrature (deterministic, so two
 *   Gaussians compare exactly) and its KL in closed form.
 * - `fitPosterior`: the best Gaussian for this image alone. Gradient steps on 𝓛 with the
 *   reparameterized gradient, started from the encoder's μ and log σ²; every few steps the
 *   quadrature scores the current Gaussian, and the best score so far is kept. Step 0 is the
 *   encoder's own Gaussian, so the optimum is never worse than the encoder under that score.
 *   The encoder's 𝓛 minus the optimum's is the amortization gap; the optimum's 𝓛 minus
 *   −log p_θ(x) the approximation gap.
 * - `logWeightPool` and `boundSpread`: the importance-weighted bound
 *   𝓛_k = −log (1/k) Σ_j w_j over disjoint groups of k draws from one pool, its mean and spread.
 *
 * Plain numbers in and out; tensors live only inside tidy().
 */
import { tf } from './backend.ts';
import { logDiagonalGaussian, logStandardNormal } from './iwae.ts';
import { klDivergence, reconstructionLoss } from './loss.ts';
import type { Vae } from './model.ts';
import { checkOneImage, imagesTensor, likelihoodLogits } from './networks.ts';
import { reparameterize } from './reparameterize.ts';

/**
 * Nodes and weights of the n-point Gauss–Hermite rule for a standard normal Z:
 * E[f(Z)] ≈ Σ_i w_i f(x_i), exact for polynomials of degree up to 2n − 1. The nodes are the roots
 * of the orthonormal Hermite polynomial p_n (p₀ = 1, p_{j+1} = (x p_j − √j p_{j−1}) / √(j+1)),
 * found by Newton's method (p_n′ = √n p_{n−1}); w_i = 1 / Σ_{j<n} p_j(x_i)².
 */
export function gaussHermite(n: number): { nodes: Float64Array; weights: Float64Array } {
  if (!(Number.isInteger(n) && n >= 1 && n <= 64)) throw new Error(`Expected 1 to 64 nodes, got ${n}`);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  /** p_n(x), p_{n−1}(x) and Σ_{j<n} p_j(x)². */
  const evaluate = (x: number): [number, number, number] => {
    let [prev, cur, squares] = [0, 1, 0];
    for (let j = 0; j < n; j++) {
      squares += cur * cur;
      [prev, cur] = [cur, (x * cur - Math.sqrt(j) * prev) / Math.sqrt(j + 1)];
    }
    return [cur, prev, squares];
  };
  // Initial guesses for the largest roots first (those of the physicists' polynomial, scaled by √2).
  const half = Math.floor((n + 1) / 2);
  const physicists: number[] = [];
  let z = 0;
  for (let i = 0; i < half; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * physicists[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * physicists[1]!;
    else z = 2 * z - physicists[i - 2]!;
    let x = z * Math.SQRT2;
    for (let iter = 0; iter < 100; iter++) {
      const [pn, pn1] = evaluate(x);
      const step = pn / (Math.sqrt(n) * pn1);
      x -= step;
      if (Math.abs(step) < 1e-14 * Math.max(1, Math.abs(x))) break;
    }
    physicists.push(x / Math.SQRT2);
    z = x / Math.SQRT2;
    const w = 1 / evaluate(x)[2];
    nodes[i] = x;
    weights[i] = w;
    nodes[n - 1 - i] = -x;
    weights[n - 1 - i] = w;
  }
  if (n % 2 === 1) nodes[half - 1] = 0;
  return { nodes, weights };
}

export interface GaussianCode {
  mu: ArrayLike<number>;
  logVar: ArrayLike<number>;
}

export interface LossTerms {
  /** 𝓛(x) = reconstruction + kl, nats. */
  loss: number;
  /** E_q[−log p_θ(x|z)]. */
  reconstruction: number;
  /** KL(q ‖ N(0, I)) = ½ Σ_u (μ_u² + σ_u² − log σ_u² − 1). */
  kl: number;
}

function checkCode(vae: Vae, { mu, logVar }: GaussianCode): void {
  if (vae.spec.latentDim !== 2) throw new Error(`${vae.spec.id} has a ${vae.spec.latentDim}-D code; these bounds are computed for 2-D models`);
  if (mu.length !== 2 || logVar.length !== 2) throw new Error('Expected μ and log σ² with 2 values each');
}

/** −log p_θ(x|z) of one image for each code (row-major [n, 2]). */
function reconstructionOf(vae: Vae, image: Float32Array, z: Float32Array): Float32Array {
  const n = z.length / 2;
  const out = tf.tidy(() => {
    const x = imagesTensor(vae, image).tile([n, 1, 1, 1]);
    return reconstructionLoss(x, likelihoodLogits(vae, tf.tensor2d(z, [n, 2])));
  });
  try {
    return out.dataSync() as Float32Array;
  } finally {
    out.dispose();
  }
}

/** KL(N(μ, diag σ²) ‖ N(0, I)) in float64. */
export function klToPrior({ mu, logVar }: GaussianCode): number {
  let kl = 0;
  for (let u = 0; u < mu.length; u++) kl += 0.5 * (mu[u]! ** 2 + Math.exp(logVar[u]!) - logVar[u]! - 1);
  return kl;
}

/**
 * 𝓛(x) of q = N(μ, diag σ²) for one image: E_q[−log p_θ(x|z)] on the `n` × `n` product
 * Gauss–Hermite grid z = μ + σ ⊙ (x_i, x_j), plus the KL in closed form.
 */
export function lossByQuadrature(vae: Vae, image: Float32Array, code: GaussianCode, n = 12): LossTerms {
  checkOneImage(vae, image);
  checkCode(vae, code);
  const { nodes, weights } = gaussHermite(n);
  const sigma = [Math.exp(0.5 * code.logVar[0]!), Math.exp(0.5 * code.logVar[1]!)];
  const z = new Float32Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      z[2 * (i * n + j)] = code.mu[0]! + sigma[0]! * nodes[i]!;
      z[2 * (i * n + j) + 1] = code.mu[1]! + sigma[1]! * nodes[j]!;
    }
  }
  const values = reconstructionOf(vae, image, z);
  let reconstruction = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) reconstruction += weights[i]! * weights[j]! * values[i * n + j]!;
  const kl = klToPrior(code);
  return { loss: reconstruction + kl, reconstruction, kl };
}

export interface FitStep extends LossTerms {
  /** Gradient steps taken. */
  step: number;
  mu: [number, number];
  logVar: [number, number];
}

export interface FitOptions {
  steps?: number;
  /** Draws of ε per gradient step. */
  draws?: number;
  /** Adam's step size at the start; it decays along a cosine to a tenth of it. */
  learningRate?: number;
  /** Score the current Gaussian by quadrature every this many steps (and after the last). */
  scoreEvery?: number;
  /** Gauss–Hermite nodes per axis for the scores. */
  nodes?: number;
  seed?: number;
}

/**
 * Gradient steps on 𝓛(x) for q = N(μ, diag σ²) alone, from `start` (the encoder's output). Yields
 * the scored step each time it scores one, starting with step 0; returns the best scored step.
 * A caller that stops iterating early leaves nothing behind.
 */
export function* fitPosterior(vae: Vae, image: Float32Array, start: GaussianCode, options: FitOptions = {}): Generator<FitStep, FitStep> {
  checkOneImage(vae, image);
  checkCode(vae, start);
  const { steps = 200, draws = 16, learningRate = 0.02, scoreEvery = 10, nodes = 12, seed = 1 } = options;
  const theta = [start.mu[0]!, start.mu[1]!, start.logVar[0]!, start.logVar[1]!];
  const [m, v] = [[0, 0, 0, 0], [0, 0, 0, 0]];
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const score = (step: number): FitStep => {
    const code = { mu: [theta[0]!, theta[1]!] as [number, number], logVar: [theta[2]!, theta[3]!] as [number, number] };
    return { step, ...code, ...lossByQuadrature(vae, image, code, nodes) };
  };
  let best = score(0);
  yield best;
  const x = tf.tidy(() => tf.keep(imagesTensor(vae, image).tile([draws, 1, 1, 1])));
  try {
    let gradientCalls = 0;
    // One-sample-per-draw estimate of 𝓛 as a function of (μ, log σ²), differentiated by TF.js.
    const gradient = tf.grads((mu: tf.Tensor, logVar: tf.Tensor) => {
      const eps = tf.randomNormal([draws, 2], 0, 1, 'float32', seed * 100_003 + gradientCalls++) as tf.Tensor2D;
      const z = reparameterize(mu.tile([draws, 1]) as tf.Tensor2D, logVar.tile([draws, 1]) as tf.Tensor2D, eps);
      const reconstruction = reconstructionLoss(x, likelihoodLogits(vae, z)).mean();
      return reconstruction.add(klDivergence(mu as tf.Tensor2D, logVar as tf.Tensor2D).sum());
    });
    for (let t = 1; t <= steps; t++) {
      const g = tf.tidy(() => {
        const [gMu, gLogVar] = gradient([tf.tensor2d([theta[0]!, theta[1]!], [1, 2]), tf.tensor2d([theta[2]!, theta[3]!], [1, 2])]);
        return tf.concat([gMu!.reshape([2]), gLogVar!.reshape([2])]);
      });
      const grad = g.dataSync();
      g.dispose();
      const rate = learningRate * (0.1 + 0.45 * (1 + Math.cos((Math.PI * (t - 1)) / steps)));
      for (let i = 0; i < 4; i++) {
        m[i] = beta1 * m[i]! + (1 - beta1) * grad[i]!;
        v[i] = beta2 * v[i]! + (1 - beta2) * grad[i]! ** 2;
        const mHat = m[i]! / (1 - beta1 ** t);
        const vHat = v[i]! / (1 - beta2 ** t);
        theta[i] = theta[i]! - (rate * mHat) / (Math.sqrt(vHat) + epsilon);
      }
      if (t % scoreEvery === 0 || t === steps) {
        const now = score(t);
        if (now.loss < best.loss) best = now;
        yield now;
      }
    }
  } finally {
    x.dispose();
  }
  return best;
}

/**
 * `count` log-weights log w_j = log p_θ(x|z_j) + log p(z_j) − log q(z_j|x), z_j ~ q, for one
 * image, drawn `chunk` at a time from seed `seed` (chunk c from seed·1,000 + c) and yielded
 * chunk by chunk, so a page can show progress and stop.
 */
export function* logWeightPool(vae: Vae, image: Float32Array, q: GaussianCode, count: number, options: { chunk?: number; seed?: number } = {}): Generator<Float32Array, void> {
  checkOneImage(vae, image);
  checkCode(vae, q);
  const { chunk = 500, seed = 1 } = options;
  for (let done = 0, c = 0; done < count; done += chunk, c++) {
    const n = Math.min(chunk, count - done);
    const out = tf.tidy(() => {
      const mu = tf.tensor2d([q.mu[0]!, q.mu[1]!], [1, 2]).tile([n, 1]) as tf.Tensor2D;
      const logVar = tf.tensor2d([q.logVar[0]!, q.logVar[1]!], [1, 2]).tile([n, 1]) as tf.Tensor2D;
      const eps = tf.randomNormal([n, 2], 0, 1, 'float32', seed * 1000 + c) as tf.Tensor2D;
      const z = reparameterize(mu, logVar, eps);
      const x = imagesTensor(vae, image).tile([n, 1, 1, 1]);
      return reconstructionLoss(x, likelihoodLogits(vae, z)).neg().add(logStandardNormal(z)).sub(logDiagonalGaussian(z, mu, logVar));
    });
    try {
      yield out.dataSync() as Float32Array;
    } finally {
      out.dispose();
    }
  }
}

export interface BoundSpread {
  k: number;
  /** Disjoint groups of k draws the pool holds. */
  repeats: number;
  /** The mean of 𝓛_k over the groups, and its standard deviation (0 with one group). */
  mean: number;
  sd: number;
}

/**
 * 𝓛_k = −log (1/k) Σ_j w_j on each disjoint group of k consecutive log-weights of the pool, with
 * their mean and standard deviation: an unbiased estimate of E[𝓛_k] and the spread of one run.
 */
export function boundSpread(logWeights: ArrayLike<number>, k: number): BoundSpread {
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`k must be a positive integer, got ${k}`);
  const repeats = Math.floor(logWeights.length / k);
  if (repeats === 0) throw new Error(`The pool holds ${logWeights.length} draws, fewer than k = ${k}`);
  const values: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let max = -Infinity;
    for (let j = r * k; j < (r + 1) * k; j++) max = Math.max(max, logWeights[j]!);
    let sum = 0;
    for (let j = r * k; j < (r + 1) * k; j++) sum += Math.exp(logWeights[j]! - max);
    values.push(-(max + Math.log(sum / k)));
  }
  const mean = values.reduce((a, b) => a + b, 0) / repeats;
  const sd = repeats > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (repeats - 1)) : 0;
  return { k, repeats, mean, sd };
}
