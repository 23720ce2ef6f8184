/**
 * The reader's model that the training panel kept in this browser (saved-model.ts), read back
 * for a figure on any page: the figures of every chapter can offer it, not only the panel's.
 * Undefined when there is none, or when it cannot be read (the panel reports that itself).
 */
import { decodeBundle } from '../../../vae/bundle.ts';
import { savedModel } from './saved-model.ts';
import type { TrainedModel } from './shared.ts';

export async function keptModel(): Promise<TrainedModel | undefined> {
  try {
    const bytes = await savedModel();
    if (!bytes) return undefined;
    const { spec, files, meta } = decodeBundle(bytes);
    return { spec, files, step: meta.steps };
  } catch {
    return undefined;
  }
}
