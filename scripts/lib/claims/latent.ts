/**
 * The numbers the chapters quote about the latent plane of the shipped models, computed from the
 * committed files in public/weights (and, for σ_φ(x), the encoder run on the 10,000 test images).
 *
 * Classes of codes that are not test codes (prior draws, uniform draws, grid cells) are those of
 * the nearest test code (src/vae/class-shares.ts says why that is a proxy for the decoded digit),
 * with the same seeded draws the sample grids' readout uses, so figure and prose agree.
 */
import { initBackend } from '../../../src/vae/backend.ts';
import { classCounts, classLabeller, drawnClassShares, sharesOf, type LabelledCodes } from '../../../src/vae/class-shares.ts';
import { loadSplit } from '../../../src/vae/data.ts';
import { encodeSet } from '../../../src/vae/encode-set.ts';
import { angleBetween } from '../../../src/vae/interpolate.ts';
import { loadVae } from '../../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE, type LatentPoints } from '../../../src/vae/latents-file.ts';
import { gridAxis, type ManifoldGrid } from '../../../src/vae/manifold-grid.ts';
import { disposeVae } from '../../../src/vae/model.ts';
import { priorMassInEllipse } from '../../../src/vae/prior-mass.ts';
import { principalPlane } from '../../../src/vae/projection.ts';
import { getSpec } from '../../../src/vae/spec.ts';
import { median } from '../../../src/vae/stats.ts';
import { readPublic } from '../files.ts';

const CLASSES = 10;
/** Chapter 6's mosaic: 15 × 15 cells, the linear one over [−3, 3]². */
const GRID_SIDE = 15;
const GRID_RANGE = 3;
/** Chapter 6's interpolation figure's default pair of test images. */
const DEFAULT_PAIR = [0, 3] as const;

async function testCodes(model: string): Promise<LatentPoints> {
  return decodeLatents(await readPublic(`weights/${model}/${LATENTS_FILE}`));
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

/** The classes of a side × side grid's cell centres, row by row from the bottom (z₂ smallest), z₁ ascending in each row. */
function gridClasses(test: LabelledCodes, grid: ManifoldGrid): Uint8Array {
  const axis = gridAxis(GRID_SIDE, GRID_RANGE, grid);
  const centres = new Float32Array(2 * GRID_SIDE * GRID_SIDE);
  axis.forEach((z2, r) => axis.forEach((z1, c) => centres.set([z1, z2], 2 * (r * GRID_SIDE + c))));
  return classLabeller(test).classesOf(centres);
}

/** How many rows, from the bottom up, have zeros in more than half their cells, before the first that does not. */
function zeroRowsFromBottom(classes: Uint8Array): number {
  let rows = 0;
  while (rows < GRID_SIDE && 2 * classes.subarray(rows * GRID_SIDE, (rows + 1) * GRID_SIDE).filter((c) => c === 0).length > GRID_SIDE) rows++;
  return rows;
}

/** σ_φ(x) and μ_φ(x) of every test digit, from the encoder. */
async function testPosteriors(model: string): Promise<{ mu: Float32Array; sigma: Float32Array; count: number }> {
  await initBackend({ prefer: ['wasm'] });
  const spec = getSpec(model);
  const vae = await loadVae(spec, readPublic, `weights/${spec.id}`);
  try {
    const test = await loadSplit(readPublic, `data/${spec.dataset}`, 'test');
    const { mu, logVar } = encodeSet(vae, test);
    if (!logVar) throw new Error(`${model} has no posterior spread`);
    return { mu, sigma: logVar.map((v) => Math.exp(0.5 * v)), count: test.count };
  } finally {
    disposeVae(vae);
  }
}

export async function compute(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const vae2 = await testCodes('mnist-conv-z2');
  const { count, mu, labels } = vae2;

  // Where the test codes are: the lower half-plane z₂ < 0, which holds half the prior's mass.
  const lower = Array.from({ length: count }, (_, i) => i).filter((i) => mu[2 * i + 1]! < 0);
  out['latent.lowerHalfShare'] = lower.length / count;
  out['latent.lowerHalfZeroSixShare'] = lower.filter((i) => labels[i] === 0 || labels[i] === 6).length / lower.length;

  // The test set's own class shares, and those of 10,000 prior draws by the nearest test code.
  const testShares = sharesOf(classCounts(labels, CLASSES));
  const prior = drawnClassShares(vae2, 'prior').shares;
  for (let c = 0; c < CLASSES; c++) {
    out[`latent.testShare${c}`] = testShares[c]!;
    out[`latent.priorShare${c}`] = prior[c]!;
  }
  const byPrior = [...prior.keys()].sort((a, b) => prior[b]! - prior[a]!);
  out['latent.priorShareMax'] = prior[byPrior[0]!]!;
  out['latent.priorShareMaxClass'] = byPrior[0]!;
  out['latent.priorShareMin'] = prior[byPrior[CLASSES - 1]!]!;
  out['latent.priorShareMinClass'] = byPrior[CLASSES - 1]!;

  // The plain autoencoder: codes uniform over the box its test codes fill.
  const ae = await testCodes('mnist-ae-z2');
  const box = drawnClassShares(ae, 'box').shares;
  for (let c = 0; c < CLASSES; c++) out[`latent.boxShare${c}`] = box[c]!;
  const top3 = [...box.keys()].sort((a, b) => box[b]! - box[a]!).slice(0, 3);
  const aeTestShares = sharesOf(classCounts(ae.labels, CLASSES));
  top3.forEach((c, rank) => (out[`latent.boxShareTop3Class${rank + 1}`] = c));
  out['latent.boxShareTop3'] = sum(top3.map((c) => box[c]!));
  out['latent.testShareTop3Box'] = sum(top3.map((c) => aeTestShares[c]!));

  // Chapter 6's mosaic, each cell labelled by its centre's nearest test code.
  const gauss = gridClasses(vae2, 'gaussian');
  out['latent.gaussGridZeroShare'] = gauss.filter((c) => c === 0).length / gauss.length;
  out['latent.gaussGridZeroRows'] = zeroRowsFromBottom(gauss);
  const linear = gridClasses(vae2, 'linear');
  out['latent.linearGridZeroShare'] = linear.filter((c) => c === 0).length / linear.length;

  // The 16-D model's codes along their two principal directions, as its scatter draws them.
  const z16 = await testCodes('mnist-conv-z16');
  const plane = principalPlane(z16.mu, z16.count, z16.dims);
  out['latent.z16TopTwoVarianceShare'] = (plane.variance[0] + plane.variance[1]) / plane.totalVariance;

  // The encoder's q(z|x) of every test digit.
  const post = await testPosteriors('mnist-conv-z2');
  const [a, b] = DEFAULT_PAIR.map((i) => post.mu.subarray(2 * i, 2 * i + 2));
  out['latent.defaultPairAngle'] = (angleBetween(a!, b!) * 180) / Math.PI;
  let narrow = 0;
  const odds: number[] = [];
  for (let i = 0; i < post.count; i++) {
    const s = post.sigma.subarray(2 * i, 2 * i + 2);
    if (s[0]! < 0.1 && s[1]! < 0.1) narrow++;
    // As the posterior figure says it: one prior draw in 1/P lands in the digit's 2σ ellipse.
    odds.push(1 / priorMassInEllipse(post.mu.subarray(2 * i, 2 * i + 2), s, 2));
  }
  out['latent.sigmaBelowTenthShare'] = narrow / post.count;
  out['latent.priorOddsMedian'] = median(odds);
  return out;
}
