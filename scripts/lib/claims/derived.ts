/**
 * The claims of group "derived" (src/claims/derived.json): numbers the prose derives from the
 * shipped models' files (metrics.json, test-latents.bin) or from the code's own settings, by a
 * line of arithmetic that a reader can redo.
 */
import { claimsDir, findClaim } from '../../../src/claims/read.ts';
import { decodeLatents, LATENTS_FILE } from '../../../src/vae/latents-file.ts';
import { SHORT_PANEL_KL_WARMUP_STEPS } from '../../../src/vae/panel-recipe.ts';
import { readPublic, ROOT } from '../files.ts';
import { SLERP_EXAMPLE, slerpExampleCodes } from './formulas.ts';

interface Metrics {
  test: { loss: number };
  evaluation: { iwae: { loss: number } };
}

async function metrics(model: string): Promise<Metrics> {
  return JSON.parse(new TextDecoder().decode(await readPublic(`weights/${model}/metrics.json`))) as Metrics;
}

/** How many of a 2-D model's test codes lie within `radius` of test image `index`'s code, itself excluded. */
async function codesWithin(model: string, index: number, radius: number): Promise<number> {
  const { mu, dims, count } = decodeLatents(await readPublic(`weights/${model}/${LATENTS_FILE}`));
  if (dims !== 2) throw new Error(`${model} has ${dims}-D codes, not 2-D`);
  const [x, y] = [mu[2 * index]!, mu[2 * index + 1]!];
  let n = 0;
  for (let i = 0; i < count; i++) if (i !== index && Math.hypot(mu[2 * i]! - x, mu[2 * i + 1]! - y) <= radius) n++;
  return n;
}

export async function compute(): Promise<Record<string, number>> {
  const flagship = await metrics('mnist-conv-z2');
  const cvae = await metrics('mnist-cvae-z2');
  // Mixing the conditional model over ten equally likely labels: p(x) = ⅒ Σ_y p(x|y) ≥ ⅒ p(x|y_x),
  // so −log p(x) ≤ −log p(x|y) + ln 10, and the same holds for the bounds' averages.
  const mixture = cvae.evaluation.iwae.loss + Math.log(10);
  // The latent group's stored value, which that group's own test checks.
  const odds = findClaim('latent.priorOddsMedian', claimsDir(ROOT)).value;
  const [a, b] = slerpExampleCodes();
  const omega = (SLERP_EXAMPLE.degrees * Math.PI) / 180;
  return {
    'derived.chapter1WarmupSteps': SHORT_PANEL_KL_WARMUP_STEPS,
    'derived.flagshipIwaeGap': flagship.test.loss - flagship.evaluation.iwae.loss,
    'derived.cvaeMixtureBound': mixture,
    'derived.cvaeMixtureAdvantage': flagship.evaluation.iwae.loss - mixture,
    'derived.slerpSumNorm': Math.hypot(a[0]! + b[0]!, a[1]! + b[1]!),
    'derived.slerpTwoCos': 2 * Math.cos(omega / 2),
    'derived.crowd8811': await codesWithin('mnist-conv-z2', 8811, 0.1),
    // Odds that multiply over dimensions: the 2-D median odds are (per-dimension odds)², and
    // sixteen dimensions as narrow multiply sixteen such factors.
    'derived.priorOddsPerDim': Math.sqrt(odds),
    'derived.priorOdds16': odds ** 8,
  };
}
