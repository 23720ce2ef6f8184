/**
 * npm run render:icons [-- --out DIR]
 *
 * Draws the app icons the web app manifest (public/manifest.webmanifest) names, at 192 and 512
 * pixels: the favicon's picture (public/favicon.svg, four codes of a latent scatter) on a square
 * that fills the icon, so that a system may mask it to any shape. Each pixel averages 4 × 4
 * samples, for smooth edges.
 */
import { join } from 'node:path';
import { encodePng } from '../src/vae/grey-png.ts';
import { cliArgs, exitCleanlyOnError } from './lib/args.ts';
import { PUBLIC, writeFiles } from './lib/files.ts';

exitCleanlyOnError();
const args = cliArgs({ out: { type: 'string' } });
const outDir = args.out ?? join(PUBLIC, 'icons');

/** The favicon's circles on its 32-unit square: centre, radius and colour. */
const GROUND = [0x1f, 0x29, 0x37];
const DOTS = [
  { x: 11, y: 12, r: 3, rgb: [0x60, 0xa5, 0xfa] },
  { x: 21, y: 20, r: 3, rgb: [0xf4, 0x72, 0xb6] },
  { x: 20, y: 10, r: 2, rgb: [0x34, 0xd3, 0x99] },
  { x: 12, y: 22, r: 2, rgb: [0xfb, 0xbf, 0x24] },
];
const SAMPLES = 4;

function icon(size: number): Uint8Array {
  const rgb = new Uint8Array(size * size * 3);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const [x, y] = [((px + (sx + 0.5) / SAMPLES) / size) * 32, ((py + (sy + 0.5) / SAMPLES) / size) * 32];
          const dot = DOTS.find((d) => (x - d.x) ** 2 + (y - d.y) ** 2 <= d.r * d.r);
          (dot?.rgb ?? GROUND).forEach((v, c) => (sum[c]! += v));
        }
      }
      for (let c = 0; c < 3; c++) rgb[(py * size + px) * 3 + c] = Math.round(sum[c]! / SAMPLES ** 2);
    }
  }
  return encodePng(rgb, size, size, 3);
}

const files = Object.fromEntries([192, 512].map((size) => [`icon-${size}.png`, icon(size)]));
await writeFiles(outDir, files);
console.log(`Wrote ${Object.keys(files).map((f) => join(outDir, f)).join(' and ')}.`);
