/**
 * Model specs are data: a new model is a new entry here, not new plumbing.
 */
/**
 * A dataset's folder under public/data/ (written by `npm run data`): mnist, fashion, or one a
 * fork adds in scripts/lib/datasets/index.ts. Any id that isDatasetId accepts works.
 */
export type DatasetId = string;

/** A safe dataset id: lower-case letters, digits and hyphens, as a folder and URL part. */
const DATASET_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export function isDatasetId(value: unknown): value is DatasetId {
  return typeof value === 'string' && value.length <= 64 && DATASET_ID_PATTERN.test(value);
}
/** conv: the seed notebook's conv stack; mlp: two dense layers each way, quick on a CPU. */
export type ArchId = 'conv' | 'mlp';
/**
 * vae: q(z|x) and p(x|z), trained on the negative ELBO.
 * cvae: both networks also see the class label y: q(z|x, y) and p(x|z, y).
 * ae: a plain autoencoder, z = f(x) with no noise and no KL; the loss is reconstruction alone.
 */
export type KindId = 'vae' | 'cvae' | 'ae';

export interface ModelSpec {
  /** Folder name under public/weights/. */
  id: string;
  /** Human-readable name shown in figures. */
  title: string;
  dataset: DatasetId;
  arch: ArchId;
  kind: KindId;
  latentDim: number;
  /** Weight of the KL term in the loss (β = 1 is the plain VAE). */
  beta: number;
  /**
   * conv: width of the dense layer between the conv stack and (μ, log σ²).
   * mlp: width of each of the dense layers.
   */
  hidden: number;
  /** Seed for weight initialisation, batch order and ε. */
  seed: number;
  /**
   * Trained on dynamically binarized images, the standard binarized-MNIST setting: at every
   * step each pixel is drawn black or white anew, white with its grey level as probability.
   * It is evaluated on the test images binarized once (binarizeSet in data.ts), so its nats
   * compare with published binarized-MNIST results, unlike those of a model of grey levels.
   */
  binarized?: boolean;
  /**
   * The images' shape, where it is not MNIST's 28 × 28 × 1: a colour dataset's, for example
   * 32 × 32 × 3. Absent from the specs (and the files) of every grey 28 × 28 model.
   */
  image?: ImageShape;
}

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/**
 * An image's height, width and channels (1 grey, 3 RGB), stored row-major with the channels
 * last (height × width × channels values). Height and width are multiples of 4, for the conv
 * architecture's two stride-2 layers.
 */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** MNIST's and Fashion-MNIST's shape, and that of every model without `image` in its spec. */
export const GREY_28: ImageShape = { height: IMAGE_SIZE, width: IMAGE_SIZE, channels: 1 };

/** The shape of a model's images. */
export function imageShape(spec: Pick<ModelSpec, 'image'>): ImageShape {
  return spec.image ?? GREY_28;
}

/** Values per image: height × width × channels. */
export function imageValues(shape: ImageShape): number {
  return shape.height * shape.width * shape.channels;
}

/** Values per image of a model: height × width × channels of its image shape. */
export function valuesPerImage(spec: Pick<ModelSpec, 'image'>): number {
  return imageValues(imageShape(spec));
}

/** Why a shape cannot be a model's image shape, or undefined when it can. */
export function imageShapeProblem(shape: ImageShape): string | undefined {
  const { height, width, channels } = shape;
  if (![height, width, channels].every((v) => Number.isInteger(v) && v > 0)) return `${height} × ${width} × ${channels} is not made of whole positive numbers`;
  if (height % 4 !== 0 || width % 4 !== 0) return `${height} × ${width} is not a multiple of 4 on each side (the conv architecture halves it twice)`;
  if (channels !== 1 && channels !== 3) return `${channels} channels: images are grey (1) or RGB (3)`;
  if (height > 256 || width > 256) return `${height} × ${width} is larger than 256 on a side`;
  return undefined;
}

/** "28 × 28 grey", "32 × 32 × 3". */
export function shapeText(shape: ImageShape): string {
  return shape.channels === 1 ? `${shape.height} × ${shape.width} grey` : `${shape.height} × ${shape.width} × ${shape.channels}`;
}

/**
 * The spec with its images of `shape`: the architecture follows the data, so a model of the zoo
 * trains on a colour dataset as it is. A grey 28 × 28 shape leaves no `image` field.
 */
export function withImageShape(spec: ModelSpec, shape: ImageShape): ModelSpec {
  const { image: _, ...rest } = spec;
  return sameShape(shape, GREY_28) ? rest : { ...rest, image: { height: shape.height, width: shape.width, channels: shape.channels } };
}

/** Whether two shapes are the same. */
export function sameShape(a: ImageShape, b: ImageShape): boolean {
  return a.height === b.height && a.width === b.width && a.channels === b.channels;
}
/**
 * MNIST and Fashion-MNIST have ten classes; a conditional model sees the label one-hot, 10 wide.
 * A dataset with fewer (emoji-art's two artwork sets) leaves the other places at 0.
 */
export const CLASSES = 10;

const flagship = {
  dataset: 'mnist',
  arch: 'conv',
  kind: 'vae',
  latentDim: 2,
  beta: 1,
  hidden: 16,
  seed: 1,
} as const;

/** The flagship retrained with KL weight β, for the rate–distortion sweep. */
function betaVariant<B extends number>(beta: B) {
  return { ...flagship, id: `mnist-conv-z2-beta${beta}`, title: `Convolutional VAE, 2-D latent, β = ${beta} (MNIST)`, beta } as const;
}

export const MODEL_SPECS = {
  'mnist-conv-z2': { ...flagship, id: 'mnist-conv-z2', title: 'Convolutional VAE, 2-D latent (MNIST)' },
  // The seed's 16-unit dense layer would squeeze a 16-D code; 256 units cost 2 MFLOP more.
  'mnist-conv-z16': { ...flagship, id: 'mnist-conv-z16', title: 'Convolutional VAE, 16-D latent (MNIST)', latentDim: 16, hidden: 256 },
  'mnist-cvae-z2': { ...flagship, id: 'mnist-cvae-z2', title: 'Conditional VAE, 2-D latent (MNIST)', kind: 'cvae' },
  'fashion-conv-z2': { ...flagship, id: 'fashion-conv-z2', title: 'Convolutional VAE, 2-D latent (Fashion-MNIST)', dataset: 'fashion' },
  'mnist-ae-z2': { ...flagship, id: 'mnist-ae-z2', title: 'Plain autoencoder, 2-D code (MNIST)', kind: 'ae' },
  'mnist-mlp-z2': { ...flagship, id: 'mnist-mlp-z2', title: 'Small MLP VAE, 2-D latent (MNIST)', arch: 'mlp', hidden: 256 },
  // About the size of Burda et al.'s one-stochastic-layer VAE (two layers of 200 each way, 50-D).
  'mnist-mlp-z50-binary': { ...flagship, id: 'mnist-mlp-z50-binary', title: 'MLP VAE, 50-D latent (binarized MNIST)', arch: 'mlp', latentDim: 50, hidden: 256, binarized: true },
  // The flagship's network and recipe on 32 × 32 colour emoji (scripts/lib/datasets/emoji.ts).
  'emoji-conv-z2': { ...flagship, id: 'emoji-conv-z2', title: 'Convolutional VAE, 2-D latent (Emoji)', dataset: 'emoji', image: { height: 32, width: 32, channels: 3 } },
  // The same emoji labelled by artwork set: given Twemoji or Noto Emoji, the code holds the rest.
  'emoji-cvae-z2': { ...flagship, id: 'emoji-cvae-z2', title: 'Conditional VAE on the artwork set, 2-D latent (Emoji)', dataset: 'emoji-art', kind: 'cvae', image: { height: 32, width: 32, channels: 3 } },
  'mnist-conv-z2-beta0.5': betaVariant(0.5),
  // β = 1 again, retrained exactly like the other β models, so the sweep compares like with like.
  'mnist-conv-z2-beta1': betaVariant(1),
  'mnist-conv-z2-beta2': betaVariant(2),
  'mnist-conv-z2-beta4': betaVariant(4),
  'mnist-conv-z2-beta8': betaVariant(8),
} as const satisfies Record<string, ModelSpec>;

export function getSpec(id: string): ModelSpec {
  const spec = (MODEL_SPECS as Record<string, ModelSpec>)[id];
  if (!spec) {
    throw new Error(`Unknown model "${id}". Known models: ${Object.keys(MODEL_SPECS).join(', ')}`);
  }
  return spec;
}

/** What a reader picks for a model they train in the page. */
export interface ModelChoice {
  dataset: DatasetId;
  arch: ArchId;
  latentDim: number;
  beta: number;
}

/** The datasets with a name of their own: short, and long (what the images show), as a setting lists them. */
const DATASET_NAMES: Record<string, { short: string; long: string }> = {
  mnist: { short: 'MNIST', long: 'MNIST digits' },
  fashion: { short: 'Fashion-MNIST', long: 'Fashion-MNIST clothes' },
  emoji: { short: 'Emoji', long: 'colour emoji (Twemoji and Noto Emoji)' },
  'emoji-art': { short: 'Emoji by artwork set', long: 'colour emoji labelled Twemoji or Noto Emoji' },
  cifar10: { short: 'CIFAR-10', long: 'CIFAR-10 photos' },
  /** A reader's own images, prepared in the page and kept in their browser. */
  own: { short: 'your images', long: 'your own images' },
};

/**
 * The display name of a dataset: MNIST, Fashion-MNIST (`long`: MNIST digits, Fashion-MNIST
 * clothes), or the id itself for any other.
 */
export function datasetName(id: DatasetId, form: 'short' | 'long' = 'short'): string {
  return Object.hasOwn(DATASET_NAMES, id) ? DATASET_NAMES[id]![form] : id;
}

/**
 * `spec` trained on another dataset: the same network and recipe, with an id and title that
 * name the dataset: `<dataset>-<arch>-z<latentDim>`, then `-<kind>` for a model other than a
 * VAE and `-beta<β>` for β ≠ 1, so different models of one dataset never share a folder.
 */
export function specForDataset(spec: ModelSpec, dataset: DatasetId): ModelSpec {
  if (!isDatasetId(dataset)) throw new Error(`"${dataset}" is not a usable dataset id: use lower-case letters, digits and hyphens.`);
  const title = spec.title.replace(/\s*\([^()]*\)\s*$/, '');
  const id = `${dataset}-${spec.arch}-z${spec.latentDim}${spec.kind === 'vae' ? '' : `-${spec.kind}`}${spec.beta === 1 ? '' : `-beta${spec.beta}`}`;
  return { ...spec, id, title: `${title} (${datasetName(dataset)})`, dataset };
}

/**
 * The spec of a VAE the reader configures. The conv model's dense layer is the seed's 16 units
 * for a 2-D code and 256 for more (as mnist-conv-z16); the MLP's layers are 256 wide.
 */
export function chosenSpec(choice: ModelChoice): ModelSpec {
  const { dataset, arch, latentDim, beta } = choice;
  return {
    id: `yours-${dataset}-${arch}-z${latentDim}`,
    title: `Your ${arch === 'mlp' ? 'MLP' : 'convolutional'} VAE, ${latentDim}-D latent, β = ${beta} (${datasetName(dataset)})`,
    dataset,
    arch,
    kind: 'vae',
    latentDim,
    beta,
    hidden: arch === 'mlp' || latentDim > 2 ? 256 : 16,
    seed: 1,
  };
}
