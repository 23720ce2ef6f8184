/**
 * Speed measurements of the engine on the current backend, the same in Node and in the page:
 * training throughput, single-digit decode latency and a 20×20 grid decoded row by row as the
 * manifold figures draw it (in all, and until its first row is ready), each the median of several
 * runs after warm-up. Synthetic images cost the same FLOPs as real ones.
 */
import { tf } from './backend.ts';
import { shapeField, type ImageSet } from './data.ts';
import { trainFlopsPerExample } from './flops.ts';
import { decode } from './infer.ts';
import { manifoldMosaicByRows } from './manifold.ts';
import { buildVae, disposeVae } from './model.ts';
import { createRng } from './random.ts';
import { getSpec, imageShape, imageValues, type ImageShape } from './spec.ts';
import { median } from './stats.ts';
import { Trainer } from './train.ts';

export interface BenchRow {
  where: 'node' | 'chromium';
  backend: string;
  model: string;
  batch: number;
  trainImagesPerSec: number;
  decodeMs: number;
  /** The 20×20 grid, row by row, until all 400 images are tiled into the mosaic's levels (and painted, where the caller paints). */
  gridDecodeMs: number;
  /** The same, until its first row of 20 is. */
  gridFirstRowMs: number;
  gflops: number;
}

export interface BenchOptions {
  where: BenchRow['where'];
  model?: string;
  batch?: number;
  /** Timed training steps (after `warmup` untimed ones). */
  trainSteps?: number;
  warmup?: number;
  decodeRuns?: number;
  gridRuns?: number;
  now?: () => number;
  /** Paints one row of the grid's mosaic (levels 0…255, channels last) as a figure would; timed with the grid. */
  paintRow?: (row: number, levels: Uint8Array) => void;
}

/** `count` images of `shape` with seeded values, mostly blank as digits are: the same work as real ones. */
export function syntheticImages(count: number, seed: number, shape: ImageShape): ImageSet {
  const rng = createRng(seed);
  const images = new Uint8Array(count * imageValues(shape));
  for (let i = 0; i < images.length; i++) images[i] = rng() < 0.8 ? 0 : Math.floor(rng() * 256);
  return { count, images, labels: new Uint8Array(count), ...shapeField(shape) };
}

function timeIt(now: () => number, runs: number, f: () => void): number[] {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = now();
    f();
    times.push(now() - t0);
  }
  return times;
}

/** Measures the active TF.js backend; the caller picks it with initBackend or tf.setBackend. */
export async function benchBackend(options: BenchOptions): Promise<BenchRow> {
  const now = options.now ?? (() => performance.now());
  const spec = getSpec(options.model ?? 'mnist-conv-z2');
  const batch = options.batch ?? 128;
  const vae = buildVae(spec);
  const trainer = new Trainer(vae, syntheticImages(batch * 4, 7, imageShape(spec)), { batchSize: batch, learningRate: 1e-3, seed: 1 });
  try {
    for (let i = 0; i < (options.warmup ?? 2); i++) trainer.step();
    const stepMs = median(timeIt(now, options.trainSteps ?? 5, () => trainer.step()));
    const one = [0.3, -0.7];
    decode(vae, one);
    const decodeMs = median(timeIt(now, options.decodeRuns ?? 30, () => decode(vae, one)));
    const grids: { all: number; firstRow: number }[] = [];
    for (let r = 0; r <= (options.gridRuns ?? 5); r++) {
      const t0 = now();
      let firstRow = 0;
      await manifoldMosaicByRows(vae, 20, 3, {
        paint: (row, levels) => {
          options.paintRow?.(row, levels);
          if (row === 0) firstRow = now() - t0;
        },
      });
      if (r > 0) grids.push({ all: now() - t0, firstRow }); // the first run warms up
    }
    const gridDecodeMs = median(grids.map((g) => g.all));
    const gridFirstRowMs = median(grids.map((g) => g.firstRow));
    const trainImagesPerSec = (batch * 1000) / stepMs;
    return {
      where: options.where,
      backend: tf.getBackend(),
      model: spec.id,
      batch,
      trainImagesPerSec: Math.round(trainImagesPerSec * 10) / 10,
      decodeMs: Math.round(decodeMs * 100) / 100,
      gridDecodeMs: Math.round(gridDecodeMs * 10) / 10,
      gridFirstRowMs: Math.round(gridFirstRowMs * 10) / 10,
      gflops: Math.round((trainImagesPerSec * trainFlopsPerExample([vae.encoder, vae.decoder])) / 1e7) / 100,
    };
  } finally {
    trainer.dispose();
    disposeVae(vae);
  }
}
