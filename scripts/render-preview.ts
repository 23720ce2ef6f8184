/**
 * npm run render:preview -- --model mnist-conv-z2 [--grid gaussian]
 *
 * Renders public/weights/<model>/manifold.png: the decoded manifold that the latent-manifold
 * figure shows before TF.js has loaded (and to readers without JavaScript). A conditional
 * model's preview decodes every cell with the label the figure starts with. With
 * --grid gaussian it renders the inverse-CDF grid instead, as manifold-gaussian.png.
 */
import { join } from 'node:path';
import { initBackend } from '../src/vae/backend.ts';
import { loadVae } from '../src/vae/io.ts';
import { MANIFOLD_GRIDS, manifoldMosaic, PREVIEW_LABEL, type ManifoldGrid } from '../src/vae/manifold.ts';
import { disposeVae } from '../src/vae/model.ts';
import { getSpec } from '../src/vae/spec.ts';
import { cliArgs, num, exitCleanlyOnError } from './lib/args.ts';
import { PUBLIC, readPublic, writeFiles } from './lib/files.ts';
import { encodeGreyPng } from './lib/png.ts';

exitCleanlyOnError();

const args = cliArgs({
  model: { type: 'string', default: 'mnist-conv-z2' },
  side: { type: 'string', default: '15' },
  range: { type: 'string', default: '3' },
  grid: { type: 'string', default: 'linear' },
});
const spec = getSpec(args.model!);
const side = num(args.side, 'side');
const range = num(args.range, 'range');
const grid = args.grid as ManifoldGrid;
if (!MANIFOLD_GRIDS.includes(grid)) throw new Error(`--grid must be one of ${MANIFOLD_GRIDS.join(', ')}, not ${args.grid}`);
const file = grid === 'linear' ? 'manifold.png' : `manifold-${grid}.png`;
await initBackend({ prefer: ['wasm'] });
const vae = await loadVae(spec, readPublic, `weights/${spec.id}`);
// A conditional model's preview shows the class its figure starts with.
const label = spec.kind === 'cvae' ? PREVIEW_LABEL : undefined;
const png = encodeGreyPng(manifoldMosaic(vae, side, range, label, grid), side * 28, side * 28);
disposeVae(vae);
await writeFiles(join(PUBLIC, 'weights', spec.id), { [file]: png });
const where = grid === 'linear' ? `over [−${range}, ${range}]²` : 'at Φ⁻¹ of evenly spaced probabilities';
console.log(`Wrote public/weights/${spec.id}/${file} (${side}×${side} digits ${where}, ${png.length} bytes).`);
