/**
 * The native reference of `npm run bench` (`-- --native-only` for it alone): the seed model
 * trained in PyTorch on this machine's CPU (scripts/native-reference.py), beside the page's own
 * training, so that the ratio is measured side by side, never typed in. One process with
 * OPENBLAS_NUM_THREADS=1 (more OpenBLAS threads oversubscribe a small machine and run several
 * times slower, which would flatter the page) and the better of 1 and 2 torch threads.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface NativeRun {
  torch: string;
  imagesPerSec: number;
  threads: number;
  byThreads: Record<string, number>;
  /** The reference network's parameter count, to check it is the seed model's. */
  parameters: number;
  /** The BLAS library the process loaded. */
  blas: string | null;
}

/** How to make the reference available, for the bench's message when it is not. */
export const NATIVE_HOWTO = "install Debian's PyTorch with OpenBLAS (sudo apt-get install python3-torch libopenblas0-pthread) and run npm run bench -- --native-only";

/** The Pythons tried, in order: $PYTHON, the one on PATH, then Debian's own (python3-torch installs there). */
const PYTHONS = [process.env['PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);

/**
 * One run of the reference with the first Python that has torch, or the reason it could not run.
 * A torch on the reference BLAS is refused: it is several times slower than the machine can be.
 */
export function runNative(root: string, pythons: readonly string[] = PYTHONS): NativeRun | { missing: string } {
  const why: string[] = [];
  for (const python of pythons) {
    const result = spawnSync(python, [join(root, 'scripts', 'native-reference.py')], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (result.error) {
      why.push(`${python} did not start`);
      continue;
    }
    if (result.status !== 0) {
      why.push(/No module named 'torch'/.test(result.stderr) ? `${python} has no PyTorch` : `${python} failed: ${result.stderr.trim().split('\n').at(-1) ?? result.status}`);
      continue;
    }
    const run = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as NativeRun;
    if (!run.blas?.includes('openblas')) return { missing: `its PyTorch multiplies with ${run.blas ?? 'an unknown BLAS'}, not OpenBLAS` };
    return run;
  }
  return { missing: why.join('; ') };
}

export interface NativeComparison {
  reference: NativeRun[];
  page: { imagesPerSec: number; workers: number }[];
  medianReference: number;
  medianPage: number;
  ratio: number;
}

export function nativeLine(c: NativeComparison): string {
  const r = c.reference[0]!;
  return (
    `Native reference: PyTorch ${r.torch} on this CPU (OPENBLAS_NUM_THREADS=1, best of 1 and 2 threads), median ${c.medianReference} images/s over ${c.reference.length} run(s) ` +
    `[${c.reference.map((x) => `${x.imagesPerSec} on ${x.threads}`).join(', ')}]; the page's training panel, median ${c.medianPage} images/s ` +
    `[${c.page.map((x) => `${x.imagesPerSec} on ${x.workers} worker(s)`).join(', ')}]; the page at ${c.ratio.toFixed(2)}× native.`
  );
}
