/**
 * The training panel's latent units: how many are active, each unit's mean KL on the test
 * images as a bar (active units filled, inactive ones hollow, λ marked under free bits), and
 * for a latent above 2-D each unit's traversal, one row of decoded digits per unit.
 */
import type { Snapshot } from '../../../vae/protocol.ts';
import { activeUnitsText, unitBars } from '../draw/unit-bars.ts';
import { GREY_28, imageValues, type ImageShape } from '../../../vae/spec.ts';
import { probsImage } from '../draw/paint.ts';

const SVG = 'http://www.w3.org/2000/svg';
const [WIDTH, HEIGHT] = [320, 120];

function node(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Draws a snapshot's units into the panel's `[data-units]` section; `lambda`: the run's free bits. */
export function paintUnits(root: HTMLElement, s: Snapshot, lambda: number, shape: ImageShape = GREY_28): void {
  const section = root.querySelector<HTMLElement>('[data-units]');
  if (!section) return;
  const units = s.units;
  const readout = section.querySelector<HTMLElement>('[data-active-units]')!;
  const svg = section.querySelector<SVGSVGElement>('[data-unit-kl]')!;
  if (!units) {
    readout.textContent = 'The units’ readout appears once this browser has the test images: train a model once.';
    svg.replaceChildren();
    return;
  }
  const d = units.kl.length;
  root.dataset['activeUnits'] = String(units.active);
  root.dataset['unitKl'] = units.kl.map((v) => v.toFixed(4)).join(',');
  readout.textContent = `${activeUnitsText(units.active, d, units.threshold)}; mean KL per unit on the test images:`;
  const layout = unitBars(units.kl, units.activity, units.threshold, WIDTH, HEIGHT, { lambda });
  const parts: SVGElement[] = [node('line', { x1: 0, x2: WIDTH, y1: layout.baseline, y2: layout.baseline, class: 'axis' })];
  for (const bar of layout.bars) {
    const rect = node('rect', { x: bar.x, y: bar.y, width: bar.width, height: Math.max(bar.height, 0.5), class: bar.active ? 'unit active' : 'unit inactive' });
    rect.append(node('title', {}, `unit ${bar.unit + 1}: KL ${bar.kl.toFixed(3)} nats, A_u ${bar.activity.toPrecision(2)}${bar.active ? '' : ' (inactive)'}`));
    parts.push(rect);
    parts.push(node('text', { x: bar.x + bar.width / 2, y: HEIGHT - 3, 'text-anchor': 'middle', class: 'label' }, String(bar.unit + 1)));
  }
  if (layout.lambdaY !== undefined) {
    parts.push(node('line', { x1: 0, x2: WIDTH, y1: layout.lambdaY, y2: layout.lambdaY, class: 'lambda' }));
    parts.push(node('text', { x: WIDTH - 2, y: layout.lambdaY - 3, 'text-anchor': 'end', class: 'label' }, `λ = ${lambda}`));
  }
  parts.push(node('text', { x: 2, y: 9, class: 'label' }, `${layout.top.toFixed(2)} nats`));
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('aria-label', `Mean KL of each of the ${d} latent units on the test images: ${units.kl.map((v, u) => `unit ${u + 1} ${v.toFixed(2)}`).join(', ')} nats; ${units.active} active.`);
  svg.replaceChildren(...parts);
  paintTraversal(section, s, shape);
}

/** Back to the panel's first look: no readout, no bars, no traversals. */
export function clearUnits(root: HTMLElement): void {
  const section = root.querySelector<HTMLElement>('[data-units]');
  if (!section) return;
  delete root.dataset['activeUnits'];
  delete root.dataset['unitKl'];
  section.querySelector<HTMLElement>('[data-active-units]')!.textContent = 'Train a model to see which of its latent units it uses.';
  section.querySelector<SVGSVGElement>('[data-unit-kl]')!.replaceChildren();
  section.querySelector<HTMLElement>('[data-traversal-box]')!.hidden = true;
}

/** One row of 7 images per unit: the unit swept from −2 to 2 with the others at the mean code. */
function paintTraversal(section: HTMLElement, s: Snapshot, shape: ImageShape): void {
  const box = section.querySelector<HTMLElement>('[data-traversal-box]')!;
  const t = s.traversal;
  box.hidden = !t;
  if (!t) return;
  const d = t.base.length;
  const columns = t.values.length;
  const canvas = section.querySelector<HTMLCanvasElement>('[data-traversal]')!;
  const [w, h, per] = [shape.width, shape.height, imageValues(shape)];
  if (canvas.width !== columns * w || canvas.height !== d * h) {
    canvas.width = columns * w;
    canvas.height = d * h;
  }
  const ctx = canvas.getContext('2d')!;
  for (let u = 0; u < d; u++) {
    for (let j = 0; j < columns; j++) {
      const k = u * columns + j;
      ctx.putImageData(probsImage(t.images.subarray(k * per, (k + 1) * per), shape), j * w, u * h);
    }
  }
  canvas.setAttribute('aria-label', `Traversals: ${d} rows, one per latent unit, each decoding the mean test code with that unit set to ${t.values.map((v) => v.toFixed(2)).join(', ')}.`);
  section.querySelector<HTMLElement>('[data-traversal-rows]')!.replaceChildren(
    ...Array.from({ length: d }, (_, u) => {
      const li = document.createElement('li');
      li.textContent = String(u + 1);
      return li;
    }),
  );
}
