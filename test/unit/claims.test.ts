/**
 * Checked claims: every number the prose prints with <Claim id="…" /> is recomputed here.
 *
 * For every group src/claims/<group>.json: its module scripts/lib/claims/<group>.ts computes
 * exactly the ids the file stores, and each computed value displays as the stored one does (so a
 * change that moves a printed number fails, and float noise does not). Every <Claim id> in a
 * chapter exists. Groups marked slow (scripts/lib/claims/<group>.slow) run too, unless
 * CLAIMS=fast. The formatting itself is checked on the contract's examples, and the formulas
 * group against second, independent methods: Monte Carlo with a PRNG the engine does not use,
 * numeric integrals, exact sums, and the shipped models' metrics.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { displayClaim } from '../../src/claims/format.ts';
import { findClaim } from '../../src/claims/read.ts';
import { pathwiseEstimate, scoreFunctionEstimate, type TestFunction } from '../../src/vae/estimators.ts';
import { reconstructionLoss } from '../../src/vae/loss.ts';
import { chosenSpec, MODEL_SPECS, PIXELS } from '../../src/vae/spec.ts';
import { computeGroup, COMPUTE_DIR, groupNames, slowReason } from '../../scripts/lib/claim-groups.ts';
import { checkGroup } from './claim-group-check.ts';
import { ROOT } from '../../scripts/lib/files.ts';
import { logGamma, logRegularizedLowerGamma } from '../../scripts/lib/special-functions.ts';
import { assertClose, gaussianSampler, tf, uniformSampler, useWasm } from './helpers.ts';

const CHAPTERS = join(ROOT, 'src', 'content', 'chapters');

describe('claim formatting', () => {
  const show = (value: number, digits: number, format?: 'number' | 'percent' | 'pow10' | 'times10') => displayClaim(format ? { value, digits, format } : { value, digits });

  test('number: fixed decimals with separators; negative digits round to tens and hundreds', () => {
    assert.equal(show(543.4273895589971, 0).text, '543');
    assert.equal(show(640000, 0).text, '640,000');
    assert.equal(show(1.9364916731037085, 1).text, '1.9');
    assert.equal(show(0.0251, 3).text, '0.025');
    assert.equal(show(2293, -2).text, '2,300');
    assert.equal(show(2250, -2).text, '2,300');
    assert.equal(show(2293, -1).text, '2,290');
    assert.equal(show(2, 2).text, '2.00');
  });

  test('number: a true minus sign, and no "−0"', () => {
    assert.equal(show(-1234.56, 1).text, '\u22121,234.6');
    assert.equal(show(-0.004, 2).text, '0.00');
  });

  test('percent: 100 × value, without the sign', () => {
    assert.equal(show(0.865, 1, 'percent').text, '86.5');
    assert.equal(show(0.39346934028736658, 0, 'percent').text, '39');
    assert.equal(show(1 / 225, 2, 'percent').text, '0.44');
  });

  test('pow10: the nearest power of ten, as a superscript', () => {
    assert.deepEqual(show(1.1e-5, 0, 'pow10'), { text: '10⁻⁵', html: '10<sup>\u22125</sup>' });
    assert.equal(show(4.3e23, 0, 'pow10').text, '10²⁴');
    assert.equal(show(3e23, 0, 'pow10').text, '10²³');
    assert.equal(show(1, 0, 'pow10').text, '10⁰');
    assert.throws(() => show(0, 0, 'pow10'), /positive/);
  });

  test('times10: a mantissa in [1, 10) with `digits` decimals, rolling over at 10', () => {
    assert.deepEqual(show(2.8e46, 0, 'times10'), { text: '3\u00a0×\u00a010⁴⁶', html: '3\u00a0×\u00a010<sup>46</sup>' });
    assert.equal(show(2.81474976710656e46, 1, 'times10').text, '2.8\u00a0×\u00a010⁴⁶');
    assert.equal(show(9.96e46, 0, 'times10').text, '1\u00a0×\u00a010⁴⁷');
    assert.equal(show(1000, 0, 'times10').text, '1\u00a0×\u00a010³');
    assert.equal(show(-4.2e-7, 1, 'times10').text, '\u22124.2\u00a0×\u00a010⁻⁷');
  });

  test('a value that is not finite, or a fractional digits, is refused', () => {
    assert.throws(() => show(NaN, 1), /finite/);
    assert.throws(() => show(1, 1.5), /whole/);
  });
});

describe('claim groups', () => {
  const groups = groupNames();

  test('there are groups, and every compute module or slow marker belongs to one', () => {
    assert.ok(groups.includes('formulas'), 'src/claims/formulas.json exists');
    for (const file of readdirSync(COMPUTE_DIR)) {
      const group = file.replace(/\.(ts|slow)$/, '');
      assert.ok(groups.includes(group), `scripts/lib/claims/${file} has no src/claims/${group}.json`);
    }
  });

  // Each slow group has a file of its own in claims-slow/ and runs there, beside the other files.
  test('every slow group has its file in claims-slow/, and no other group does', () => {
    const slow = groups.filter((g) => slowReason(g) !== undefined).sort();
    const files = readdirSync(join(ROOT, 'test', 'unit', 'claims-slow')).map((f) => f.replace(/\.test\.ts$/, '')).sort();
    assert.deepEqual(files, slow);
    for (const group of slow) {
      const text = readFileSync(join(ROOT, 'test', 'unit', 'claims-slow', `${group}.test.ts`), 'utf8');
      assert.match(text, new RegExp(`checkGroup\\('${group}'\\)`), `claims-slow/${group}.test.ts checks its own group`);
    }
  });

  for (const group of groups.filter((g) => slowReason(g) === undefined)) checkGroup(group);

  test('every <Claim id> in a chapter names a stored claim', () => {
    const files = readdirSync(CHAPTERS).filter((f) => f.endsWith('.mdx'));
    const missing: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(CHAPTERS, file), 'utf8');
      for (const tag of text.matchAll(/<Claim\b[^>]*>/g)) {
        const id = /\bid=(?:"([^"]*)"|'([^']*)')/.exec(tag[0]);
        if (!id) {
          missing.push(`${file}: ${tag[0]} has no literal id`);
          continue;
        }
        try {
          findClaim(id[1] ?? id[2]!, join(ROOT, 'src', 'claims'));
        } catch (err) {
          missing.push(`${file}: ${(err as Error).message}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe('formulas: second methods', () => {
  let values: Record<string, number>;
  const v = (name: string) => {
    const value = values[`formulas.${name}`];
    if (value === undefined) throw new Error(`formulas.${name} is not computed`);
    return value;
  };

  before(async () => {
    await useWasm();
    values = await computeGroup('formulas');
  });

  /** The share of true results of `draw` over n tries, and its standard error. */
  function share(n: number, draw: () => boolean): { p: number; se: number } {
    let hits = 0;
    for (let k = 0; k < n; k++) if (draw()) hits++;
    const p = hits / n;
    return { p, se: Math.sqrt((p * (1 - p)) / n) };
  }

  function moments(n: number, draw: () => number): { mean: number; sd: number; variance: number } {
    let sum = 0;
    let sumSq = 0;
    for (let k = 0; k < n; k++) {
      const x = draw();
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    const variance = (sumSq - n * mean * mean) / (n - 1);
    return { mean, variance, sd: Math.sqrt(variance) };
  }

  /** ∫ₐᵇ f by composite Simpson's rule with n (even) intervals. */
  function simpson(f: (x: number) => number, a: number, b: number, n = 2000): number {
    const h = (b - a) / n;
    let s = f(a) + f(b);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
    return (s * h) / 3;
  }
  const density = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

  /** ln n! as a plain sum of logarithms. */
  const logFactorial = (n: number) => {
    let s = 0;
    for (let k = 2; k <= n; k++) s += Math.log(k);
    return s;
  };

  test('784 ln 2 is the engine’s reconstruction loss of any grey image against logits 0', () => {
    const u = uniformSampler(11);
    const x = Float32Array.from({ length: 3 * PIXELS }, () => (u() < 0.3 ? u() : u() < 0.5 ? 0 : 1));
    const loss = tf.tidy(() => reconstructionLoss(tf.tensor4d(x, [3, 28, 28, 1]), tf.zeros([3, 28, 28, 1])).arraySync() as number[]);
    for (const l of loss) assertClose(l, v('bceUniform'), 1e-3, 'summed BCE against 0.5');
  });

  test('the mass of a 2-D standard normal within radius 1 and 2, by Monte Carlo', () => {
    const g = gaussianSampler(21);
    for (const [name, r] of [['gauss2dMass1', 1], ['gauss2dMass2', 2]] as const) {
      const { p, se } = share(400_000, () => Math.hypot(g(), g()) <= r);
      assertClose(p, v(name), 4 * se, `P(‖w‖ ≤ ${r})`);
    }
  });

  test('the bowl’s estimator variances, and the √(15/4) ratio at a = 0, by Monte Carlo with the engine’s estimators', () => {
    /** The bowl (z − m)² with target m; the engine's own bowl fixes m = 2. */
    const bowl = (m: number): TestFunction => ({
      id: 'bowl',
      label: 'bowl',
      f: (z) => (z - m) ** 2,
      df: (z) => 2 * (z - m),
      gradient: (mu, sigma) => ({ mu: 2 * (mu - m), sigma: 2 * sigma }),
    });
    const g = gaussianSampler(31);
    const n = 400_000;
    const one = new Float64Array(1);
    for (const [a, sigma] of [[0, 1], [1.5, 0.7], [-0.8, 1.3]] as const) {
      const m = 0.4;
      const fn = bowl(m);
      const mu = m + a;
      let sPath = 0;
      let sScore = 0;
      let ssPath = 0;
      let ssScore = 0;
      for (let k = 0; k < n; k++) {
        one[0] = g();
        const path = pathwiseEstimate(fn, mu, sigma, one).mu;
        const score = scoreFunctionEstimate(fn, mu, sigma, one).mu;
        sPath += path;
        sScore += score;
        ssPath += path * path;
        ssScore += score * score;
      }
      const varPath = (ssPath - (sPath * sPath) / n) / (n - 1);
      const varScore = (ssScore - (sScore * sScore) / n) / (n - 1);
      // Var ĝ_path = 4σ², Var ĝ_score = a⁴/σ² + 14a² + 15σ²; the score's heavy tails (ε⁶ and up) need a few percent.
      assertClose(varPath / (4 * sigma * sigma), 1, 0.01, `Var ĝ_path at a = ${a}, σ = ${sigma}, relative to 4σ²`);
      assertClose(varScore / (a ** 4 / sigma ** 2 + 14 * a * a + 15 * sigma * sigma), 1, 0.05, `Var ĝ_score at a = ${a}, σ = ${sigma}, relative to the formula`);
      if (a === 0) assertClose(Math.sqrt(varScore / varPath), v('bowlSdRatio'), 0.03 * v('bowlSdRatio'), 'the ratio of standard deviations');
    }
    assertClose(v('bowlSdRatio'), Math.sqrt(15 / 4), 1e-12, '√(15/4)');
  });

  test('the linear grid’s corner and centre cells, by Simpson’s rule on φ', () => {
    const side = (a: number, b: number) => simpson(density, a, b);
    assertClose(v('linearCornerMass') / side(2.6, 3) ** 2, 1, 1e-9, 'corner: (Φ(3) − Φ(2.6))²');
    assertClose(v('linearCentreMass') / side(-0.2, 0.2) ** 2, 1, 1e-9, 'centre: (Φ(0.2) − Φ(−0.2))²');
    assert.equal(v('linearCornerMassPercent'), v('linearCornerMass'));
    assert.equal(v('linearCentreMassPercent'), v('linearCentreMass'));
    assertClose(v('linearMassRatio'), side(-0.2, 0.2) ** 2 / side(2.6, 3) ** 2, 1e-6, 'centre / corner');
    assertClose(v('gaussCellMass'), 1 / 225, 1e-14, 'a Gaussian-grid cell');
  });

  test('the textbook slerp’s midpoint is (a + b)/(2 cos(Ω/2)); the engine’s has norm (|a| + |b|)/2', () => {
    const omega = (179 * Math.PI) / 180;
    const a = [1.6, 0];
    const b = [0.8 * Math.cos(omega), 0.8 * Math.sin(omega)];
    assertClose(v('slerpNaiveMidpointNorm'), Math.hypot(a[0]! + b[0]!, a[1]! + b[1]!) / (2 * Math.cos(omega / 2)), 1e-9, 'textbook midpoint norm');
    assertClose(v('slerpSafeMidpointNorm'), (1.6 + 0.8) / 2, 1e-12, 'engine midpoint norm');
  });

  test('log-gamma agrees with exact factorials and half-integer values', () => {
    for (const n of [1, 2, 5, 14, 15, 40, 256]) assertClose(logGamma(n + 1), logFactorial(n), 1e-12 * Math.max(1, logFactorial(n)), `ln ${n}!`);
    // Γ(n + ½) = (2n)! √π / (4ⁿ n!)
    for (const n of [0, 3, 20, 256]) assertClose(logGamma(n + 0.5), logFactorial(2 * n) + 0.5 * Math.log(Math.PI) - n * Math.log(4) - logFactorial(n), 1e-11 * Math.max(1, n * 10), `ln Γ(${n} + ½)`);
  });

  test('the norm of z ~ N(0, I₅₁₂): mean, spread and the midpoints’ distance inside the shell, by Monte Carlo', () => {
    const g = gaussianSampler(41);
    const norms = moments(20_000, () => {
      let s = 0;
      for (let i = 0; i < 512; i++) s += g() ** 2;
      return Math.sqrt(s);
    });
    // E‖z‖ = √2 Γ(256.5)/Γ(256), with Γ(n + ½) = (2n)! √π / (4ⁿ n!) and Γ(256) = 255!.
    const exactMean = Math.SQRT2 * Math.exp(logFactorial(512) + 0.5 * Math.log(Math.PI) - 256 * Math.log(4) - logFactorial(256) - logFactorial(255));
    // 512 − (E‖z‖)² cancels about three digits, and the sums of logarithms carry rounding.
    assertClose(v('shellSd'), Math.sqrt(512 - exactMean ** 2), 1e-7, 'sd from exact factorials');
    assertClose(norms.mean, exactMean, 4 * (norms.sd / Math.sqrt(20_000)), 'E‖z‖');
    assertClose(norms.sd, v('shellSd'), 0.02, 'sd ‖z‖');
    assertClose(v('shellNorm512'), Math.sqrt(512), 1e-12, '√512');
    assertClose(v('shellMidNorm512'), 16, 1e-12, '√256');
    assertClose(v('shellSdsInside'), (exactMean - 16) / Math.sqrt(512 - exactMean ** 2), 1e-6, '(E‖z‖ − 16)/sd');
  });

  test('P(χ²₅₁₂ ≤ 256) equals the Poisson tail P(N ≥ 256), N ~ Poisson(128), and keeps under the Chernoff bound', () => {
    // P(a, x) = P(Poisson(x) ≥ a) for whole a: Σ_{k ≥ 256} e^{−128} 128ᵏ / k!, summed in log space.
    const logTerms: number[] = [];
    for (let k = 256, logF = logFactorial(256); k < 2000; k++, logF += Math.log(k)) logTerms.push(-128 + k * Math.log(128) - logF);
    const top = Math.max(...logTerms);
    const logTail = top + Math.log(logTerms.reduce((s, t) => s + Math.exp(t - top), 0));
    assertClose(Math.log(v('shellTailProb')), logTail, 1e-9, 'ln P(256, 128)');
    // P(χ²_k ≤ tk) ≤ (t e^{1 − t})^{k/2} for t < 1; here t = ½.
    assert.ok(v('shellTailProb') <= Math.exp(256 * (Math.log(0.5) + 0.5)), 'under the Chernoff bound');
    // And the series on a case with a closed form: P(1, x) = 1 − e^{−x}.
    assertClose(Math.exp(logRegularizedLowerGamma(1, 0.3)), 1 - Math.exp(-0.3), 1e-15, 'P(1, 0.3)');
  });

  test('the 2-D χ: mean, spread and the midpoints’ mean, by Monte Carlo', () => {
    const g = gaussianSampler(51);
    const n = 400_000;
    const r = moments(n, () => Math.hypot(g(), g()));
    assertClose(r.mean, v('chiMean2'), 4 * (r.sd / Math.sqrt(n)), 'E‖z‖');
    assertClose(r.sd, v('chiSd2'), 0.005, 'sd ‖z‖');
    const mid = moments(n, () => Math.hypot((g() + g()) / 2, (g() + g()) / 2));
    assertClose(mid.mean, v('chiMidMean2'), 4 * (mid.sd / Math.sqrt(n)), 'E‖(a + b)/2‖');
    assertClose(v('chiMean2'), Math.sqrt(Math.PI / 2), 1e-12, '√(π/2)');
    assertClose(v('chiMidMean2'), Math.sqrt(Math.PI) / 2, 1e-12, '√π/2');
  });

  test('the MLP over the conv model: parameters as the shipped models count them, FLOPs by hand', () => {
    // The panel's 2-D MNIST choices build the specs of the shipped mnist-mlp-z2 and mnist-conv-z2.
    const shipped = (id: 'mnist-mlp-z2' | 'mnist-conv-z2') => JSON.parse(readFileSync(join(ROOT, 'public', 'weights', id, 'metrics.json'), 'utf8')) as { params: number };
    for (const [arch, id] of [['mlp', 'mnist-mlp-z2'], ['conv', 'mnist-conv-z2']] as const) {
      const { arch: a, kind, latentDim, hidden, dataset } = chosenSpec({ dataset: 'mnist', arch, latentDim: 2, beta: 1 });
      const s = MODEL_SPECS[id];
      assert.deepEqual({ a, kind, latentDim, hidden, dataset }, { a: s.arch, kind: s.kind, latentDim: s.latentDim, hidden: s.hidden, dataset: s.dataset });
    }
    assertClose(v('mlpParamsRatio'), shipped('mnist-mlp-z2').params / shipped('mnist-conv-z2').params, 1e-12, 'parameter ratio');
    // 2 FLOPs per multiply-add; a transposed convolution scatters each input through k·k·Cout weights.
    const dense = (i: number, o: number) => 2 * i * o;
    const conv = (outH: number, cout: number, cin: number) => 2 * outH * outH * cout * 9 * cin;
    const deconv = (inH: number, cin: number, cout: number) => 2 * inH * inH * cin * 9 * cout;
    const mlp = dense(784, 256) + dense(256, 256) + 2 * dense(256, 2) + dense(2, 256) + dense(256, 256) + dense(256, 784);
    const cnn = conv(14, 32, 1) + conv(7, 64, 32) + dense(7 * 7 * 64, 16) + 2 * dense(16, 2) + dense(2, 7 * 7 * 64) + deconv(7, 64, 64) + deconv(14, 64, 32) + deconv(28, 32, 1);
    assertClose(v('mlpFlopsRatio'), mlp / cnn, 1e-12, 'FLOP ratio');
  });

  test('ln 10 and the counts', () => {
    assertClose(v('labelNats'), Math.log(10), 0, 'ln 10');
    assert.equal(v('viNumbers'), 40_000);
    assert.equal(v('gridPoints2d'), 640_000);
    assertClose(v('gridPoints16d') / 2.81474976710656e46, 1, 1e-15, '800¹⁶');
  });
});
