/**
 * The claims of group "formulas" (src/claims/formulas.json): numbers the prose derives from a
 * formula rather than from a trained model. Each is computed here from its definition, with the
 * engine's own function where it has one (Φ, the prior mass of a grid cell, slerp, the models'
 * sizes), so the prose and the figures cannot disagree. test/unit/claims.test.ts recomputes them
 * and checks the non-trivial ones against a second, independent method.
 */
import { initBackend, tf } from '../../../src/vae/backend.ts';
import { forwardFlops } from '../../../src/vae/flops.ts';
import { angleBetween, norm, slerp } from '../../../src/vae/interpolate.ts';
import { cellPriorMass } from '../../../src/vae/manifold-grid.ts';
import { buildVae, countParams, disposeVae } from '../../../src/vae/model.ts';
import { chosenSpec, PIXELS, type ArchId } from '../../../src/vae/spec.ts';
import { logGamma, logRegularizedLowerGamma } from '../special-functions.ts';

/** The manifold figure's linear grid: 15 × 15 cells over [−3, 3]², each 0.4 wide. */
const SIDE = 15;
const RANGE = 3;

/** The norms of the two codes of the slerp example, and the angle between them. */
export const SLERP_EXAMPLE = { normA: 1.6, normB: 0.8, degrees: 179 };

/** Two 2-D codes with SLERP_EXAMPLE's norms and angle: a along the first axis, b turned from it. */
export function slerpExampleCodes(): [number[], number[]] {
  const { normA, normB, degrees } = SLERP_EXAMPLE;
  const omega = (degrees * Math.PI) / 180;
  return [
    [normA, 0],
    [normB * Math.cos(omega), normB * Math.sin(omega)],
  ];
}

/** The textbook slerp, sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b, which the engine does not use (see src/vae/interpolate.ts). */
function textbookSlerp(a: readonly number[], b: readonly number[], t: number): number[] {
  const omega = angleBetween(a, b);
  const s = Math.sin(omega);
  return a.map((v, i) => (Math.sin((1 - t) * omega) / s) * v + (Math.sin(t * omega) / s) * b[i]!);
}

/**
 * Variances of the two one-sample estimators of d/dμ E[(z − m)²] for z = μ + σε, ε ~ N(0, 1),
 * with a = μ − m:
 *   pathwise  ĝ = 2(z − m) = 2(a + σε):            Var = 4σ²
 *   score     ĝ = (z − m)² ε/σ = (a + σε)² ε/σ:    E ĝ² = E[(a + σε)⁴ ε²]/σ² = a⁴/σ² + 18a² + 15σ²
 *             (E ε² = 1, E ε⁴ = 3, E ε⁶ = 15, odd moments 0), and E ĝ = 2a, so Var = a⁴/σ² + 14a² + 15σ².
 */
function bowlVariances(a: number, sigma: number): { pathwise: number; score: number } {
  return { pathwise: 4 * sigma * sigma, score: a ** 4 / sigma ** 2 + 14 * a * a + 15 * sigma * sigma };
}

/** E‖z‖ for z ~ N(0, I_d): the mean of a χ distribution with d degrees of freedom, √2 Γ((d + 1)/2) / Γ(d/2). */
function chiMean(d: number): number {
  return Math.SQRT2 * Math.exp(logGamma((d + 1) / 2) - logGamma(d / 2));
}

/** Parameters and forward FLOPs per image of the model chapter 5's panel builds for a 2-D MNIST VAE of this architecture. */
async function panelModelSize(arch: ArchId): Promise<{ params: number; flops: number }> {
  if (tf.engine().backendName === undefined) await initBackend({ prefer: ['wasm', 'cpu'] });
  const vae = buildVae(chosenSpec({ dataset: 'mnist', arch, latentDim: 2, beta: 1 }));
  try {
    return { params: countParams(vae), flops: forwardFlops(vae.encoder) + forwardFlops(vae.decoder) };
  } finally {
    disposeVae(vae);
  }
}

export async function compute(): Promise<Record<string, number>> {
  // A linear-grid cell is found by any point inside it: its centre.
  const corner = cellPriorMass([RANGE - RANGE / SIDE, RANGE - RANGE / SIDE], SIDE, RANGE, 'linear');
  const centre = cellPriorMass([0, 0], SIDE, RANGE, 'linear');
  const [a, b] = slerpExampleCodes();
  const d = 512;
  const shellMean = chiMean(d);
  const shellSd = Math.sqrt(d - shellMean * shellMean);
  const bowl = bowlVariances(0, 1);
  const mlp = await panelModelSize('mlp');
  const conv = await panelModelSize('conv');
  return {
    // Σᵢ −[xᵢ ln ½ + (1 − xᵢ) ln ½] = Σᵢ ln 2, whatever the grey levels.
    'formulas.bceUniform': PIXELS * Math.LN2,
    'formulas.gridPoints2d': 800 ** 2,
    'formulas.gridPoints16d': 800 ** 16,
    // 10,000 test images × 2 dimensions × (μ, σ).
    'formulas.viNumbers': 10_000 * 2 * 2,
    // ‖w‖² ~ χ²₂, whose CDF is 1 − e^{−r²/2}.
    'formulas.gauss2dMass1': 1 - Math.exp(-1 / 2),
    'formulas.gauss2dMass2': 1 - Math.exp(-2),
    'formulas.bowlSdRatio': Math.sqrt(bowl.score / bowl.pathwise),
    'formulas.linearCornerMass': corner,
    'formulas.linearCornerMassPercent': corner,
    'formulas.linearCentreMass': centre,
    'formulas.linearCentreMassPercent': centre,
    'formulas.linearMassRatio': centre / corner,
    'formulas.gaussCellMass': cellPriorMass([0.3, -1.2], SIDE, RANGE, 'gaussian'),
    'formulas.slerpNaiveMidpointNorm': norm(textbookSlerp(a, b, 0.5)),
    'formulas.slerpSafeMidpointNorm': norm(slerp(a, b, 0.5)),
    'formulas.shellNorm512': Math.sqrt(d),
    'formulas.shellSd': shellSd,
    'formulas.shellMidNorm512': Math.sqrt(d / 2),
    'formulas.shellSdsInside': (shellMean - Math.sqrt(d / 2)) / shellSd,
    // ‖z‖ ≤ 16 ⇔ ‖z‖² ≤ 256, and ‖z‖² ~ χ²₅₁₂ = Gamma(256, scale 2): P(256, 128).
    'formulas.shellTailProb': Math.exp(logRegularizedLowerGamma(d / 2, 256 / 2)),
    'formulas.chiMean2': chiMean(2),
    'formulas.chiSd2': Math.sqrt(2 - chiMean(2) ** 2),
    // The midpoint (a + b)/2 of two independent codes is N(0, I/2): its norm is χ₂/√2.
    'formulas.chiMidMean2': chiMean(2) / Math.SQRT2,
    'formulas.labelNats': Math.log(10),
    'formulas.mlpParamsRatio': mlp.params / conv.params,
    'formulas.mlpFlopsRatio': mlp.flops / conv.flops,
  };
}
