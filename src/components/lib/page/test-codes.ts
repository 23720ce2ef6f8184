/**
 * The test images' codes of a shipped model (`public/weights/<id>/test-latents.bin`: μ(x) and
 * the label of every test image), fetched once per page however many figures ask for them.
 */
import { decodeLatents, LATENTS_FILE, type LatentPoints } from '../../../vae/latents-file.ts';

const cache = new Map<string, Promise<LatentPoints>>();

/** The URL of a model's test codes under the site's base path. */
export function testCodesUrl(base: string, model: string): string {
  return `${base.replace(/\/$/, '')}/weights/${model}/${LATENTS_FILE}`;
}

/** Fetches and decodes a model's test codes; a failed fetch is not cached, so a later call tries again. */
export function testCodes(base: string, model: string): Promise<LatentPoints> {
  const url = testCodesUrl(base, model);
  let points = cache.get(url);
  if (!points) {
    points = (async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return decodeLatents(new Uint8Array(await response.arrayBuffer()));
    })();
    points.catch(() => cache.delete(url));
    cache.set(url, points);
  }
  return points;
}
