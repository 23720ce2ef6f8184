/**
 * The drawing pad's preprocessing, checked against what MNIST's own preparation does: shapes
 * drawn large and off-centre come out 20 pixels on their longer side with the centre of mass
 * at (14, 14) and their ink conserved; real test digits drawn four times larger come back as
 * the test digits, and both chapter-1 models give them the same codes; no ink, no image.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readPublic } from '../../scripts/lib/files.ts';
import { loadSplit, toFloat } from '../../src/vae/data.ts';
import { encode } from '../../src/vae/infer.ts';
import { loadVae } from '../../src/vae/io.ts';
import { disposeVae, type Vae } from '../../src/vae/model.ts';
import { inkFromAlpha, inkFromLuminance, preprocessDigit } from '../../src/vae/preprocess.ts';
import { getSpec, PIXELS } from '../../src/vae/spec.ts';
import { assertClose, useWasm } from './helpers.ts';

/** Bounding box of the pixels above 0, centre of mass and total ink of a 28 × 28 image. */
function measure(image: Float32Array): { width: number; height: number; cx: number; cy: number; total: number } {
  let [x0, y0, x1, y1, total, mx, my] = [28, 28, -1, -1, 0, 0, 0];
  for (let p = 0; p < PIXELS; p++) {
    const v = image[p]!;
    if (!(v > 0)) continue;
    const [x, y] = [p % 28, Math.floor(p / 28)];
    [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
    total += v;
    mx += v * x;
    my += v * y;
  }
  return { width: x1 - x0 + 1, height: y1 - y0 + 1, cx: mx / total, cy: my / total, total };
}

/** A width × height drawing with ink where `inside(x, y)` holds, averaged over 4 × 4 subsamples as a canvas would. */
function drawing(width: number, height: number, inside: (x: number, y: number) => boolean): Float32Array {
  const ink = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hits = 0;
      for (let k = 0; k < 16; k++) if (inside(x + ((k % 4) + 0.5) / 4, y + (Math.floor(k / 4) + 0.5) / 4)) hits++;
      ink[y * width + x] = hits / 16;
    }
  }
  return ink;
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

function expectMnistShape(ink: Float32Array, width: number, height: number, what: string): void {
  const out = preprocessDigit(ink, width, height);
  assert.ok(out.drawn, `${what}: nothing drawn`);
  assert.equal(out.image.length, 784);
  assert.ok(out.image.every((v) => v >= 0 && v <= 1), `${what}: grey levels outside [0, 1]`);
  const m = measure(out.image);
  assert.ok(Math.abs(Math.max(m.width, m.height) - 20) <= 1, `${what}: longer side ${Math.max(m.width, m.height)} px, not 20`);
  assertClose(m.cx, 14, 0.5, `${what}: centre of mass x`);
  assertClose(m.cy, 14, 0.5, `${what}: centre of mass y`);
  // Area-weighted resampling keeps the ink: each drawing pixel becomes scale² of an output pixel.
  assertClose(m.total, sum(ink) * out.scale ** 2, 1e-3 * m.total, `${what}: total ink`);
  // Grey levels, not a binary mask: the edges are anti-aliased.
  assert.ok(out.image.some((v) => v > 0.05 && v < 0.95), `${what}: no grey levels`);
}

describe('preprocessDigit on shapes', () => {
  test('a tall rectangle drawn large near a corner: 20 px high, 15 wide, centred by mass', () => {
    const [w, h] = [300, 200];
    const ink = drawing(w, h, (x, y) => x >= 30.3 && x < 150.3 && y >= 20.5 && y < 180.5);
    expectMnistShape(ink, w, h, 'rectangle');
    const out = preprocessDigit(ink, w, h);
    assert.ok(out.drawn);
    const m = measure(out.image);
    assert.ok(Math.abs(m.width - 15) <= 1, `width ${m.width}, expected 15 (aspect ratio 3 : 4 kept)`);
  });

  test('a disc drawn off-centre on a wide pad', () => {
    const [w, h] = [320, 240];
    expectMnistShape(drawing(w, h, (x, y) => (x - 230) ** 2 + (y - 80) ** 2 < 70 ** 2), w, h, 'disc');
  });

  test('a ring, whose centre of mass is its centre although it has no ink there', () => {
    const [w, h] = [200, 200];
    expectMnistShape(drawing(w, h, (x, y) => Math.abs(Math.hypot(x - 60, y - 130) - 40) < 8), w, h, 'ring');
  });

  test('an L shape, whose centre of mass is not the middle of its box', () => {
    const [w, h] = [280, 280];
    const ink = drawing(w, h, (x, y) => (x >= 40 && x < 71.5 && y >= 37.3 && y < 241.5) || (x >= 40 && x < 180.7 && y >= 210 && y < 241.5));
    expectMnistShape(ink, w, h, 'L');
    const out = preprocessDigit(ink, w, h);
    assert.ok(out.drawn);
    // Its mass sits low and left, so the box is moved right and up from where its middle would be.
    assert.ok(out.shift[0] > 4 && out.shift[1] < 4, `shift ${out.shift}`);
  });

  test('a drawing smaller than the box is scaled up to it', () => {
    const [w, h] = [12, 10];
    expectMnistShape(drawing(w, h, (x, y) => x >= 3 && x < 7 && y >= 2 && y < 8), w, h, 'small rectangle');
  });

  test('no ink gives “nothing drawn”, not a blank image', () => {
    assert.deepEqual(preprocessDigit(new Float32Array(280 * 280), 280, 280), { drawn: false });
    assert.deepEqual(preprocessDigit(new Float32Array(50).fill(0.01), 10, 5, 0.02), { drawn: false });
    assert.throws(() => preprocessDigit(new Float32Array(10), 4, 4), /16 ink values/);
  });

  test('ink from a canvas: opacity, or luminance either way round', () => {
    const rgba = Uint8ClampedArray.of(255, 255, 255, 0, 255, 255, 255, 255, 0, 0, 0, 51);
    assert.deepEqual(Array.from(inkFromAlpha(rgba), (v) => Math.round(v * 100) / 100), [0, 1, 0.2]);
    assert.deepEqual(Array.from(inkFromLuminance(rgba, true), (v) => Math.round(v * 100) / 100), [1, 1, 0]);
    assert.deepEqual(Array.from(inkFromLuminance(rgba, false), (v) => Math.round(v * 100) / 100), [0, 0, 1]);
  });
});

/** A 28 × 28 digit drawn k times larger: each pixel a k × k block, or bilinear between pixel centres (a softer pen). */
function enlarge(image: Float32Array, k: number, smooth: boolean): Float32Array {
  const side = 28 * k;
  const out = new Float32Array(side * side);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x > 27 || y > 27 ? 0 : image[y * 28 + x]!);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (!smooth) {
        out[y * side + x] = at(Math.floor(x / k), Math.floor(y / k));
        continue;
      }
      const [u, v] = [(x + 0.5) / k - 0.5, (y + 0.5) / k - 0.5];
      const [i, j] = [Math.floor(u), Math.floor(v)];
      const [fu, fv] = [u - i, v - j];
      out[y * side + x] = (1 - fv) * ((1 - fu) * at(i, j) + fu * at(i + 1, j)) + fv * ((1 - fu) * at(i, j + 1) + fu * at(i + 1, j + 1));
    }
  }
  return out;
}

describe('preprocessDigit on MNIST test digits drawn four times larger', () => {
  const N = 40;
  let originals: Float32Array;
  const models: Record<string, Vae> = {};

  before(async () => {
    await useWasm();
    const set = await loadSplit(readPublic, 'data/mnist', 'test', { limit: N });
    originals = toFloat(set, Array.from({ length: N }, (_, i) => i));
    for (const id of ['mnist-ae-z2', 'mnist-conv-z2']) models[id] = await loadVae(getSpec(id), readPublic, `weights/${id}`);
  });

  after(() => Object.values(models).forEach(disposeVae));

  /** Each digit enlarged and preprocessed, with its mean absolute pixel difference from the original. */
  function redraw(smooth: boolean): { images: Float32Array; diffs: number[] } {
    const images = new Float32Array(N * PIXELS);
    const diffs: number[] = [];
    for (let k = 0; k < N; k++) {
      const original = originals.subarray(k * PIXELS, (k + 1) * PIXELS);
      const out = preprocessDigit(enlarge(original, 4, smooth), 112, 112);
      assert.ok(out.drawn, `digit ${k}: nothing drawn`);
      images.set(out.image, k * PIXELS);
      diffs.push(sum(out.image.map((v, p) => Math.abs(v - original[p]!))) / PIXELS);
    }
    return { images, diffs };
  }

  // These 40 digits are 20 px on their longer side, as MNIST made nearly all of them.
  test('in 4 × 4 blocks, they come back exactly: the pipeline undoes its own enlargement', () => {
    const { diffs } = redraw(false);
    assert.ok(Math.max(...diffs) < 1e-6, `mean absolute pixel differences up to ${Math.max(...diffs)}`);
  });

  test('with a soft pen, they come back close, and both models encode them to nearly the same code', () => {
    const { images, diffs } = redraw(true);
    // The ink of an MNIST digit averages about 0.13 per pixel; bilinear enlargement blurs it a little.
    const mean = sum(diffs) / N;
    assert.ok(mean < 0.04, `mean absolute pixel difference ${mean.toFixed(4)}`);
    assert.ok(Math.max(...diffs) < 0.08, `worst digit's mean absolute pixel difference ${Math.max(...diffs).toFixed(4)}`);

    for (const [id, vae] of Object.entries(models)) {
      const a = encode(vae, originals).mu;
      const b = encode(vae, images).mu;
      // Compared with how far apart these digits' codes lie, the redrawn ones barely move.
      const spread = Math.hypot(...[0, 1].map((d) => std(Array.from({ length: N }, (_, k) => a[2 * k + d]!))));
      const moves = Array.from({ length: N }, (_, k) => Math.hypot(a[2 * k]! - b[2 * k]!, a[2 * k + 1]! - b[2 * k + 1]!)).sort((x, y) => x - y);
      // The soft pen blurs the digit a little, and a blur moves a code by about a tenth of the spread.
      const [median, p90] = [moves[N >> 1]!, moves[Math.floor(0.9 * N)]!];
      assert.ok(median < 0.12 * spread, `${id}: median code shift ${median.toFixed(3)} against a spread of ${spread.toFixed(3)}`);
      assert.ok(p90 < 0.35 * spread, `${id}: 90th percentile of the code shifts ${p90.toFixed(3)} against a spread of ${spread.toFixed(3)}`);
    }
  });
});

function std(v: number[]): number {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1));
}
