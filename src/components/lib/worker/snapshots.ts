/**
 * The training worker's snapshots: what the panel draws between steps. Each holds the sample
 * grid (the view's fixed prior codes, decoded), the codes of the test images and the loss on the
 * fixed test subset, with the same ε at every snapshot so that changes are the model's, each latent
 * unit's KL and activity, and for a latent above 2-D every unit's traversal. The
 * replicas (which hold the same weights between two steps) take their shares of the test work
 * while this worker computes its own (src/vae/snapshot-shares.ts); the next step waits in their
 * queues behind it, and a share that fails is computed here instead. Snapshots keep a gap
 * between them while training runs: at least 2 s, and 3 times what the last one cost.
 */
import { toFloat, type ImageSet } from '../../../vae/data.ts';
import { decode, encode } from '../../../vae/infer.ts';
import type { Vae } from '../../../vae/model.ts';
import { PANEL_TEST_SEED } from '../../../vae/panel-recipe.ts';
import type { Replica } from '../../../vae/data-parallel.ts';
import type { Snapshot } from '../../../vae/protocol.ts';
import { computeTestShare, mergeTestShares, splitTestWork, type TestShare, type TestShareResult, type TestSummary } from '../../../vae/snapshot-shares.ts';
import { meanCode } from '../../../vae/code-stats.ts';
import { traverse, type Traversal } from '../../../vae/traversal.ts';

/** Test images whose mean μ is the traversals' base code. */
const TRAVERSAL_BASE_IMAGES = 256;

/**
 * For a latent above 2-D, each unit swept from the mean μ of the first test images (the prior's
 * mean without them): decoded now, with the weights of this step.
 */
function unitTraversal(vae: Vae, test: ImageSet | undefined): Traversal | undefined {
  const d = vae.spec.latentDim;
  if (d <= 2 || vae.spec.kind === 'cvae') return undefined;
  const n = test ? Math.min(TRAVERSAL_BASE_IMAGES, test.count) : 0;
  const base = n > 0 ? meanCode(encode(vae, toFloat(test!, Array.from({ length: n }, (_, i) => i))).mu, n, d) : new Array<number>(d).fill(0);
  return traverse(vae, base);
}

/** The seed of the test loss's ε: the same draws at every snapshot, so changes are the model's. */
const TEST_SEED = PANEL_TEST_SEED;

/** The least time between two snapshots while training runs. */
const SNAPSHOT_GAP_MS = 2000;

/** What a snapshot measures: the model at `step`, its sample codes and test images, and who helps. */
export interface SnapshotInput {
  vae: Vae;
  step: number;
  sampleCodes: Float32Array;
  test: ImageSet | undefined;
  /** Test images whose loss is measured (the first of `test`). */
  testLossImages: number;
  /** Replicas that hold the same weights and take shares of the test work. */
  helpers: readonly Replica[];
}

export class Snapshots {
  #gap = SNAPSHOT_GAP_MS;
  #last = 0;

  /** Whether a training step should bring a snapshot: every `every` steps, once the gap has passed. */
  due(step: number, every: number): boolean {
    return step % every === 0 && performance.now() - this.#last >= this.#gap;
  }

  /**
   * Computes this worker's part of a snapshot at once (the samples, its share of the test work)
   * and asks the helpers for theirs; `finish` waits for them and merges. Between the two the
   * weights must not change, so the caller takes its copy of them then.
   */
  begin(input: SnapshotInput): { finish: () => Promise<Snapshot> } {
    const { vae, test, helpers, step } = input;
    const t0 = performance.now();
    const lossImages = test ? Math.min(input.testLossImages, test.count) : 0;
    let labels: Uint8Array = new Uint8Array(0);
    let pending: Promise<TestShareResult>[] = [];
    let shares: TestShare[] = [];
    if (test) {
      shares = splitTestWork(test.count, lossImages, helpers.length + 1);
      pending = helpers.map((r, i) => r.testShare(shares[i + 1]!, lossImages, TEST_SEED));
      labels = test.labels.slice();
    }
    const samples = decode(vae, input.sampleCodes);
    const traversal = unitTraversal(vae, test);
    const own = test ? computeTestShare(vae, test, lossImages, shares[0]!, TEST_SEED) : undefined;
    this.#last = performance.now();
    this.#gap = Math.max(SNAPSHOT_GAP_MS, 3 * (this.#last - t0));
    const finish = async (): Promise<Snapshot> => {
      let summary: TestSummary | undefined;
      if (test && own) {
        const results = [own];
        for (const [i, share] of pending.entries()) {
          // A replica that failed: its share here instead (the step it also fails changed nothing).
          results.push(await share.catch(() => computeTestShare(vae, test, lossImages, shares[i + 1]!, TEST_SEED)));
        }
        summary = mergeTestShares(shares, results, test.count, lossImages, vae);
      }
      const codes = summary?.codes ?? new Float32Array(0);
      return { step, samples, codes, labels, testLoss: summary?.testLoss, units: summary?.units, traversal };
    };
    return { finish };
  }
}
