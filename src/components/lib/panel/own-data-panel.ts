/**
 * The training panel on a reader's own dataset (`<TrainInPage own>`): the images it sends its
 * workers, its sizes, and the slot its model is kept in, beside the dataset it was trained on
 * (page/own-store.ts) and apart from the model the panels on the site's data keep.
 */
import type { ModelBundle } from '../../../vae/bundle.ts';
import { setShape, type ImageSet } from '../../../vae/data.ts';
import { datasetName, imageShape, sameShape, shapeText, withImageShape, type ModelSpec } from '../../../vae/spec.ts';
import { forgetOwnModel, keptDatasetInto, saveOwnModel, sideOf, storedOwnModel, type StoredDataset } from '../page/own-store.ts';
import type { ModelSlot } from './storage.ts';
import type { PanelSizes } from './train-requests.ts';

/** The dataset id of a reader's own images in model specs and bundles. */
const OWN_DATASET = 'own';


/** The model the own panel trains: the settings' network at the dataset's image shape. */
export function ownSpec(spec: ModelSpec, set: StoredDataset): ModelSpec {
  return withImageShape(spec, setShape(set));
}

/** The training and test images the workers get. */
export function ownImages(set: StoredDataset): { train: ImageSet; test: ImageSet } {
  return { train: sideOf(set, 'train'), test: sideOf(set, 'test') };
}

/** Every training and test image, and at most `testLossImages` test images for the test loss. */
export function ownSizes(set: StoredDataset, testLossImages: number): PanelSizes {
  const test = set.sides.filter((s) => s === 'test').length;
  return { trainImages: set.sides.length - test, testImages: test, testLossImages: Math.min(testLossImages, test) };
}

/** What the own panel's status line says before a run: what Train will train on, or to prepare a dataset first. */
export function ownInvitation(set: StoredDataset | undefined): string {
  if (!set) return 'Prepare a dataset in the figure above first (your pictures, drawings or the toy shapes); then Train trains on it here.';
  const { trainImages, testImages } = ownSizes(set, 0);
  return `Press Train to train a fresh VAE on your ${trainImages.toLocaleString('en')} training images (${set.name}), in background threads of this page; the ${testImages.toLocaleString('en')} held out are its test images. Nothing is downloaded or uploaded.`;
}

/** The model kept with the dataset `current()`; a model of other data is refused when opened. */
export function ownSlot(current: () => StoredDataset | undefined): ModelSlot {
  return {
    save: async (bundle) => {
      const set = current();
      if (!set) throw new Error('there is no dataset of yours to keep it with');
      await saveOwnModel(bundle, set.prepared);
    },
    load: async () => {
      const set = current();
      return set ? storedOwnModel(set.prepared) : undefined;
    },
    forget: forgetOwnModel,
    refuse: (bundle: ModelBundle) => {
      if (bundle.spec.dataset !== OWN_DATASET) return `It was trained on ${datasetName(bundle.spec.dataset, 'long')}; this panel trains on your own images, so open it in a panel on that data.`;
      const set = current();
      const [model, data] = [imageShape(bundle.spec), set ? setShape(set) : undefined];
      if (data && !sameShape(model, data)) return `It takes ${shapeText(model)} images and your dataset has ${shapeText(data)} ones: prepare your pictures as ${shapeText(model)} to open it.`;
      return undefined;
    },
  };
}

export { keptDatasetInto };
