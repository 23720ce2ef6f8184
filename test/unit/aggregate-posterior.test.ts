/**
 * The aggregate posterior q(z) = (1/N) Σ q(z|xᵢ): its exact cell masses against a Monte Carlo
 * histogram drawn with a generator the module does not use, its holes against a case worked out
 * by hand, and R = I(x; z) + KL(q(z) ‖ p(z)) against cases with known answers and against a
 * second, independent estimate of the marginal KL.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aggregateCodes, cellMasses, cellMassesInSlices, cellOf, holes, logAggregateDensity, rateDecomposition, type Posteriors2d } from '../../src/vae/aggregate-posterior.ts';
import { normalCdf } from '../../src/vae/normal.ts';
import { gaussianSampler, uniformSampler } from './helpers.ts';

/** A mixture of a few posteriors, some as narrow as a trained VAE's (σ = 0.03). */
const mixture: Posteriors2d = {
  count: 4,
  mu: [-1.2, 0.4, 0.9, 1.1, 0.3, -1.5, 2.2, -0.3],
  logVar: [Math.log(0.03 ** 2), Math.log(0.05 ** 2), Math.log(0.4 ** 2), Math.log(0.2 ** 2), 0, Math.log(0.6 ** 2), Math.log(0.1 ** 2), Math.log(0.1 ** 2)],
};

describe('cellMasses', () => {
  test('each cell holds the share of 400,000 draws from q(z) that lands in it, within 5 standard errors', () => {
    const grid = { lo: -3, hi: 3, n: 24 };
    const { q } = cellMasses(mixture, grid);
    const pick = uniformSampler(11);
    const normal = gaussianSampler(12);
    const draws = 400_000;
    const counts = new Float64Array(grid.n * grid.n);
    for (let k = 0; k < draws; k++) {
      const i = Math.floor(pick() * mixture.count);
      const z1 = mixture.mu[2 * i]! + Math.exp(0.5 * mixture.logVar[2 * i]!) * normal();
      const z2 = mixture.mu[2 * i + 1]! + Math.exp(0.5 * mixture.logVar[2 * i + 1]!) * normal();
      const cell = cellOf(grid, z1, z2);
      if (cell >= 0) counts[cell]!++;
    }
    let worst = 0;
    for (let c = 0; c < q.length; c++) {
      const share = counts[c]! / draws;
      const se = Math.sqrt(Math.max(q[c]!, 1 / draws) * (1 - q[c]!) / draws);
      worst = Math.max(worst, Math.abs(share - q[c]!) / se);
    }
    assert.ok(worst < 5, `a cell is ${worst.toFixed(1)} standard errors from its Monte Carlo share`);
  });

  test('the prior’s masses add up to (Φ(3) − Φ(−3))², and a component narrower than a cell keeps all its mass', () => {
    const grid = { lo: -3, hi: 3, n: 12 };
    const { p } = cellMasses(mixture, grid);
    const total = p.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - (normalCdf(3) - normalCdf(-3)) ** 2) < 1e-12, `${total}`);
    // The centre cell [0, 0.5]²: (Φ(0.5) − Φ(0))².
    assert.ok(Math.abs(p[6 * 12 + 6]! - (normalCdf(0.5) - 0.5) ** 2) < 1e-14);
    const narrow: Posteriors2d = { count: 1, mu: [0.25, -0.25], logVar: [Math.log(1e-4), Math.log(1e-4)] };
    const { q } = cellMasses(narrow, grid);
    assert.ok(Math.abs(q[5 * 12 + 6]! - 1) < 1e-12, 'all of a σ = 0.01 posterior in the cell around its mean');
    assert.ok(Math.abs(q.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });

  test('in slices, with a pause between them, the masses are the same to the last bit', async () => {
    const normal = gaussianSampler(21);
    const count = 2501;
    const many: Posteriors2d = {
      count,
      mu: Array.from({ length: 2 * count }, () => 1.5 * normal()),
      logVar: Array.from({ length: 2 * count }, () => Math.log((0.02 + 0.3 * Math.abs(normal())) ** 2)),
    };
    const grid = { lo: -4, hi: 4, n: 48 };
    const whole = cellMasses(many, grid);
    let pauses = 0;
    const sliced = await cellMassesInSlices(many, grid, async () => void pauses++, 1000);
    assert.equal(pauses, 2, 'a pause between each two of the three slices');
    assert.deepEqual(sliced.q, whole.q);
    assert.deepEqual(sliced.p, whole.p);
    await assert.rejects(cellMassesInSlices(many, grid, async () => {}, 0), /whole number of posteriors/);
  });

  test('refuses a grid without cells and posteriors that are not finite, in words', () => {
    assert.throws(() => cellMasses(mixture, { lo: 1, hi: 1, n: 4 }), /lo < hi/);
    assert.throws(() => cellMasses(mixture, { lo: -1, hi: 1, n: 0 }), /whole number of cells/);
    assert.throws(() => cellMasses({ count: 1, mu: [0, NaN], logVar: [0, 0] }, { lo: -1, hi: 1, n: 4 }), /not finite/);
    assert.throws(() => cellMasses({ count: 2, mu: [0, 0], logVar: [0, 0] }, { lo: -1, hi: 1, n: 4 }), /Expected 4/);
  });
});

describe('holes', () => {
  test('the holes are the cells where q < 0.1·p and p is above 1 % of its peak, by masses computed a second way (midpoint rule, 10 × 10 points a cell)', () => {
    const broad: Posteriors2d = { count: 3, mu: [1.5, 1.5, 2, -0.5, -1, 2], logVar: [Math.log(0.09), Math.log(0.16), Math.log(0.36), Math.log(0.25), Math.log(0.16), Math.log(0.36)] };
    const grid = { lo: -4, hi: 4, n: 32 };
    const found = holes(cellMasses(broad, grid));
    const w = (grid.hi - grid.lo) / grid.n;
    const density = (z1: number, z2: number, m1: number, m2: number, v1: number, v2: number) => Math.exp(-0.5 * ((z1 - m1) ** 2 / v1 + (z2 - m2) ** 2 / v2)) / (2 * Math.PI * Math.sqrt(v1 * v2));
    const q = new Float64Array(grid.n * grid.n);
    const p = new Float64Array(grid.n * grid.n);
    for (let r = 0; r < grid.n; r++) {
      for (let c = 0; c < grid.n; c++) {
        for (let a = 0; a < 10; a++) {
          for (let b = 0; b < 10; b++) {
            const [z1, z2] = [grid.lo + (c + (b + 0.5) / 10) * w, grid.lo + (r + (a + 0.5) / 10) * w];
            const area = (w / 10) ** 2;
            p[r * grid.n + c]! += area * density(z1, z2, 0, 0, 1, 1);
            for (let i = 0; i < broad.count; i++) q[r * grid.n + c]! += (area / broad.count) * density(z1, z2, broad.mu[2 * i]!, broad.mu[2 * i + 1]!, Math.exp(broad.logVar[2 * i]!), Math.exp(broad.logVar[2 * i + 1]!));
          }
        }
      }
    }
    const peak = Math.max(...p);
    let expected = 0;
    let checked = 0;
    for (let k = 0; k < p.length; k++) {
      const ratio = q[k]! / p[k]!;
      // Cells within 5 % of either threshold may fall either way under the two methods.
      if (Math.abs(ratio / 0.1 - 1) < 0.05 || Math.abs(p[k]! / peak / 0.01 - 1) < 0.05) continue;
      const hole = p[k]! >= 0.01 * peak && ratio < 0.1;
      assert.equal(found.mask[k], hole ? 1 : 0, `cell ${k}: q/p = ${ratio}`);
      if (hole) expected += p[k]!;
      checked++;
    }
    assert.ok(checked > 0.95 * p.length, `${checked} cells checked`);
    assert.ok(found.priorMassInHoles > 0.3 && Math.abs(found.priorMassInHoles - expected) < 0.01, `${found.priorMassInHoles} vs ${expected}`);
  });

  test('one narrow posterior far from the origin leaves nearly all of the prior in holes, and holds nearly none of its own mass there', () => {
    const far: Posteriors2d = { count: 1, mu: [3.5, 3.5], logVar: [Math.log(0.04), Math.log(0.04)] };
    const found = holes(cellMasses(far, { lo: -4, hi: 4, n: 40 }));
    assert.ok(found.priorMassInHoles > 0.95, `${found.priorMassInHoles}`);
    assert.ok(found.aggregateMassInHoles < 0.01, `${found.aggregateMassInHoles}`);
  });

  test('q(z) = p(z) has no holes', () => {
    const prior: Posteriors2d = { count: 1, mu: [0, 0], logVar: [0, 0] };
    assert.equal(holes(cellMasses(prior, { lo: -4, hi: 4, n: 32 })).priorMassInHoles, 0);
  });
});

describe('rateDecomposition', () => {
  test('one image: I(x; z) = 0 exactly, so the marginal KL is the rate, in closed form', () => {
    const one: Posteriors2d = { count: 1, mu: [1, -2], logVar: [Math.log(0.25), Math.log(4)] };
    const r = rateDecomposition(one, 200);
    // KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − 1 − ln σ²) per dimension.
    const rate = 0.5 * (0.25 + 1 - 1 - Math.log(0.25)) + 0.5 * (4 + 4 - 1 - Math.log(4));
    assert.ok(Math.abs(r.rate - rate) < 1e-12);
    assert.ok(Math.abs(r.mutualInformation) < 1e-12);
    assert.ok(Math.abs(r.marginalKl - rate) < 1e-12);
    assert.equal(r.maxInformation, 0);
  });

  test('N images with narrow, far-apart posteriors: z names its image, so I(x; z) = ln N', () => {
    const n = 8;
    const apart: Posteriors2d = { count: n, mu: Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? 3 * Math.floor(k / 2) - 10 : 0)), logVar: Array.from({ length: 2 * n }, () => Math.log(0.01 ** 2)) };
    const r = rateDecomposition(apart, 500);
    assert.ok(Math.abs(r.mutualInformation - Math.log(n)) < 1e-9, `${r.mutualInformation} vs ln ${n}`);
    assert.equal(r.maxInformation, Math.log(n));
  });

  test('R − I agrees with a direct Monte Carlo estimate of KL(q(z) ‖ p(z)) = E_q[log q(z) − log p(z)], within their errors', () => {
    const r = rateDecomposition(mixture, 20_000, 3);
    // The direct estimate, with draws of its own.
    const { z } = aggregateCodes(mixture, 20_000, 99);
    let sum = 0;
    let sumSq = 0;
    for (let k = 0; k < 20_000; k++) {
      const [z1, z2] = [z[2 * k]!, z[2 * k + 1]!];
      const term = logAggregateDensity(mixture, z1, z2) - (-Math.log(2 * Math.PI) - 0.5 * (z1 * z1 + z2 * z2));
      sum += term;
      sumSq += term * term;
    }
    const direct = sum / 20_000;
    const se = Math.sqrt((sumSq / 20_000 - direct ** 2) / 20_000);
    const tolerance = 4 * Math.hypot(se, r.standardError);
    assert.ok(Math.abs(r.marginalKl - direct) < tolerance, `R − I = ${r.marginalKl}, direct ${direct} ± ${tolerance}`);
    assert.ok(r.mutualInformation >= 0 && r.mutualInformation <= r.maxInformation + 4 * r.standardError);
  });
});
