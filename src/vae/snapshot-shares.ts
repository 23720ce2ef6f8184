/**
 * The test-set work of a training snapshot, shared by the workers that train together.
 *
 * A snapshot encodes every test image (their μ fill the latent scatter) and measures the test
 * loss on the first `lossImages` of them. The loss images cost a full forward pass each, the
 * others only the encoder's, so each kind is split evenly across the workers on its own. A loss
 * image's μ comes from its loss pass (no second encode). Every worker holds the same weights
 * between two steps, so the shares, computed apart and merged, are the one-worker snapshot.
 * Each share also sums every latent unit's KL over its images; merged, they give the mean KL per
 * unit, and the codes give each unit's activity A_u (active-units.ts).
 */
import { ACTIVE_THRESHOLD, columnVariances } from './code-stats.ts';
import { sliceSet, toFloat, type ImageSet } from './data.ts';
import { lossSums, meanLoss, type EvalResult } from './evaluate.ts';
import { encode } from './infer.ts';
import type { Vae } from './model.ts';

/** One worker's share: loss images [loss[0], loss[1]) and code-only images [codes[0], codes[1]). */
export interface TestShare {
  loss: [number, number];
  codes: [number, number];
}

/** What a share yields: its loss sums, the μ of its loss images, then of its code images, and each unit's KL summed over all its images. */
export interface TestShareResult {
  reconstruction: number;
  kl: number;
  mu: Float32Array;
  unitKl: number[];
}

/** Each latent unit's use on the test images: the readout of which units the KL has switched off. */
export interface UnitSummary {
  /** The mean over the test images of unit u's KL, nats. */
  kl: number[];
  /** A_u = Cov_x(E_q[z_u]), the variance of μ_u over the test images (active-units.ts). */
  activity: number[];
  /** How many units have A_u above the threshold. */
  active: number;
  threshold: number;
}

/** What the snapshot shows: μ of all test images in order, the test loss (if any images give it), and each unit's KL and activity. */
export interface TestSummary {
  codes: Float32Array;
  testLoss: EvalResult | undefined;
  units: UnitSummary;
}

/** The shares of `workers` workers over `count` test images whose first `lossImages` give the loss. */
export function splitTestWork(count: number, lossImages: number, workers: number): TestShare[] {
  const n = Math.max(0, Math.min(lossImages, count));
  const k = Math.max(1, Math.floor(workers));
  const cut = (lo: number, hi: number, i: number) => lo + Math.floor(((hi - lo) * i) / k);
  return Array.from({ length: k }, (_, i) => ({ loss: [cut(0, n, i), cut(0, n, i + 1)], codes: [cut(n, count, i), cut(n, count, i + 1)] }));
}

/** Computes one share on `vae`; `seed` fixes the loss's ε (the same draws at every snapshot). */
export function computeTestShare(vae: Vae, test: ImageSet, lossImages: number, share: TestShare, seed: number): TestShareResult {
  const d = vae.spec.latentDim;
  const [l0, l1] = share.loss;
  const [c0, c1] = share.codes;
  const mu = new Float32Array((l1 - l0 + c1 - c0) * d);
  const unitKl = new Array<number>(d).fill(0);
  let reconstruction = 0;
  let kl = 0;
  if (l1 > l0) {
    const sums = lossSums(vae, sliceSet(test, 0, Math.min(lossImages, test.count)), l0, l1, { seed });
    reconstruction = sums.reconstruction;
    kl = sums.kl;
    mu.set(sums.mu);
    sums.unitKl.forEach((v, u) => (unitKl[u]! += v));
  }
  if (c1 > c0) {
    const code = encode(vae, toFloat(test, Array.from({ length: c1 - c0 }, (_, k) => c0 + k)));
    mu.set(code.mu, (l1 - l0) * d);
    if (code.logVar) {
      for (let i = 0; i < code.mu.length; i++) unitKl[i % d]! += 0.5 * (code.mu[i]! ** 2 + Math.exp(code.logVar[i]!) - code.logVar[i]! - 1);
    }
  }
  return { reconstruction, kl, mu, unitKl };
}

/** Puts the shares' results (in the order of `shares`) together. */
export function mergeTestShares(shares: TestShare[], results: TestShareResult[], count: number, lossImages: number, vae: Vae): TestSummary {
  const d = vae.spec.latentDim;
  const n = Math.max(0, Math.min(lossImages, count));
  const codes = new Float32Array(count * d);
  const unitKl = new Array<number>(d).fill(0);
  let reconstruction = 0;
  let kl = 0;
  shares.forEach((share, i) => {
    const r = results[i]!;
    const lossRows = share.loss[1] - share.loss[0];
    const codeRows = share.codes[1] - share.codes[0];
    if (r.mu.length !== (lossRows + codeRows) * d) throw new Error(`A snapshot share came back with ${r.mu.length / d} codes, not ${lossRows + codeRows}`);
    codes.set(r.mu.subarray(0, lossRows * d), share.loss[0] * d);
    codes.set(r.mu.subarray(lossRows * d), share.codes[0] * d);
    reconstruction += r.reconstruction;
    kl += r.kl;
    r.unitKl.forEach((v, u) => (unitKl[u]! += v));
  });
  const activity = columnVariances(codes, count, d);
  const units: UnitSummary = {
    kl: unitKl.map((v) => v / Math.max(count, 1)),
    activity,
    active: activity.filter((a) => a > ACTIVE_THRESHOLD).length,
    threshold: ACTIVE_THRESHOLD,
  };
  return { codes, testLoss: n === 0 ? undefined : meanLoss(n, { reconstruction, kl }, vae.spec.beta), units };
}

