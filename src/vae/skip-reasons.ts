/**
 * Why a reader's file is left out of their dataset (src/vae/own-dataset.ts), in the words the
 * page shows: a module of its own, so the figure that shows them need not load the rest.
 */

/** At most this many images are prepared; the rest are skipped and counted. */
export const MAX_IMAGES = 60_000;

/** Why a file was left out; the page groups them by reason. */
export type SkipReason =
  | 'not an image'
  | 'beyond the cap'
  | 'unsafe path'
  | 'not listed in labels.csv'
  | 'outside the class folders'
  | 'cannot be decoded'
  | 'no ink'
  | 'duplicate';

export const SKIP_TEXT: Record<SkipReason, string> = {
  'not an image': 'not an image file',
  'beyond the cap': `beyond the first ${MAX_IMAGES.toLocaleString('en')} images`,
  'unsafe path': 'a path outside the folder',
  'not listed in labels.csv': 'not listed in labels.csv',
  'outside the class folders': 'beside the class folders rather than in one',
  'cannot be decoded': 'this browser cannot decode it (corrupt, cut off, or a format it lacks)',
  'no ink': 'blank: nothing to centre',
  duplicate: 'an exact copy of another image, once prepared',
};
