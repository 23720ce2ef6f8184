/**
 * A model card (public/weights/<id>/README.md) written from the model's metrics.json and its
 * dataset's manifest, so every number in it is one that training and evaluation produced.
 */
import type { DatasetManifest } from '../../src/vae/data.ts';
import type { ModelMetrics } from '../../src/vae/io.ts';
import type { PosteriorGap } from '../../src/vae/posterior-gap.ts';
import { imageShape, imageValues, type ModelSpec } from '../../src/vae/spec.ts';

const KIND: Record<ModelSpec['kind'], string> = {
  vae: 'variational autoencoder: q(z|x) and p(x|z), trained on the negative ELBO',
  cvae: 'conditional VAE: both networks see the class label y, q(z|x, y) and p(x|z, y); its bounds are on −log p(x|y)',
  ae: 'plain (deterministic) autoencoder: z = f(x), no noise, no KL; trained on reconstruction alone',
};

/** The dense layer of the Keras example's architecture, which the flagship keeps. */
const SEED_HIDDEN = 16;

function architecture(spec: ModelSpec): string {
  const y = spec.kind === 'cvae' ? ' (+ one-hot label)' : '';
  const head = spec.kind === 'ae' ? `z (${spec.latentDim})` : `μ, log σ² (${spec.latentDim} each)`;
  const { height, width, channels } = imageShape(spec);
  const values = imageValues(imageShape(spec));
  if (spec.arch === 'conv') {
    return [
      `- Encoder: ${height}×${width}×${channels} → conv 32 → conv 64 (3×3, stride 2, ReLU) → flatten${y} → dense ${spec.hidden} (ReLU) → ${head}`,
      `- Decoder: z${y} → dense ${height / 4}·${width / 4}·64 (ReLU) → conv-transpose 64 → 32 (3×3, stride 2, ReLU) → conv-transpose ${channels} → ${values} logits`,
      spec.hidden > SEED_HIDDEN
        ? `- Widened: the seed architecture's dense layer has ${SEED_HIDDEN} units, a bottleneck in front of a ${spec.latentDim}-D code; this model's has ${spec.hidden}.`
        : null,
    ]
      .filter((l) => l !== null)
      .join('\n');
  }
  return [
    `- Encoder: ${values}${y} → dense ${spec.hidden} → dense ${spec.hidden} (ReLU) → ${head}`,
    `- Decoder: z${y} → dense ${spec.hidden} → dense ${spec.hidden} (ReLU) → dense ${values} logits`,
  ].join('\n');
}

/** The artwork credits a dataset's manifest records (the emoji dataset's), as lines. */
function artworkLines(manifest: DatasetManifest): string[] {
  const artwork = manifest.preparation?.['artwork'] as { set: string; package: string; licence: string; attribution: string }[] | undefined;
  if (!artwork) return [];
  return [
    `- Artwork, each under its own licence (the packages' MIT licence covers their code, not the images): ${artwork.map((a) => `${a.attribution} (\`${a.package}\`)`).join('; ')}.`,
  ];
}

const DATASET_NAMES: Record<string, string> = {
  mnist: 'MNIST',
  fashion: 'Fashion-MNIST',
  emoji: 'Emoji (Twemoji and Noto Emoji)',
  'emoji-art': 'Emoji (Twemoji and Noto Emoji), labelled by artwork set',
};

const f = (v: number, digits = 2) => v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

type Metrics = ModelMetrics & {
  recipe: ModelMetrics['recipe'] & { binarization?: { testSeed: number }; validationImages?: number; klWarmupSteps?: number; threads?: number; learningRateSchedule?: { kind: string; from?: number; to?: number; value?: number } };
  validation?: { epoch: number; loss: number }[];
  evaluation?: ModelMetrics['evaluation'] & { posteriorGap?: PosteriorGap };
};

/** The section on q(z|x) against the true posterior, for a 2-D VAE that has evaluation.posteriorGap. */
function posteriorGapLines(g: PosteriorGap): string[] {
  const pct = (v: number) => `${f(v, 0)} %`;
  const ratios = Object.entries(g).filter(([key]) => /^widthRatio\d+over\d+$/.test(key)) as [string, PosteriorGap[`widthRatio${number}over${number}`]][];
  return [
    '',
    '## Posterior gap (q(z|x) against the true posterior, computed on a grid)',
    `- On ${g.images} test images drawn at random (seed ${g.seed}): KL(q ‖ p(z|x)) median ${f(g.medianKl)} nats, under 3 nats for ${pct(g.percentKlBelow3)}, over 10 nats for ${pct(g.percentKlAbove10)}.`,
    `- The true posterior's mean lies more than 2 of q's σ from μ for ${pct(g.percentOffsetAbove2)}; its two coordinates are correlated by more than 0.5 (either sign) for ${pct(g.percentAbsCorrAbove05)}.`,
    ...Object.values(g.examples).map(
      (e) => `- Test image ${e.image} (label ${e.label}): KL ${f(e.kl)} nats; q's σ is ${e.widthRatios.map((r) => f(r)).join(' and ')} times the true posterior's sd (geometric mean ${f(e.widthRatio)}); ${e.muHpdShare > 0.999 ? 'more than 99.9' : f(100 * e.muHpdShare, 1)} % of the true posterior's mass lies where it is denser than at μ.`,
    ),
    ...ratios.map(([key, r]) => {
      const [, a, b] = /^widthRatio(\d+)over(\d+)$/.exec(key)!;
      return `- q of test image ${a} is ${f(r.axes[0], 1)} and ${f(r.axes[1], 1)} times as wide as that of test image ${b} (axis 1, axis 2).`;
    }),
  ];
}

export function modelCard(metrics: Metrics, manifest: DatasetManifest, notes = ''): string {
  const { spec, recipe, evaluation: e, weights } = metrics;
  const schedule = recipe.learningRateSchedule;
  const rate = schedule?.kind === 'cosine' ? `${schedule.from} decayed (cosine) to ${schedule.to}` : `${recipe.learningRate}`;
  const best = metrics.validation?.length ? metrics.validation.reduce((a, b) => (b.loss < a.loss ? b : a)) : undefined;
  const lines: (string | null)[] = [
    `# ${spec.id}: ${spec.title}`,
    '',
    `A ${KIND[spec.kind]}. β = ${spec.beta}. Written by \`npm run evaluate -- --model ${spec.id}\` from metrics.json.`,
    ...(notes ? ['', notes] : []),
    '',
    '## Data',
    `- ${DATASET_NAMES[manifest.dataset] ?? manifest.dataset} from \`${manifest.source}\`: ${manifest.splits.train.count.toLocaleString('en')} training and ${manifest.splits.test.count.toLocaleString('en')} test images (${manifest.channels === 1 ? `${manifest.height}×${manifest.width} grey levels` : `${manifest.height}×${manifest.width} colour images, ${manifest.channels} channels`}, ${
      spec.binarized
        ? `binarized: each pixel black or white, white with its grey level as probability; drawn afresh at every training step, and once, with seed ${recipe.binarization?.testSeed ?? '?'}, for the validation and test images).`
        : 'used as Bernoulli targets in [0, 1]).'
    }`,
    ...artworkLines(manifest),
    `- Split: ${String(manifest.preparation?.['split'] ?? 'official')}.`,
    manifest.preparation?.['entries'] !== undefined
      ? `- Cleaning: ${String(manifest.preparation['entries'])} entries; dropped ${String(manifest.preparation['emptyDropped'])} empty, ${String(manifest.preparation['duplicateCopiesDropped'])} duplicate copies and ${String(manifest.preparation['conflictingLabelCopiesDropped'])} copies of an image filed under two labels.`
      : null,
    `- Training used the first ${recipe.trainImages.toLocaleString('en')} training images; the last ${(recipe.validationImages ?? 0).toLocaleString('en')} were held out for validation and never trained on. The test images were never trained on.`,
    '',
    '## Architecture',
    architecture(spec),
    `- ${metrics.params.toLocaleString('en')} parameters. Weights: ${weights ? `${weights.dtype}, ${weights.bytes.toLocaleString('en')} bytes` : 'float32'}.`,
    '',
    '## Recipe',
    recipe.initialisedFrom
      ? `- Started from the weights of \`${recipe.initialisedFrom.model}\` (${f(recipe.initialisedFrom.epochs, 0)} epochs at β = 1), then trained further at β = ${spec.beta}.`
      : null,
    `- ${f(recipe.epochs)} epochs (${recipe.steps.toLocaleString('en')} steps of ${recipe.batchSize}), Adam, learning rate ${rate}, KL warm-up over ${recipe.klWarmupSteps ?? 0} steps, seed ${recipe.seed}.`,
    `- Trained with TF.js's ${recipe.backend} backend in Node on ${(recipe.threads ?? 1) === 1 ? 'one CPU thread' : `${recipe.threads} CPU threads`}: ${f(recipe.wallSeconds / 60, 0)} minutes at ${recipe.imagesPerSecond} images/s.`,
    best ? `- Validation loss: ${f(best.loss)} at epoch ${f(best.epoch, 1)} (best of ${metrics.validation!.length} checks).` : null,
    best && metrics.validation!.length > 2
      ? `- Training curve (validation loss at each check): ${metrics.validation!.map((v) => `${f(v.epoch, 1)}: ${f(v.loss, 1)}`).join(', ')}.`
      : null,
    '',
    '## Test metrics (nats per image, lower is better)',
    `- One-sample loss: **${f(metrics.test.loss)}** = reconstruction ${f(metrics.test.reconstruction)} + β·KL ${f(spec.beta * metrics.test.kl)} (one z ~ q(z|x) per image, seed ${metrics.test.seed}).`,
  ];
  if (e) {
    lines.push(
      e.iwae
        ? `- IWAE bound, k = ${e.iwae.k}: **${f(e.iwae.loss)}** ≥ −log p(x${spec.kind === 'cvae' ? '|y' : ''}), ${f(e.oneSample.reconstruction + e.oneSample.kl - e.iwae.loss)} below the one-sample −ELBO (reconstruction + KL = ${f(e.oneSample.reconstruction + e.oneSample.kl)}${spec.beta === 1 ? '' : `, the bound at β = 1`}).`
        : '- No IWAE bound: a plain autoencoder defines no likelihood.',
      `- Entropy floor of the ${spec.binarized ? 'binary' : imageShape(spec).channels === 1 ? 'grey-level' : 'colour-level'} targets: ${f(e.floor.entropyPerImage)}${e.gapToFloor === null ? '' : `; gap to it ${f(e.gapToFloor)}`}.`,
      `- Active latent units: ${e.activeUnits.count} of ${e.activeUnits.variances.length} (Var_x μ_u > ${e.activeUnits.threshold}).`,
      `- Evaluated on ${e.images.toLocaleString('en')} test images with the ${e.backend} backend.`,
    );
    if (e.posteriorGap) lines.push(...posteriorGapLines(e.posteriorGap));
  }
  return lines.filter((l) => l !== null).join('\n') + '\n';
}
