/**
 * The claims of group "aggregate" (src/claims/aggregate.json): the aggregate posterior of
 * mnist-conv-z2 against its prior, from the committed test posteriors (test-latents.bin, μ and
 * log σ² of each of the 10,000 test images), with the grid, thresholds and Monte Carlo draws that
 * chapter 6's figure uses (DEFAULT_GRID and the defaults of holes and rateDecomposition), and the
 * shares of the digits it draws as the figure counts them (drawn-classes.ts), so figure and prose agree.
 */
import { cellMasses, DEFAULT_GRID, HOLE_MIN_PRIOR, HOLE_RATIO, holes, rateDecomposition } from '../../../src/vae/aggregate-posterior.ts';
import { initBackend } from '../../../src/vae/backend.ts';
import { classCounts, sharesOf } from '../../../src/vae/class-shares.ts';
import { classifierFolder, loadClassifier, type ClassifierMetrics } from '../../../src/vae/classifier.ts';
import { drawnClassCounts } from '../../../src/vae/drawn-classes.ts';
import { loadVae } from '../../../src/vae/io.ts';
import { decodeLatents, LATENTS_FILE } from '../../../src/vae/latents-file.ts';
import { disposeVae } from '../../../src/vae/model.ts';
import { getSpec } from '../../../src/vae/spec.ts';
import { readPublic } from '../files.ts';

const MODEL = 'mnist-conv-z2';
export async function compute(): Promise<Record<string, number>> {
  const points = decodeLatents(await readPublic(`weights/${MODEL}/${LATENTS_FILE}`));
  if (!points.logVar) throw new Error(`public/weights/${MODEL}/${LATENTS_FILE} holds no log-variances: run npm run evaluate -- --model ${MODEL} --codes-only`);
  const posteriors = { count: points.count, mu: points.mu, logVar: points.logVar };
  const found = holes(cellMasses(posteriors, DEFAULT_GRID));
  const split = rateDecomposition(posteriors);
  // The digits the decoder draws from each source, labelled by the separate classifier.
  await initBackend({ prefer: ['wasm'] });
  const spec = getSpec(MODEL);
  const metrics = JSON.parse(new TextDecoder().decode(await readPublic(`${classifierFolder(spec.dataset)}/metrics.json`))) as ClassifierMetrics;
  const vae = await loadVae(spec, readPublic, `weights/${MODEL}`);
  const classifier = await loadClassifier(readPublic, spec.dataset);
  let prior: number[];
  let aggregate: number[];
  try {
    prior = sharesOf(drawnClassCounts(vae, classifier, posteriors, 'prior'));
    aggregate = sharesOf(drawnClassCounts(vae, classifier, posteriors, 'aggregate'));
  } finally {
    classifier.dispose();
    disposeVae(vae);
  }
  const test = sharesOf(classCounts(points.labels, 10));
  return {
    'aggregate.holeRatio': HOLE_RATIO,
    'aggregate.holeMinPrior': HOLE_MIN_PRIOR,
    'aggregate.classifierAccuracy': metrics.testAccuracy,
    'aggregate.priorZeroShare': prior[0]!,
    'aggregate.aggregateZeroShare': aggregate[0]!,
    'aggregate.testZeroShare': test[0]!,
    'aggregate.priorOneShare': prior[1]!,
    'aggregate.testOneShare': test[1]!,
    'aggregate.priorInHoles': found.priorMassInHoles,
    'aggregate.aggregateInHoles': found.aggregateMassInHoles,
    'aggregate.rate': split.rate,
    'aggregate.information': split.mutualInformation,
    'aggregate.marginalKl': split.marginalKl,
    'aggregate.standardError': split.standardError,
    'aggregate.maxInformation': split.maxInformation,
  };
}
