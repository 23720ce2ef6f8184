/**
 * Model specs are data: a new model is a new entry here, not new plumbing.
 */
export type DatasetId = 'mnist';
export type ArchId = 'conv';

export interface ModelSpec {
  /** Folder name under public/weights/. */
  id: string;
  /** Human-readable name shown in figures. */
  title: string;
  dataset: DatasetId;
  arch: ArchId;
  latentDim: number;
  /** Weight of the KL term in the loss (β = 1 is the plain VAE). */
  beta: number;
  /** Width of the dense layer between the conv stack and (μ, log σ²). */
  hidden: number;
  /** Seed for weight initialisation, batch order and ε. */
  seed: number;
}

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

export const MODEL_SPECS = {
  'mnist-conv-z2': {
    id: 'mnist-conv-z2',
    title: 'Convolutional VAE, 2-D latent (MNIST)',
    dataset: 'mnist',
    arch: 'conv',
    latentDim: 2,
    beta: 1,
    hidden: 16,
    seed: 1,
  },
} as const satisfies Record<string, ModelSpec>;

export type ModelId = keyof typeof MODEL_SPECS;

export function getSpec(id: string): ModelSpec {
  const spec = (MODEL_SPECS as Record<string, ModelSpec>)[id];
  if (!spec) {
    throw new Error(`Unknown model "${id}". Known models: ${Object.keys(MODEL_SPECS).join(', ')}`);
  }
  return spec;
}
