/**
 * Which digits a 2-D VAE draws, counted by the separately trained classifier of classifier.ts:
 * a fixed number of seeded codes from the prior p(z) or from the aggregate posterior q(z)
 * (aggregate-posterior.ts), decoded to their Bernoulli means and classified. The page's figure,
 * chapter 6's claims and the tests all count with this one function, so they agree.
 */
import { drawCodes, type DrawSource, type Posteriors2d } from './aggregate-posterior.ts';
import { classify, CLASSES } from './classifier.ts';
import { decode } from './infer.ts';
import type { Vae } from './model.ts';
import type { tf } from './backend.ts';

/** Codes drawn from each source for the class counts. */
export const CLASS_DRAWS = 2000;
/** The seed of each source's draws: fixed, so that every reader and the prose see the same counts. */
const CLASS_SEEDS: Readonly<Record<DrawSource, number>> = { prior: 101, aggregate: 102 };
const BATCH = 500;

/** How many of the CLASS_DRAWS decoded codes from `from` the classifier puts in each class. */
export function drawnClassCounts(vae: Vae, classifier: tf.LayersModel, posteriors: Posteriors2d, from: DrawSource): number[] {
  const codes = drawCodes(from, posteriors, CLASS_DRAWS, CLASS_SEEDS[from]);
  const counts = new Array<number>(CLASSES).fill(0);
  for (let start = 0; start < CLASS_DRAWS; start += BATCH) {
    const images = decode(vae, codes.subarray(2 * start, 2 * Math.min(CLASS_DRAWS, start + BATCH)));
    for (const c of classify(classifier, images)) counts[c]!++;
  }
  return counts;
}
