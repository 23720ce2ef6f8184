/**
 * node scripts/posterior-gap.ts [--model mnist-conv-z2 --images 50 --seed 11]
 *
 * How far the encoder's q(z|x) is from the true posterior p(z|x) of a 2-D model, on test images
 * drawn at random: the true posterior by brute force on grids (as the posterior figure computes
 * it), then KL(q ‖ p(z|x)), the offset of its mean from μ in q's standard deviations, and the
 * correlation of its two coordinates. Chapter 2 quotes these numbers.
 */
import { initBackend } from '../src/vae/backend.ts';
import { loadSplit, toFloat } from '../src/vae/data.ts';
import { encode } from '../src/vae/infer.ts';
import { loadVae } from '../src/vae/io.ts';
import { disposeVae } from '../src/vae/model.ts';
import { createRng } from '../src/vae/random.ts';
import { getSpec } from '../src/vae/spec.ts';
import { klOnGrid, logJoint, truePosterior } from '../src/vae/true-posterior.ts';
import { cliArgs, exitCleanlyOnError, num } from './lib/args.ts';
import { readPublic } from './lib/files.ts';

exitCleanlyOnError();

const args = cliArgs({
  model: { type: 'string', default: 'mnist-conv-z2' },
  images: { type: 'string', default: '50' },
  seed: { type: 'string', default: '11' },
});
const spec = getSpec(args.model!);
if (spec.latentDim !== 2 || spec.kind !== 'vae') throw new Error(`${spec.id} is not a 2-D VAE: its posterior cannot be put on a plane grid`);
await initBackend({ prefer: ['wasm'] });
const vae = await loadVae(spec, readPublic, `weights/${spec.id}`);
const test = await loadSplit(readPublic, `data/${spec.dataset}`, 'test');
const rng = createRng(num(args.seed, 'seed'));
const n = num(args.images, 'images');
const rows: { i: number; kl: number; offset: number; r: number; edge: number }[] = [];
for (let t = 0; t < n; t++) {
  const i = Math.floor(rng() * test.count);
  const x = toFloat(test, [i]);
  const { mu, logVar } = encode(vae, x);
  const sigma = Array.from(logVar!, (v) => Math.exp(0.5 * v));
  const { grid } = (await truePosterior((z) => logJoint(vae, x, z), mu, sigma))!;
  const [s1, s2] = [Math.sqrt(grid.cov[0]), Math.sqrt(grid.cov[2])];
  const row = {
    i,
    kl: klOnGrid(grid, mu, sigma),
    offset: Math.hypot((grid.mean[0] - mu[0]!) / sigma[0]!, (grid.mean[1] - mu[1]!) / sigma[1]!),
    r: grid.cov[1] / (s1 * s2),
    edge: grid.edgeMass,
  };
  rows.push(row);
  console.log(`test image ${i} (${test.labels[i]}): KL ${row.kl.toFixed(2)} nats, mean ${row.offset.toFixed(1)} σ from μ, correlation ${row.r.toFixed(2)}`);
}
disposeVae(vae);

const share = (test: (row: (typeof rows)[number]) => boolean) => `${Math.round((100 * rows.filter(test).length) / rows.length)} %`;
const median = (values: number[]) => {
  const v = [...values].sort((a, b) => a - b);
  return (v[Math.floor((v.length - 1) / 2)]! + v[Math.ceil((v.length - 1) / 2)]!) / 2;
};
console.log(`\n${rows.length} test images of ${spec.id}, seed ${args.seed}:`);
console.log(`  KL(q ‖ p(z|x)): median ${median(rows.map((r) => r.kl)).toFixed(2)} nats; under 3 nats for ${share((r) => r.kl < 3)}, over 10 for ${share((r) => r.kl > 10)}`);
console.log(`  true posterior's mean more than 2 σ of q from μ: ${share((r) => r.offset > 2)}`);
console.log(`  |correlation| above 0.5: ${share((r) => Math.abs(r.r) > 0.5)}`);
console.log(`  largest share of the posterior at a grid's edge: ${Math.max(...rows.map((r) => r.edge)).toExponential(1)}`);
