/**
 * The floor of the loss on grey-level targets. Per pixel, the Bernoulli cross-entropy
 *   −[x log p + (1−x) log(1−p)] = H(x) + KL(Bern(x) ‖ Bern(p)) ≥ H(x) = −[x log x + (1−x) log(1−x)],
 * with equality only at p = x, so no decoder and no z gets −log p(x|z) below Σ_i H(x_i); hence
 * p(x) = E_{p(z)}[p(x|z)] ≤ e^{−Σ H} and −log p(x) ≥ Σ_i H(x_i) too. It is 0 for binary images.
 * For colour images i runs over every pixel and channel, as the loss does.
 */
import { setShape, type ImageSet } from './data.ts';
import { imageValues } from './spec.ts';

/** H(v/255) in nats for each grey level v, in float64, with 0·log 0 = 0 (so H(0) = H(1) = 0). */
function greyLevelEntropies(): Float64Array {
  return Float64Array.from({ length: 256 }, (_, v) => {
    const x = v / 255;
    return v === 0 || v === 255 ? 0 : -(x * Math.log(x) + (1 - x) * Math.log(1 - x));
  });
}

/**
 * Σ_i H(x_i) averaged over the images, nats per image. Counting each grey level first makes the
 * sum exact up to one rounding per level: Σ_v count_v · H(v/255), counts being exact integers.
 */
export function entropyFloorPerImage(data: ImageSet): number {
  if (data.count === 0) return NaN;
  const counts = new Float64Array(256);
  for (const v of data.images.subarray(0, data.count * imageValues(setShape(data)))) counts[v] = counts[v]! + 1;
  const h = greyLevelEntropies();
  let total = 0;
  for (let v = 0; v < 256; v++) total += counts[v]! * h[v]!;
  return total / data.count;
}
