/**
 * npm run render:preview -- --model mnist-conv-z2 [--grid gaussian] [--out DIR]
 *
 * Renders public/weights/<model>/manifold.png: the decoded manifold that the latent-manifold
 * figure shows before TF.js has loaded (and to readers without JavaScript). A conditional
 * model's preview decodes every cell with the label the figure starts with. With
 * --grid gaussian it renders the inverse-CDF grid instead, as manifold-gaussian.png.
 *
 * npm run render:preview -- --model mnist-conv-z2 --interp 0,3 [--steps 11]
 *
 * Renders public/weights/<model>/interp-<a>-<b>-<steps>.png instead: the interpolation figure's
 * two strips for test images a and b (linear path on top, spherical below), decoded from their
 * means as the figure decodes them.
 */
import { join, relative } from 'node:path';
import { initBackend } from '../src/vae/backend.ts';
import { loadSplit, toFloat } from '../src/vae/data.ts';
import { decode, encode } from '../src/vae/infer.ts';
import { interpolationFile, pathCodes, PATH_KINDS } from '../src/vae/interpolate.ts';
import { loadVae } from '../src/vae/io.ts';
import { MANIFOLD_GRIDS, manifoldMosaic, PREVIEW_LABEL, tileRows, type ManifoldGrid } from '../src/vae/manifold.ts';
import { disposeVae } from '../src/vae/model.ts';
import { getSpec, imageShape } from '../src/vae/spec.ts';
import { cliArgs, num, exitCleanlyOnError } from './lib/args.ts';
import { PUBLIC, readPublic, writeFiles } from './lib/files.ts';
import { encodePng } from './lib/png.ts';

exitCleanlyOnError();

const args = cliArgs({
  model: { type: 'string', default: 'mnist-conv-z2' },
  side: { type: 'string', default: '15' },
  range: { type: 'string', default: '3' },
  grid: { type: 'string', default: 'linear' },
  interp: { type: 'string' },
  steps: { type: 'string', default: '11' },
  out: { type: 'string' },
});
/** Where the image goes: the model's weights folder, unless --out names another. */
const outDir = (id: string) => args.out ?? join(PUBLIC, 'weights', id);
const spec = getSpec(args.model!);
// 28 × 28 grey, or the model's own image shape (32 × 32 × 3 for the emoji).
const shape = imageShape(spec);
const channels = shape.channels as 1 | 3;
const side = num(args.side, 'side');
const range = num(args.range, 'range');
const grid = args.grid as ManifoldGrid;
if (!MANIFOLD_GRIDS.includes(grid)) throw new Error(`--grid must be one of ${MANIFOLD_GRIDS.join(', ')}, not ${args.grid}`);
await initBackend({ prefer: ['wasm'] });
const vae = await loadVae(spec, readPublic, `weights/${spec.id}`);
if (args.interp !== undefined) {
  const ends = args.interp.split(',').map((v) => num(v, 'interp'));
  const steps = num(args.steps, 'steps');
  if (ends.length !== 2 || !ends.every((i) => Number.isInteger(i) && i >= 0)) throw new Error(`--interp needs two test image indices, e.g. 0,3, not ${args.interp}`);
  if (!(Number.isInteger(steps) && steps >= 3)) throw new Error(`--steps must be a whole number ≥ 3, not ${args.steps}`);
  if (spec.kind !== 'vae' || spec.latentDim !== 2) throw new Error(`--interp renders the interpolation figure of a 2-D VAE, not ${spec.id}`);
  const test = await loadSplit(readPublic, `data/${spec.dataset}`, 'test');
  const [a, b] = ends as [number, number];
  if (b >= test.count || a >= test.count) throw new Error(`--interp: the test split has images 0 to ${test.count - 1}`);
  const { mu } = encode(vae, toFloat(test, [a, b]));
  const codes = new Float32Array(2 * steps * 2);
  PATH_KINDS.forEach((kind, row) => codes.set(pathCodes(kind, mu.subarray(0, 2), mu.subarray(2, 4), steps), row * 2 * steps));
  const png = encodePng(tileRows(decode(vae, codes), steps, shape), steps * shape.width, PATH_KINDS.length * shape.height, channels);
  disposeVae(vae);
  const file = interpolationFile(a, b, steps);
  await writeFiles(outDir(spec.id), { [file]: png });
  console.log(`Wrote ${relative(process.cwd(), join(outDir(spec.id), file))} (${PATH_KINDS.join(' and ')} paths from test image ${a} to ${b}, ${steps} images each, ${png.length} bytes).`);
} else {
  const file = grid === 'linear' ? 'manifold.png' : `manifold-${grid}.png`;
  // A conditional model's preview shows the class its figure starts with.
  const label = spec.kind === 'cvae' ? PREVIEW_LABEL : undefined;
  const png = encodePng(manifoldMosaic(vae, side, range, label, grid), side * shape.width, side * shape.height, channels);
  disposeVae(vae);
  await writeFiles(outDir(spec.id), { [file]: png });
  const where = grid === 'linear' ? `over [−${range}, ${range}]²` : 'at Φ⁻¹ of evenly spaced probabilities';
  console.log(`Wrote ${relative(process.cwd(), join(outDir(spec.id), file))} (${side}×${side} images ${where}, ${png.length} bytes).`);
}
