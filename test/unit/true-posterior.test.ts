/**
 * The true posterior on a grid: logJoint against a float64 computation from the decoder's
 * logits, and the grid's evidence, moments, density levels and KL against closed forms for
 * Gaussians, where the answers are known.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeLogits } from '../../src/vae/infer.ts';
import { buildVae, disposeVae, type Vae } from '../../src/vae/model.ts';
import { MODEL_SPECS, PIXELS } from '../../src/vae/spec.ts';
import { boxAround, boxHolding, cellCentres, gridPosterior, klOnGrid, logJoint, massLevels, truePosterior, type Box } from '../../src/vae/true-posterior.ts';
import { assertClose, gaussianSampler, tf, uniformSampler, useWasm } from './helpers.ts';

let vae: Vae;

before(async () => {
  await useWasm();
  vae = buildVae(MODEL_SPECS['mnist-conv-z2']);
  const normal = gaussianSampler(5);
  for (const model of [vae.encoder, vae.decoder]) {
    const weights = model.getWeights().map((w) => {
      const fanIn = w.shape.length > 1 ? w.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 16;
      return tf.tensor(Float32Array.from({ length: w.size }, () => (1.1 * normal()) / Math.sqrt(fanIn)), w.shape);
    });
    model.setWeights(weights);
    tf.dispose(weights);
  }
});

after(() => disposeVae(vae));

/** log(1 + e^t) without overflow. */
const softplus = (t: number) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));

describe('logJoint', () => {
  test('is Σ_i [x_i log π_i + (1 − x_i) log(1 − π_i)] − ½‖z‖² − log 2π, computed here in float64', () => {
    const u = uniformSampler(8);
    const image = Float32Array.from({ length: PIXELS }, () => (u() < 0.7 ? 0 : u()));
    const z = [0, 0, 1.5, -0.5, -2, 2.5];
    const got = logJoint(vae, image, z);
    const logits = decodeLogits(vae, z);
    assert.equal(got.length, 3);
    for (let n = 0; n < 3; n++) {
      let want = -0.5 * (z[2 * n]! ** 2 + z[2 * n + 1]! ** 2) - Math.log(2 * Math.PI);
      for (let i = 0; i < PIXELS; i++) {
        const l = logits[n * PIXELS + i]!;
        // log σ(ℓ) = −softplus(−ℓ), log(1 − σ(ℓ)) = −softplus(ℓ).
        want += -image[i]! * softplus(-l) - (1 - image[i]!) * softplus(l);
      }
      assertClose(got[n]!, want, 1e-5 * Math.abs(want) + 1e-3, `log p(x, z) at z = (${z[2 * n]}, ${z[2 * n + 1]})`);
    }
  });

  test('leaves no tensors behind and refuses malformed input', () => {
    const image = new Float32Array(PIXELS).fill(0.5);
    logJoint(vae, image, [0, 0]);
    const before = tf.memory().numTensors;
    logJoint(vae, image, cellCentres({ x0: -1, x1: 1, y0: -1, y1: 1 }, 8));
    assert.equal(tf.memory().numTensors, before);
    assert.throws(() => logJoint(vae, image.subarray(2), [0, 0]), /one image of 784 pixels/);
    assert.throws(() => logJoint(vae, image, [0, 0, 1]), /multiple of 2/);
    assert.equal(tf.memory().numTensors, before);
  });
});

/** A correlated Gaussian N(m, S), S = [[a, b], [b, c]], scaled by e^{logZ}: a log joint whose evidence is logZ. */
function gaussian(m: [number, number], s: [number, number, number], logZ: number) {
  const [a, b, c] = s;
  const det = a * c - b * b;
  return (z1: number, z2: number) => {
    const [d1, d2] = [z1 - m[0], z2 - m[1]];
    const maha = (c * d1 * d1 - 2 * b * d1 * d2 + a * d2 * d2) / det;
    return logZ - 0.5 * maha - Math.log(2 * Math.PI) - 0.5 * Math.log(det);
  };
}

function onGrid(f: (z1: number, z2: number) => number, box: Box, side: number): Float64Array {
  const z = cellCentres(box, side);
  return Float64Array.from({ length: side * side }, (_, k) => f(z[2 * k]!, z[2 * k + 1]!));
}

describe('the grid posterior', () => {
  const m: [number, number] = [0.3, -0.2];
  const s: [number, number, number] = [0.04 ** 2, -0.6 * 0.04 * 0.02, 0.02 ** 2];
  const logZ = -123.4;
  const box = boxAround(m, [0.04, 0.02], 6);

  test('cells run row by row from the top left', () => {
    const z = cellCentres({ x0: 0, x1: 4, y0: 0, y1: 2 }, 2);
    assert.deepEqual(Array.from(z), [1, 1.5, 3, 1.5, 1, 0.5, 3, 0.5]);
  });

  test('recovers the evidence, mean and covariance of a tilted Gaussian, with no mass at the edge', () => {
    const grid = gridPosterior(onGrid(gaussian(m, s, logZ), box, 40), box, 40);
    assertClose(grid.logEvidence, logZ, 1e-4, 'log evidence');
    assertClose(grid.mean[0], m[0], 1e-5, 'mean z₁');
    assertClose(grid.mean[1], m[1], 1e-5, 'mean z₂');
    for (let k = 0; k < 3; k++) assertClose(grid.cov[k]!, s[k]!, 1e-3 * s[0], `covariance entry ${k}`);
    assert.ok(grid.edgeMass < 1e-6, `edge mass ${grid.edgeMass}`);
    const total = Array.from(grid.logMass, Math.exp).reduce((x, y) => x + y, 0);
    assertClose(total, 1, 1e-9, 'the cells’ masses sum to 1');
  });

  test('says when the box misses part of the posterior', () => {
    const narrow = boxAround(m, [0.04, 0.02], 1.5);
    assert.ok(gridPosterior(onGrid(gaussian(m, s, logZ), narrow, 30), narrow, 30).edgeMass > 0.05);
  });

  test('the 1σ and 2σ mass levels are the Gaussian’s density at Mahalanobis distance 1 and 2, times the cell area', () => {
    // A level comes from whole cells, so it wobbles by a few per cent on coarse grids.
    const side = 120;
    const grid = gridPosterior(onGrid(gaussian(m, s, logZ), box, side), box, side);
    const cell = ((box.x1 - box.x0) / side) * ((box.y1 - box.y0) / side);
    const peak = cell / (2 * Math.PI * Math.sqrt(s[0] * s[2] - s[1] * s[1]));
    const [one, two] = massLevels(grid, [1 - Math.exp(-0.5), 1 - Math.exp(-2)]);
    assertClose(one! / (peak * Math.exp(-0.5)), 1, 0.02, '1σ level');
    assertClose(two! / (peak * Math.exp(-2)), 1, 0.02, '2σ level');
  });

  test('KL(q ‖ posterior) matches the closed form for two Gaussians, and is 0 for q = posterior', () => {
    const mu = [0.33, -0.18];
    const sigma = [0.05, 0.03];
    // KL(N(μ, Σq) ‖ N(m, S)) = ½ [tr(S⁻¹Σq) + (m − μ)ᵀ S⁻¹ (m − μ) − 2 + log(det S / det Σq)].
    const [a, b, c] = s;
    const det = a * c - b * b;
    const [d1, d2] = [m[0] - mu[0]!, m[1] - mu[1]!];
    const trace = (c * sigma[0]! ** 2 + a * sigma[1]! ** 2) / det;
    const maha = (c * d1 * d1 - 2 * b * d1 * d2 + a * d2 * d2) / det;
    const want = 0.5 * (trace + maha - 2 + Math.log(det / (sigma[0]! ** 2 * sigma[1]! ** 2)));
    const coarse = gridPosterior(onGrid(gaussian(m, s, logZ), box, 24), box, 24);
    const wide = boxHolding(coarse, mu, sigma);
    // The fine box holds q's ±4σ and the coarse posterior's ±5 standard deviations.
    const holds = (outer: Box, inner: Box) => outer.x0 <= inner.x0 && outer.x1 >= inner.x1 && outer.y0 <= inner.y0 && outer.y1 >= inner.y1;
    assert.ok(holds(wide, boxAround(mu, sigma, 4)));
    assert.ok(holds(wide, boxAround(coarse.mean, [Math.sqrt(coarse.cov[0]), Math.sqrt(coarse.cov[2])], 5)));
    const grid = gridPosterior(onGrid(gaussian(m, s, logZ), wide, 80), wide, 80);
    assertClose(klOnGrid(grid, mu, sigma), want, 1e-3 * want + 1e-4, 'KL');
    const diagonal: [number, number, number] = [sigma[0]! ** 2, 0, sigma[1]! ** 2];
    const same = gridPosterior(onGrid(gaussian([mu[0]!, mu[1]!], diagonal, 0), wide, 80), wide, 80);
    assertClose(klOnGrid(same, mu, sigma), 0, 1e-6, 'KL(q ‖ q)');
  });

  test('truePosterior finds a posterior far off q’s centre, wider than q, and measures it', async () => {
    // q says (0, 0) ± 0.02; the posterior sits 15 of q's σ away, tilted, and twice as wide.
    const mu = [0, 0];
    const sigma = [0.02, 0.02];
    const far: [number, number] = [0.3, -0.12];
    const cov: [number, number, number] = [0.04 ** 2, 0.5 * 0.04 * 0.03, 0.03 ** 2];
    const f = gaussian(far, cov, -80);
    let calls = 0;
    const result = await truePosterior((z) => {
      calls++;
      return Float32Array.from({ length: z.length / 2 }, (_, k) => f(z[2 * k]!, z[2 * k + 1]!));
    }, mu, sigma);
    assert.ok(result);
    const { grid, decoded } = result;
    assert.ok(grid.edgeMass < 1e-3, `edge mass ${grid.edgeMass}`);
    assertClose(grid.logEvidence, -80, 1e-3, 'log evidence');
    assertClose(grid.mean[0], far[0], 1e-4, 'mean z₁');
    assertClose(grid.mean[1], far[1], 1e-4, 'mean z₂');
    for (let k = 0; k < 3; k++) assertClose(grid.cov[k]!, cov[k]!, 2e-3 * cov[0], `covariance entry ${k}`);
    assert.equal(decoded, 32 * 32 + (calls - 1) * 40 * 40);
  });

  test('truePosterior stops when the evaluator cancels', async () => {
    let calls = 0;
    const result = await truePosterior(() => (++calls === 2 ? undefined : new Float32Array(32 * 32)), [0, 0], [1, 1]);
    assert.equal(result, undefined);
    assert.equal(calls, 2);
  });
});
