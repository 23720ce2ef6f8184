/**
 * The figure catalogue: every component of src/components/ that a chapter can use, with one or
 * more examples of its props. /figures/ renders each example live, with the component's props
 * table (read from its `interface Props`) and the MDX to copy; the browser tests start every
 * example there and on the chapters. It stays when a fork deletes the chapters.
 *
 * `test/unit/figure-catalogue.test.ts` fails when a component of src/components/ is missing
 * here, or an example passes a prop its `interface Props` lacks, lacks a required one, or
 * passes a value of the wrong type.
 */
import type { PropValue, Tag } from './figure-snippet';

export interface Example {
  /** The second half of the example's anchor, /figures/#<entry id>-<example id>. */
  readonly id: string;
  /** What this example shows, in a few words. */
  readonly title: string;
  readonly props: Readonly<Record<string, PropValue>>;
  readonly children?: Tag['children'];
}

export interface CatalogueEntry {
  /** The component's file name in src/components/, without `.astro`. */
  readonly component: string;
  /** The section's anchor on /figures/: the component's name in lower case with dashes. */
  readonly id: string;
  /** A figure (a block of its own, often live), or a helper that sits in the text. */
  readonly kind: 'figure' | 'text';
  /** The figure's custom element, which reports its progress in `data-state`. */
  readonly element?: string;
  /**
   * The `data-state` values that say the element has started and done all it does unasked
   * (by default `ready`). A training panel waits for the reader's Train and stays `idle`, or
   * `loaded` once it has restored a model this browser kept.
   */
  readonly started?: readonly string[];
  /** Components used only inside this one's tags, documented with it. */
  readonly parts?: readonly string[];
  readonly examples: readonly Example[];
}

export const CATALOGUE = [
  {
    component: 'SampleGrid',
    id: 'sample-grid',
    kind: 'figure',
    element: 'sample-grid',
    examples: [
      {
        id: 'prior',
        title: 'A VAE’s samples from the prior',
        props: { model: 'mnist-conv-z2', from: 'prior', caption: '<strong>Random codes, VAE.</strong> 36 codes drawn from the prior N(0, I) and decoded. Press <em>Draw again</em> for new ones.' },
      },
      {
        id: 'box',
        title: 'A plain autoencoder, codes drawn from the box of its test codes',
        props: { model: 'mnist-ae-z2', from: 'box', caption: '<strong>Random codes, plain autoencoder.</strong> 36 codes drawn uniformly from the box the test digits’ codes fill.' },
      },
      {
        id: 'z16',
        title: 'A 16-D model: no class readout',
        props: { model: 'mnist-conv-z16', from: 'prior', caption: '<strong>Random codes, 16-D VAE.</strong> 36 codes drawn from the 16-D prior and decoded.' },
      },
      {
        id: 'conditional',
        title: 'A conditional model decodes every code with one class',
        props: { model: 'mnist-cvae-z2', label: 7, side: 5, caption: '<strong>Random codes, conditional VAE.</strong> 25 codes from the prior, each decoded as a 7.' },
      },
      {
        id: 'emoji',
        title: 'A colour model’s samples',
        props: { model: 'emoji-conv-z2', from: 'prior', caption: '<strong>Random emoji.</strong> 36 codes drawn from the prior N(0, I) and decoded in colour.' },
      },
    ],
  },
  {
    component: 'AggregatePosterior',
    id: 'aggregate-posterior',
    kind: 'figure',
    element: 'aggregate-posterior',
    examples: [
      {
        id: 'mnist',
        title: 'A 2-D VAE’s aggregate posterior beside its prior, with the holes',
        props: {
          model: 'mnist-conv-z2',
          caption:
            '<strong>The aggregate posterior and its holes.</strong> Left, q(z): the average of the 10,000 test images’ posteriors; next to it, the prior; outlined on both, where the prior has mass and q(z) has little. Draw codes from each and compare what the decoder makes of them.',
        },
      },
    ],
  },
  {
    component: 'LatentScatter',
    id: 'latent-scatter',
    kind: 'figure',
    element: 'latent-scatter',
    examples: [
      { id: 'vae', title: 'A 2-D VAE’s test codes', props: { model: 'mnist-conv-z2' } },
      { id: 'autoencoder', title: 'A plain autoencoder’s test codes', props: { model: 'mnist-ae-z2' } },
      { id: 'fashion', title: 'Fashion-MNIST: the classes are clothes', props: { model: 'fashion-conv-z2' } },
      { id: 'z16', title: 'A 16-D model’s codes, projected to a plane', props: { model: 'mnist-conv-z16' } },
      {
        id: 'emoji',
        title: 'Colour emoji: pointing at a dot shows the emoji, its name and its decoding',
        props: { model: 'emoji-conv-z2', notice: 'Notice which colours share a region.' },
      },
    ],
  },
  {
    component: 'LatentManifold',
    id: 'latent-manifold',
    kind: 'figure',
    element: 'latent-manifold',
    examples: [
      { id: 'linear', title: 'The decoded plane of a 2-D VAE', props: { model: 'mnist-conv-z2', range: 3, side: 15 } },
      {
        id: 'grid-choice',
        title: 'The reader switches between the linear and the Gaussian grid, and between means and samples',
        props: {
          model: 'mnist-conv-z2',
          range: 3,
          side: 15,
          gridChoice: true,
          pixelsChoice: true,
          caption: '<strong>The decoded plane on two grids.</strong> The <em>linear</em> grid spaces its cells evenly in z; the <em>Gaussian</em> grid gives each cell the same prior mass. <em>A sample</em> draws every pixel black or white from p(x | z) instead of showing its mean.',
        },
      },
      {
        id: 'conditional',
        title: 'A conditional model: the reader picks the digit',
        props: { model: 'mnist-cvae-z2', range: 3, side: 15, caption: '<strong>Style, given the digit.</strong> Pick a digit: the whole plane redraws as that digit, and each point keeps its style.' },
      },
      {
        id: 'fashion',
        title: 'A Fashion-MNIST model',
        props: { model: 'fashion-conv-z2', range: 3, side: 15, caption: '<strong>The clothing plane.</strong> Each small image is the decoder’s output for one point z, from −3 to 3 on both axes.' },
      },
      {
        id: 'emoji',
        title: 'A colour model: 32 × 32 emoji',
        props: { model: 'emoji-conv-z2', range: 3, side: 15, caption: '<strong>The emoji plane.</strong> Each small image is the decoder’s output for one point z, in colour.' },
      },
      {
        id: 'emoji-artwork',
        title: 'A conditional colour model: the reader picks the artwork set',
        props: {
          model: 'emoji-cvae-z2',
          range: 3,
          side: 15,
          classLegend: 'Artwork',
          caption: '<strong>Given the artwork set.</strong> Pick Twemoji or Noto Emoji: the whole plane redraws in that set’s style, and each point z keeps what the label leaves open.',
        },
      },
    ],
  },
  {
    component: 'LatentInterpolation',
    id: 'latent-interpolation',
    kind: 'figure',
    element: 'latent-interpolation',
    examples: [
      {
        id: 'paths',
        title: 'Linear and spherical paths between two test digits',
        props: { model: 'mnist-conv-z2', a: 0, b: 3, caption: '<strong>Linear and spherical paths between two digits.</strong> Choose A and B, then step along the path with the slider.' },
      },
      {
        id: 'emoji',
        title: 'Between two emoji the reader picks by name',
        props: { model: 'emoji-conv-z2', a: 0, b: 269, noun: 'Emoji', urlKey: 'emoji-interp', caption: '<strong>From one emoji to another.</strong> Type or pick the names of A and B.' },
      },
    ],
  },
  {
    component: 'PosteriorEllipse',
    id: 'posterior-ellipse',
    kind: 'figure',
    element: 'posterior-ellipse',
    examples: [{ id: 'default', title: 'One digit’s q(z|x), its ellipses and samples', props: { model: 'mnist-conv-z2' } }],
  },
  {
    component: 'DrawDigit',
    id: 'draw-digit',
    kind: 'figure',
    element: 'draw-digit',
    examples: [{ id: 'two-models', title: 'A plain autoencoder and a VAE read the same drawing', props: { models: ['mnist-ae-z2', 'mnist-conv-z2'] } }],
  },
  {
    component: 'BetaSweep',
    id: 'beta-sweep',
    kind: 'figure',
    element: 'beta-sweep',
    examples: [
      {
        id: 'five-betas',
        title: 'Five models that differ only in β',
        props: { models: ['mnist-conv-z2-beta0.5', 'mnist-conv-z2-beta1', 'mnist-conv-z2-beta2', 'mnist-conv-z2-beta4', 'mnist-conv-z2-beta8'], initial: 'mnist-conv-z2-beta1' },
      },
    ],
  },
  {
    component: 'GradientEstimators',
    id: 'gradient-estimators',
    kind: 'figure',
    element: 'gradient-estimators',
    examples: [{ id: 'default', title: 'Score-function and pathwise gradients side by side', props: {} }],
  },
  {
    component: 'ReparameterizationGraph',
    id: 'reparameterization-graph',
    kind: 'figure',
    examples: [
      {
        id: 'default',
        title: 'The computation graph before and after the trick',
        props: { caption: '<strong>The same network, before and after the trick.</strong> After it, the noise ε is drawn on a side branch and the gradient flows through z to μ and σ.' },
      },
    ],
  },
  {
    component: 'TrainInPage',
    id: 'train-in-page',
    kind: 'figure',
    element: 'train-in-page',
    started: ['idle', 'loaded'],
    examples: [
      { id: 'compact', title: 'Train, pause, step and hand the model to the page’s figures', props: { images: 10000, testImages: 1000 } },
      {
        id: 'full',
        title: 'The whole panel: settings in the URL, test loss, latent units, keeping the model',
        props: { full: true, images: 20000, testImages: 1000, testLossImages: 500 },
        children: '<strong>The training panel.</strong> The chart draws the loss terms of every step; the dots are the loss on 500 test images the model never trains on.',
      },
      {
        id: 'own',
        title: 'The whole panel on the reader’s own images, prepared by the “your own data” figure on this page or an earlier one',
        props: { own: true },
        children: '<strong>Train on your own images.</strong> The panel trains on the dataset you prepared, all of it, and tests on the tenth held out.',
      },
    ],
  },
  {
    component: 'OwnData',
    id: 'own-data',
    kind: 'figure',
    element: 'own-data',
    examples: [
      {
        id: 'default',
        title: 'Your own pictures, a folder, a zip, drawings or toy shapes, prepared in the page',
        props: { caption: '<strong>Your own data.</strong> Give it pictures, or take the toy shapes: it shows what the model will see and what it left out.' },
      },
    ],
  },
  {
    component: 'OwnExplore',
    id: 'own-explore',
    kind: 'figure',
    element: 'own-explore',
    examples: [
      {
        id: 'default',
        title: 'The latent space of the model trained on the reader’s own images',
        props: { caption: '<strong>Your model’s latent space.</strong> The codes of your held-out images, the manifold, the way between two images, and samples from the prior.' },
      },
    ],
  },
  {
    component: 'ModelFacts',
    id: 'model-facts',
    kind: 'figure',
    examples: [{ id: 'default', title: 'A pretrained model’s recipe and test loss', props: { model: 'mnist-conv-z2' } }],
  },
  {
    component: 'ArtworkCredits',
    id: 'artwork-credits',
    kind: 'text',
    examples: [{ id: 'emoji', title: 'The licences of the emoji artwork, beside a figure that draws it', props: { dataset: 'emoji' } }],
  },
  {
    component: 'Metric',
    id: 'metric',
    kind: 'text',
    examples: [
      { id: 'test-loss', title: 'A model’s test loss', props: { model: 'mnist-conv-z2', of: 'test.loss', digits: 2 } },
      { id: 'iwae', title: 'Its importance-weighted bound', props: { model: 'mnist-conv-z2', of: 'evaluation.iwae.loss', digits: 2 } },
    ],
  },
  {
    component: 'Claim',
    id: 'claim',
    kind: 'text',
    examples: [{ id: 'formula', title: 'A number computed by a formula', props: { id: 'formulas.bceUniform' } }],
  },
  {
    component: 'Cite',
    id: 'cite',
    kind: 'text',
    examples: [
      { id: 'parenthetical', title: 'In parentheses', props: { id: 'kingma2014auto' } },
      { id: 'narrative', title: 'In running text', props: { id: 'burda2016importance', narrative: true } },
      { id: 'several', title: 'Several works at once', props: { id: 'kingma2014auto,rezende2014stochastic' } },
      { id: 'pinpoint', title: 'With a pinpoint', props: { id: 'kingma2019introduction', note: 'ch. 2' } },
    ],
  },
  {
    component: 'Sym',
    id: 'sym',
    kind: 'text',
    examples: [{ id: 'loss', title: 'A symbol linked to the notation page', props: { id: 'loss' }, children: '$\\mathcal{L}(x)$' }],
  },
  {
    component: 'CheckYourself',
    id: 'check-yourself',
    kind: 'text',
    parts: ['Question', 'Answer'],
    examples: [
      {
        id: 'one-question',
        title: 'A question with its hidden answer',
        props: {},
        children: [
          {
            component: 'Question',
            children: ['What is the KL term of a code distribution $q(z \\mid x) = \\mathcal{N}(0, I)$?', { component: 'Answer', children: ['Zero: $q(z \\mid x)$ is the prior itself.'] }],
          },
        ],
      },
      {
        id: 'two-questions',
        title: 'Two questions: each answer opens on its own',
        props: {},
        children: [
          {
            component: 'Question',
            children: ['What is the KL term of a code distribution $q(z \\mid x) = \\mathcal{N}(0, I)$?', { component: 'Answer', children: ['Zero: $q(z \\mid x)$ is the prior itself.'] }],
          },
          {
            component: 'Question',
            children: ['Can the KL term be negative?', { component: 'Answer', children: ['No: a KL divergence is never below zero.'] }],
          },
        ],
      },
    ],
  },
] as const satisfies readonly CatalogueEntry[];

/** Components that only other components use, by the component that uses them. */
export const INNER_PARTS: Readonly<Record<string, string>> = {
  TrainKeep: 'TrainInPage',
  TrainSettings: 'TrainInPage',
  TrainUnits: 'TrainInPage',
};

type Entry = (typeof CATALOGUE)[number];
/** Every component a catalogue example can render: the entries and their parts. */
export type CatalogueComponent = Entry['component'] | Extract<Entry, { parts: unknown }>['parts'][number];

/** The example's anchor on /figures/. */
export function exampleAnchor(entry: CatalogueEntry, example: Example): string {
  return `${entry.id}-${example.id}`;
}

/** The example as a tag, for the page to render and the snippet to print. */
export function exampleTag(entry: CatalogueEntry, example: Example): Tag {
  return { component: entry.component, props: example.props, ...(example.children === undefined ? {} : { children: example.children }) };
}

/** The `data-state` values in which a figure's element has started (see `started`). */
export function startedStates(element: string): readonly string[] {
  const entry = (CATALOGUE as readonly CatalogueEntry[]).find((e) => e.element === element);
  return entry?.started ?? ['ready'];
}
