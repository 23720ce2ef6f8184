/**
 * Which precision to ship a model's weights in: float16 halves the download and is used when
 * it moves the test loss by less than 0.5 nats per image; otherwise float32.
 */
import type { ImageSet } from '../../src/vae/data.ts';
import { evaluate, type EvalResult } from '../../src/vae/evaluate.ts';
import { loadVae, vaeToFiles, type ModelFiles, type ModelMetrics } from '../../src/vae/io.ts';
import { disposeVae, type Vae } from '../../src/vae/model.ts';

const FLOAT16_TOLERANCE = 0.5;
export const TEST_SEED = 12345;

const weightBytes = (f: ModelFiles) => f['encoder/weights.bin']!.length + f['decoder/weights.bin']!.length;

export interface Storage {
  files: ModelFiles;
  /** The test result of the weights in `files`. */
  test: EvalResult;
  weights: NonNullable<ModelMetrics['weights']>;
}

export async function chooseStorage(vae: Vae, test: ImageSet): Promise<Storage> {
  const full = await vaeToFiles(vae);
  const half = await vaeToFiles(vae, { float16: true });
  const fullTest = evaluate(vae, test, { seed: TEST_SEED });
  const halfVae = await loadVae(vae.spec, async (p) => half[p.replace(/^\.\//, '')]!, '.');
  const halfTest = evaluate(halfVae, test, { seed: TEST_SEED });
  disposeVae(halfVae);
  const useHalf = Math.abs(halfTest.loss - fullTest.loss) < FLOAT16_TOLERANCE;
  return {
    files: useHalf ? half : full,
    test: useHalf ? halfTest : fullTest,
    weights: {
      dtype: useHalf ? 'float16' : 'float32',
      bytes: weightBytes(useHalf ? half : full),
      float32Bytes: weightBytes(full),
      float16Bytes: weightBytes(half),
      testLossFloat32: fullTest.loss,
      testLossFloat16: halfTest.loss,
    },
  };
}
