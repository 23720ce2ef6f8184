/**
 * The score-function and pathwise gradient estimators of chapter 3 against the closed-form
 * gradients, and the closed forms themselves against central finite differences of a Monte
 * Carlo expectation that uses the same draws on both sides (common random numbers), drawn
 * from a generator that shares nothing with the engine's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanAndSd, pathwiseEstimate, repeatEstimates, scoreFunctionEstimate, TEST_FUNCTIONS, testFunction, type Gradient } from '../../src/vae/estimators.ts';
import { createRng } from '../../src/vae/random.ts';
import { gaussianSampler } from './helpers.ts';

const POINTS: [number, number][] = [
  [0, 1],
  [-1.3, 0.4],
  [0.7, 2],
];
const parts = ['mu', 'sigma'] as const;

test('both estimators are unbiased: the mean of many estimates is within 4 standard errors of the true gradient', () => {
  const repeats = 2000;
  for (const fn of TEST_FUNCTIONS) {
    for (const [mu, sigma] of POINTS) {
      const truth = fn.gradient(mu, sigma);
      const spread = repeatEstimates(fn, mu, sigma, 50, repeats, createRng(11));
      for (const which of ['score', 'pathwise'] as const) {
        // The step is flat wherever it has a derivative: the pathwise estimator cannot see its jump.
        if (fn.id === 'step' && which === 'pathwise') continue;
        for (const p of parts) {
          const { mean, sd } = meanAndSd(spread[which][p]);
          const se = sd / Math.sqrt(repeats);
          assert.ok(Math.abs(mean - truth[p]) < 4 * se + 1e-12, `${fn.id} ${which} ∂/∂${p} at (${mu}, ${sigma}): mean ${mean}, true ${truth[p]}, se ${se}`);
        }
      }
    }
  }
});

test('the pathwise estimator of the step is 0, so it is biased wherever the true gradient is not', () => {
  const step = testFunction('step');
  const spread = repeatEstimates(step, 0, 1, 100, 20, createRng(3));
  for (const p of parts) assert.ok(spread.pathwise[p].every((g) => g === 0));
  assert.ok(step.gradient(0, 1).mu > 0.39);
});

test('each estimator’s variance falls like 1/N: N · variance stays within a factor 1.5 from N = 10 to N = 1000', () => {
  const repeats = 1000;
  for (const fn of TEST_FUNCTIONS) {
    const scaled = [10, 100, 1000].map((n) => {
      const spread = repeatEstimates(fn, 0.3, 0.8, n, repeats, createRng(n));
      return { n, score: spread.score, pathwise: spread.pathwise };
    });
    for (const which of ['score', 'pathwise'] as const) {
      for (const p of parts) {
        const nVar = scaled.map((s) => s.n * meanAndSd(s[which][p]).sd ** 2);
        if (nVar.every((v) => v === 0)) continue; // the step's pathwise estimates
        const [lo, hi] = [Math.min(...nVar), Math.max(...nVar)];
        assert.ok(hi / lo < 1.5, `${fn.id} ${which} ∂/∂${p}: N·variance ${nVar.map((v) => v.toPrecision(3)).join(', ')}`);
      }
    }
  }
});

test('on the smooth bowl the score function spreads several times wider than the pathwise estimator; on the fast wiggle with σ ≥ 1 it is the other way round', () => {
  const sd = (id: string, mu: number, sigma: number) => {
    const spread = repeatEstimates(testFunction(id), mu, sigma, 10, 2000, createRng(5));
    return Object.fromEntries(
      (['score', 'pathwise'] as const).map((w) => [w, { mu: meanAndSd(spread[w].mu).sd, sigma: meanAndSd(spread[w].sigma).sd }]),
    ) as Record<'score' | 'pathwise', Gradient>;
  };
  for (const [mu, sigma] of POINTS) {
    const bowl = sd('bowl', mu, sigma);
    const wiggle = sd('wiggle', mu, sigma);
    for (const p of parts) {
      assert.ok(bowl.score[p] > 2 * bowl.pathwise[p], `bowl ∂/∂${p} at (${mu}, ${sigma}): ${bowl.score[p]} vs ${bowl.pathwise[p]}`);
      // h′ swings by ±ω while h stays within ±1; a narrow q (small σ) makes the score 1/σ large instead.
      if (sigma >= 1) assert.ok(wiggle.pathwise[p] > 2 * wiggle.score[p], `wiggle ∂/∂${p} at (${mu}, ${sigma}): ${wiggle.pathwise[p]} vs ${wiggle.score[p]}`);
    }
  }
});

test('on the bowl, one-sample variances of ∂/∂μ match the closed forms 4σ² (pathwise) and a⁴/σ² + 14a² + 15σ² (score), a = μ − t', () => {
  const bowl = testFunction('bowl');
  for (const [mu, sigma] of POINTS) {
    const a = mu - 2;
    const spread = repeatEstimates(bowl, mu, sigma, 1, 200_000, createRng(17));
    const path = meanAndSd(spread.pathwise.mu).sd ** 2;
    const score = meanAndSd(spread.score.mu).sd ** 2;
    assert.ok(Math.abs(path / (4 * sigma * sigma) - 1) < 0.02, `pathwise at (${mu}, ${sigma}): ${path}`);
    // The score's square has heavy tails (ε⁶), so its sample variance converges slowly.
    assert.ok(Math.abs(score / (a ** 4 / sigma ** 2 + 14 * a * a + 15 * sigma * sigma) - 1) < 0.06, `score at (${mu}, ${sigma}): ${score}`);
  }
});

test('with the same draws, one N-sample estimate of each kind is the formula it claims to be', () => {
  const bowl = testFunction('bowl');
  const eps = [0.5, -1, 2];
  // h = (z − 2)², z = μ + σε at μ = 1, σ = 2: z = 2, −1, 5; h = 0, 9, 9; h′ = 0, −6, 6.
  const s = scoreFunctionEstimate(bowl, 1, 2, eps);
  assert.ok(Math.abs(s.mu - (0 * 0.5 + 9 * -1 + 9 * 2) / 2 / 3) < 1e-12);
  assert.ok(Math.abs(s.sigma - (0 + 9 * 0 + 9 * 3) / 2 / 3) < 1e-12);
  const p = pathwiseEstimate(bowl, 1, 2, eps);
  assert.ok(Math.abs(p.mu - (0 - 6 + 6) / 3) < 1e-12);
  assert.ok(Math.abs(p.sigma - (0 + 6 + 12) / 3) < 1e-12);
});

test('the closed-form gradients match central differences of a Monte Carlo expectation with common random numbers', () => {
  const m = 400_000;
  const normal = gaussianSampler(2024);
  const eps = Float64Array.from({ length: m }, () => normal());
  for (const fn of TEST_FUNCTIONS) {
    // The step needs a step wide enough that many draws cross its jump.
    const h = fn.id === 'step' ? 0.05 : 1e-4;
    for (const [mu, sigma] of POINTS) {
      const truth = fn.gradient(mu, sigma);
      for (const p of parts) {
        // (f(z₊) − f(z₋)) / 2h per draw, with z± from the same ε; its mean is the difference quotient.
        const quotients = new Float64Array(m);
        for (let k = 0; k < m; k++) {
          const [muP, muM, sP, sM] = p === 'mu' ? [mu + h, mu - h, sigma, sigma] : [mu, mu, sigma + h, sigma - h];
          quotients[k] = (fn.f(muP + sP * eps[k]!) - fn.f(muM + sM * eps[k]!)) / (2 * h);
        }
        const { mean, sd } = meanAndSd(quotients);
        const tolerance = 5 * (sd / Math.sqrt(m)) + (fn.id === 'step' ? 0.01 : 1e-6);
        assert.ok(Math.abs(mean - truth[p]) < tolerance, `${fn.id} ∂/∂${p} at (${mu}, ${sigma}): finite difference ${mean}, closed form ${truth[p]}`);
      }
    }
  }
});
