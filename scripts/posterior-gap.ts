/**
 * node scripts/posterior-gap.ts [--model mnist-conv-z2] [--images 50] [--seed 11]
 *                               [--examples 0,3841,8811] [--ratio 3841,8811] [--print-only]
 *
 * How far the encoder's q(z|x) is from the true posterior p(z|x) of a 2-D VAE (src/vae/posterior-gap.ts):
 * the true posterior by brute force on grids, as the posterior figure computes it, for test images
 * drawn at random and for a few named ones. Prints each image and the summary, and stores them in
 * public/weights/<model>/metrics.json under evaluation.posteriorGap (the rest of the file is
 * left as it is), then rewrites the model card. `npm run evaluate` measures the same block with
 * the defaults. Chapter 2 quotes it with <Metric of="evaluation.posteriorGap.…">.
 *
 * evaluation.posteriorGap:
 *   images, seed            the sample: `images` test indices drawn uniformly (with replacement) by createRng(seed)
 *   medianKl                median of KL(q ‖ p(z|x)) over the sample, in nats
 *   percentKlBelow3         per cent of the sample with KL < 3 nats
 *   percentKlAbove10        per cent with KL > 10 nats
 *   percentOffsetAbove2     per cent whose true posterior mean lies more than 2 of q's σ from μ (Mahalanobis under q)
 *   percentAbsCorrAbove05   per cent whose true posterior has |corr(z₁, z₂)| > 0.5
 *   maxEdgeMass             the largest share of a true posterior in its grid's outer cells (≈ 0: the grids held them)
 *   widthRatio<A>over<B>    q's σ of test image A over test image B's: { axes: [axis 1, axis 2], min, max }
 *   examples.<i>            test image i: kl, offset, correlation, label; sigma (q's σ), trueSd (√ of the true
 *                           posterior's variances), widthRatios (sigma / trueSd per axis), widthRatio (their
 *                           geometric mean: how many times too wide q is), muHpdShare (the mass of the true
 *                           posterior denser than at μ: above 0.865, μ is outside its 86.5 % region), edgeMass
 *   draws                   each image of the sample in the order drawn: image, label, kl, offset, correlation
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '../src/vae/backend.ts';
import { loadManifest, loadSplit } from '../src/vae/data.ts';
import { loadVae } from '../src/vae/io.ts';
import { disposeVae } from '../src/vae/model.ts';
import { measurePosteriorGap, POSTERIOR_GAP_DEFAULTS } from '../src/vae/posterior-gap.ts';
import { getSpec } from '../src/vae/spec.ts';
import { cliArgs, exitCleanlyOnError, num } from './lib/args.ts';
import { PUBLIC, readPublic } from './lib/files.ts';
import { modelCard } from './lib/model-card.ts';

exitCleanlyOnError();

const args = cliArgs({
  model: { type: 'string', default: 'mnist-conv-z2' },
  images: { type: 'string', default: String(POSTERIOR_GAP_DEFAULTS.images) },
  seed: { type: 'string', default: String(POSTERIOR_GAP_DEFAULTS.seed) },
  examples: { type: 'string', default: POSTERIOR_GAP_DEFAULTS.examples.join(',') },
  ratio: { type: 'string', default: POSTERIOR_GAP_DEFAULTS.ratio.join(',') },
  'print-only': { type: 'boolean', default: false },
});
const indices = (value: string | undefined, name: string) => (value ?? '').split(',').map((v) => num(v.trim(), name));
const spec = getSpec(args.model!);
if (spec.latentDim !== 2 || spec.kind !== 'vae') throw new Error(`${spec.id} is not a 2-D VAE: its posterior cannot be put on a plane grid`);
const ratio = indices(args.ratio, 'ratio');
if (ratio.length !== 2) throw new Error(`--ratio needs two test image indices, e.g. 3841,8811`);
const metricsPath = join(PUBLIC, 'weights', spec.id, 'metrics.json');
const writing = !args['print-only'];
// Checked first, so a model that was never evaluated is reported before minutes of grids.
if (writing && !(JSON.parse(await readFile(metricsPath, 'utf8')) as { evaluation?: unknown }).evaluation) {
  throw new Error(`public/weights/${spec.id}/metrics.json has no "evaluation": run npm run evaluate -- --model ${spec.id} first (it measures this block too)`);
}

await initBackend({ prefer: ['wasm'] });
const vae = await loadVae(spec, readPublic, `weights/${spec.id}`);
const test = await loadSplit(readPublic, `data/${spec.dataset}`, 'test');
const started = performance.now();
let gap;
try {
  gap = await measurePosteriorGap(vae, test, { images: num(args.images, 'images'), seed: num(args.seed, 'seed'), examples: indices(args.examples, 'examples'), ratio: [ratio[0]!, ratio[1]!] }, (g, kind) => {
    const widths = kind === 'example' ? `; q ${g.widthRatios.map((r) => r.toFixed(2)).join(' × ')} the true sd (geometric mean ${g.widthRatio.toFixed(2)}), μ at the edge of its ${(100 * g.muHpdShare).toFixed(1)} % region` : '';
    console.log(`${kind === 'example' ? 'named' : 'drawn'} test image ${g.image} (${g.label}): KL ${g.kl.toFixed(2)} nats, mean ${g.offset.toFixed(1)} σ from μ, correlation ${g.correlation.toFixed(2)}${widths}`);
  });
} finally {
  disposeVae(vae);
}

const pct = (v: number) => `${v.toFixed(0)} %`;
const pair = gap[`widthRatio${ratio[0]!}over${ratio[1]!}`]!;
console.log(`\n${gap.images} test images of ${spec.id}, seed ${gap.seed} (${((performance.now() - started) / 1000).toFixed(0)} s):`);
console.log(`  KL(q ‖ p(z|x)): median ${gap.medianKl.toFixed(2)} nats; under 3 nats for ${pct(gap.percentKlBelow3)}, over 10 for ${pct(gap.percentKlAbove10)}`);
console.log(`  true posterior's mean more than 2 σ of q from μ: ${pct(gap.percentOffsetAbove2)}`);
console.log(`  |correlation| above 0.5: ${pct(gap.percentAbsCorrAbove05)}`);
console.log(`  largest share of the posterior at a grid's edge: ${gap.maxEdgeMass.toExponential(1)}`);
console.log(`  q of test image ${ratio[0]} is ${pair.axes.map((r) => r.toFixed(1)).join(' and ')} times as wide as that of ${ratio[1]} (axis 1, axis 2)`);

if (writing) {
  // Read again just before writing, as evaluate does: only evaluation.posteriorGap changes.
  const metrics = JSON.parse(await readFile(metricsPath, 'utf8')) as Record<string, unknown> & { evaluation: Record<string, unknown> };
  const updated = { ...metrics, evaluation: { ...metrics.evaluation, posteriorGap: gap } };
  await writeFile(metricsPath, JSON.stringify(updated, null, 2) + '\n');
  const manifest = await loadManifest(readPublic, `data/${spec.dataset}`);
  await writeFile(join(PUBLIC, 'weights', spec.id, 'README.md'), modelCard(updated as unknown as Parameters<typeof modelCard>[0], manifest));
  console.log(`Wrote evaluation.posteriorGap into public/weights/${spec.id}/metrics.json and rewrote its model card README.md.`);
}
