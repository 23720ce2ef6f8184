/**
 * The "your own data" figure on its catalogue page, as a reader uses it: a folder of pictures
 * with class sub-folders (of mixed sizes, some dark on light, with a text file, a corrupt and a
 * cut-off PNG, a duplicate and a blank among them), a zip with labels.csv and classes.txt, the
 * toy shapes, drawings made with the mouse, and bad input. What the page prepares is checked
 * against the same steps run here in Node on the same files; the download is read back here;
 * the dataset survives a reload until the reader forgets it; and no request carries an image:
 * every request is a GET of one of the site's own files.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import type { Locator, Page } from '@playwright/test';
import { datasetZip } from '../../src/vae/dataset-zip.ts';
import { stratifiedSplit } from '../../src/vae/dataset-split.ts';
import { encodeGreyPng } from '../../src/vae/grey-png.ts';
import { parseClassNames, parseLabelsCsv } from '../../src/vae/labels-csv.ts';
import { prepareGrey } from '../../src/vae/prepare-image.ts';
import { PIXELS } from '../../src/vae/spec.ts';
import { toyShapes } from '../../src/vae/toy-shapes.ts';
import { canvasGrey, expect, expectClean, test } from './fixtures.ts';

const PAGE = '/figures/own-data/';
const dir = mkdtempSync(join(tmpdir(), 'latent-lab-own-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A grey picture scaled up by whole factors (nearest), so its size differs from 28 × 28. */
function scaled(grey: Uint8Array, fx: number, fy: number): { grey: Uint8Array; width: number; height: number } {
  const [width, height] = [28 * fx, 28 * fy];
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = grey[Math.floor(y / fy) * 28 + Math.floor(x / fx)]!;
  return { grey: out, width, height };
}

const toy = toyShapes(48, 5);
const toyImage = (i: number) => toy.images.slice(i * PIXELS, (i + 1) * PIXELS);

/** The reader's folder: circles and squares, and what a real folder also holds. */
interface Expected {
  path: string;
  label: number;
  /** As Node prepares it, MNIST's way and resized whole. */
  image: Uint8Array;
  resized: Uint8Array;
}

function writeFolder(): { root: string; expected: Expected[] } {
  const root = join(dir, 'shapes');
  const expected: Expected[] = [];
  for (const name of ['circle', 'square']) mkdirSync(join(root, name), { recursive: true });
  for (let i = 0; i < 48; i++) {
    const label = toy.labels[i]!;
    if (label > 1) continue;
    const name = label === 0 ? 'circle' : 'square';
    // Every third is 2 × 1.5 times as large; every fourth is dark ink on white paper.
    const big = i % 3 === 0 ? scaled(toyImage(i), 4, 3) : { grey: toyImage(i), width: 28, height: 28 };
    const paper = i % 4 === 0;
    const grey = paper ? big.grey.map((v) => 255 - v) : big.grey;
    const file = `${name}/${String(i).padStart(2, '0')}.png`;
    writeFileSync(join(root, file), encodeGreyPng(grey, big.width, big.height));
    const { image } = prepareGrey(grey, big.width, big.height, { fit: 'mnist', invert: 'auto' });
    const resized = prepareGrey(grey, big.width, big.height, { fit: 'resize', invert: 'auto' }).image!;
    expected.push({ path: file, label, image: image!, resized });
  }
  writeFileSync(join(root, 'notes.txt'), 'where these came from');
  writeFileSync(join(root, 'square', 'broken.png'), Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
  const whole = encodeGreyPng(toyImage(1), 28, 28);
  writeFileSync(join(root, 'circle', 'cut.png'), whole.subarray(0, whole.length - 40));
  writeFileSync(join(root, 'circle', 'zz-copy.png'), readFileSync(join(root, 'circle', '00.png')));
  writeFileSync(join(root, 'square', 'zz-blank.png'), encodeGreyPng(new Uint8Array(PIXELS), 28, 28));
  return { root, expected };
}

async function open(page: Page): Promise<Locator> {
  await page.goto(PAGE);
  const figure = page.locator('own-data').first();
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  return figure;
}

/** Does `action` and waits until the preparation it starts has finished (`data-runs` counts them) and nothing is pending. */
async function prepare(figure: Locator, action: () => Promise<unknown>): Promise<void> {
  const runs = Number((await figure.getAttribute('data-runs')) ?? 0);
  await action();
  await expect(figure).toHaveAttribute('data-runs', String(runs + 1), { timeout: 60_000 });
  await expect(figure).toHaveAttribute('data-settled', 'true', { timeout: 60_000 });
  await expect(figure.locator('[data-progress]')).toBeHidden();
}

/** The requests a page makes: each must be a GET of one of the site's own built files. */
function recordRequests(page: Page): string[] {
  const requests: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'blob:' || url.protocol === 'data:') return;
    requests.push(`${req.method()} ${url.pathname}${req.postData() ? ' with a body' : ''}`);
  });
  return requests;
}

function expectOnlySiteFiles(requests: string[]): void {
  for (const line of requests) {
    const [method, path, ...rest] = line.split(' ');
    expect(`${method} ${rest.join(' ')}`.trim(), `${line}: a GET without a body`).toBe('GET');
    const file = join(process.cwd(), 'dist', decodeURIComponent(path!).replace(/\/$/, '/index.html'));
    expect(existsSync(file), `${path} is one of the site's own files`).toBe(true);
  }
}

test('a folder with class sub-folders: every picture prepared as Node prepares it, the rest left out with the reason, and no request carries an image', async ({ page, problems }) => {
  test.setTimeout(120_000);
  const { root, expected } = writeFolder();
  const requests = recordRequests(page);
  const figure = await open(page);
  await prepare(figure, () => figure.locator('[data-pick-folder]').setInputFiles(root));

  // Node's count of what survives: 24 pictures, one of them copied, one blank, two unreadable.
  const labels = expected.map((e) => e.label);
  const sides = stratifiedSplit(labels);
  const held = sides.filter((s) => s === 'test').length;
  const inverted = expected.filter((_, k) => Number(expected[k]!.path.slice(-6, -4)) % 4 === 0).length;
  await expect(figure.locator('[data-summary]')).toHaveText(
    `${expected.length} images in 2 classes: ${expected.length - held} to train on, ${held} held out to test; ${inverted} pictures looked dark on light and were inverted.`,
  );
  const rows = figure.locator('[data-classes] tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator('th')).toHaveText('circle');
  await expect(rows.nth(1).locator('th')).toHaveText('square');
  // The first strip holds the circles as Node prepared them, training images first, in name order.
  const circles = expected.filter((e, k) => e.label === 0 && sides[k] === 'train').slice(0, 12);
  const expectStrip = async (which: 'image' | 'resized') => {
    const strip = await canvasGrey(rows.nth(0).locator('canvas'));
    circles.forEach((c, n) => {
      for (let y = 0; y < 28; y++) {
        const row = strip.slice(y * 336 + n * 28, y * 336 + n * 28 + 28);
        expect(row, `${c.path}, ${which}, row ${y}`).toEqual(Array.from(c[which].subarray(y * 28, y * 28 + 28)));
      }
    });
  };
  await expectStrip('image');
  const skipped = figure.locator('[data-skipped-list] li');
  await expect(figure.locator('[data-skipped-summary]')).toHaveText('5 files left out');
  await expect(skipped.filter({ hasText: 'not an image file' })).toContainText('shapes/notes.txt');
  await expect(skipped.filter({ hasText: 'cannot decode' })).toContainText('2 this browser cannot decode it');
  await expect(skipped.filter({ hasText: 'cannot decode' })).toContainText('shapes/circle/cut.png');
  await expect(skipped.filter({ hasText: 'cannot decode' })).toContainText('shapes/square/broken.png');
  await expect(skipped.filter({ hasText: 'exact copy' })).toContainText('shapes/circle/zz-copy.png (= shapes/circle/00.png)');
  await expect(skipped.filter({ hasText: 'blank' })).toContainText('shapes/square/zz-blank.png');
  await expect(skipped.filter({ hasText: 'beside the class folders' })).toHaveCount(0);
  await expect(figure.locator('[data-status]')).toContainText('kept it in this browser');

  // Another fit prepares the same files again: each picture resized whole.
  await prepare(figure, () => figure.getByLabel('whole, resized to 28 × 28').check());
  await expectStrip('resized');
  expectOnlySiteFiles(requests);
  expectClean(problems);
});

test('a zip with labels.csv and classes.txt keeps its split and class names, and the download gives back the same dataset', async ({ page, problems }) => {
  test.setTimeout(120_000);
  const classes = ['round one', 'square, with a comma', 'trí-angle', 'cross'];
  const sides = stratifiedSplit(toy.labels, { testShare: 0.25, seed: 9 });
  const zip = datasetZip({ id: 'shapes', classes, images: toy.images, labels: toy.labels, sides });
  const zipPath = join(dir, 'my-shapes.zip');
  writeFileSync(zipPath, zip);
  const requests = recordRequests(page);
  const figure = await open(page);
  await figure.getByLabel('whole, resized to 28 × 28').check();
  await prepare(figure, () => figure.locator('[data-pick-files]').setInputFiles(zipPath));
  const held = sides.filter((s) => s === 'test').length;
  await expect(figure.locator('[data-summary]')).toHaveText(`48 images in 4 classes: ${48 - held} to train on, ${held} held out to test as labels.csv splits them.`);
  await expect(figure.locator('[data-classes] th')).toHaveText(classes);

  const download = page.waitForEvent('download');
  await figure.locator('[data-download]').click();
  const file = await (await download).path();
  const files = unzipSync(new Uint8Array(readFileSync(file)));
  const folder = Object.keys(files).find((p) => p.endsWith('/labels.csv'))!.replace(/labels\.csv$/, '');
  expect(folder).toBe('my-shapes/');
  const named = parseClassNames(new TextDecoder().decode(files[`${folder}classes.txt`]));
  expect(named).toEqual(classes);
  const table = parseLabelsCsv(new TextDecoder().decode(files[`${folder}labels.csv`]), named);
  expect(table.rows.map((r) => r.label)).toEqual(Array.from(toy.labels));
  expect(table.rows.map((r) => r.split)).toEqual(sides);
  // Every image comes back byte for byte (a 28 × 28 picture resized whole is itself), as the same PNG.
  table.rows.forEach((row, i) => expect(files[`${folder}${row.file}`], row.file).toEqual(encodeGreyPng(toyImage(i), 28, 28)));
  await expect(figure.locator('[data-note]')).toContainText('npm run data -- --folder my-shapes.zip --id my-shapes');
  expectOnlySiteFiles(requests);
  expectClean(problems);
});

test('bad input: a zip with a path outside its folder, no images at all, and only copies of one picture each get a message, and what was there before stays', async ({ page, problems }) => {
  const figure = await open(page);
  const status = figure.locator('[data-status]');
  const evil = join(dir, 'evil.zip');
  writeFileSync(evil, zipSync({ '../evil.png': encodeGreyPng(toyImage(0), 28, 28), 'ok.png': encodeGreyPng(toyImage(1), 28, 28) }));
  await figure.locator('[data-pick-files]').setInputFiles(evil);
  await expect(status).toHaveText(/The zip was refused: it holds the path "\.\.\/evil\.png", which points outside its folder\. Nothing was kept\./);
  await expect(figure).toHaveAttribute('data-state', 'error');

  const texts = [join(dir, 'a.txt'), join(dir, 'b.csv')];
  writeFileSync(texts[0]!, 'hello');
  writeFileSync(texts[1]!, 'x,y');
  await figure.locator('[data-pick-files]').setInputFiles(texts);
  await expect(status).toHaveText('There are no images among the 2 files: give PNG, JPEG, WebP, GIF or BMP pictures. Nothing was kept.');

  // A good set first: a failure after it leaves it in place.
  await prepare(figure, () => figure.getByRole('button', { name: 'Toy shapes' }).click());
  const copies = ['1', '2', '3'].map((n) => {
    const path = join(dir, `copy${n}.png`);
    writeFileSync(path, encodeGreyPng(toyImage(2), 28, 28));
    return path;
  });
  await figure.locator('[data-pick-files]').setInputFiles(copies);
  await expect(status).toHaveText(/^Only 1 different image remained: 2 an exact copy of another image, once prepared; a model needs at least 2, one to train on and one to test\. The dataset before stays\.$/);
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(figure.locator('[data-summary]')).toHaveText(/^2,000 images in 4 classes/);
  expectClean(problems);
});

test('the toy shapes survive a reload, in their own slot, until the reader forgets them', async ({ page, problems }) => {
  const figure = await open(page);
  await prepare(figure, () => figure.getByRole('button', { name: 'Toy shapes' }).click());
  // 500 of each shape, a tenth of each held out.
  const summaryText = '2,000 images in 4 classes: 1,800 to train on, 200 held out to test.';
  await expect(figure.locator('[data-summary]')).toHaveText(summaryText);
  await expect(figure.locator('[data-classes] td:nth-child(4)')).toHaveText(['50', '50', '50', '50']);
  await expect(figure.locator('[data-storage]')).toHaveText('Kept in this browser: your dataset, about 1.6 MB.');
  await expect(figure.locator('[data-skipped]')).toBeHidden();

  const again = await open(page);
  await expect(again.locator('[data-summary]')).toHaveText(summaryText);
  await expect(again.locator('[data-status]')).toContainText('Your dataset from your last visit, Toy shapes, kept in this browser.');
  const kept = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
  expect(kept).toContain('latent-lab-own');

  await again.getByRole('button', { name: 'Forget it' }).click();
  await expect(again.locator('[data-result]')).toBeHidden();
  await expect(again.locator('[data-status]')).toHaveText('Forgotten: this browser no longer keeps your dataset or a model trained on it.');
  const after = await open(page);
  await expect(after.locator('[data-result]')).toBeHidden();
  await expect(after.getByRole('button', { name: 'Download the dataset (.zip)' })).toBeDisabled();
  expectClean(problems);
});

test('a dataset drawn with the mouse: two classes, three drawings each', async ({ page, problems }) => {
  const figure = await open(page);
  await figure.getByText('Or draw a dataset').click();
  const pad = figure.locator('[data-pad]');
  const box = (await pad.boundingBox())!;
  const draw = async (points: [number, number][]) => {
    await page.mouse.move(box.x + points[0]![0] * box.width, box.y + points[0]![1] * box.height);
    await page.mouse.down();
    for (const [x, y] of points.slice(1)) await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 4 });
    await page.mouse.up();
  };
  for (const [name, shape] of [
    ['line', (k: number) => [[0.2 + 0.05 * k, 0.2], [0.8 - 0.05 * k, 0.8]] as [number, number][]],
    ['hook', (k: number) => [[0.3, 0.2], [0.3 + 0.05 * k, 0.7], [0.7, 0.7]] as [number, number][]],
  ] as const) {
    await figure.locator('[data-pad-class]').fill(name);
    for (let k = 0; k < 3; k++) {
      await draw(shape(k));
      await figure.getByRole('button', { name: 'Add drawing' }).click();
    }
  }
  await expect(figure.locator('[data-pad-count]')).toHaveText('6 drawings: 3 line, 3 hook');
  await prepare(figure, () => figure.getByRole('button', { name: 'Prepare the drawings' }).click());
  await expect(figure.locator('[data-summary]')).toHaveText(/^6 images in 2 classes: 4 to train on, 2 held out to test; 6 pictures looked dark on light and were inverted\.$/);
  await expect(figure.locator('[data-classes] th[scope="row"]')).toHaveText(['hook', 'line']);
  expectClean(problems);
});

test('on a phone the prepared dataset, its class strips and counts fit the screen @phone', async ({ page, problems }) => {
  const figure = await open(page);
  await prepare(figure, () => figure.getByRole('button', { name: 'Toy shapes' }).click());
  await expect(figure.locator('[data-classes] tr')).toHaveCount(4);
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(sideways, 'no sideways scrolling').toBeLessThanOrEqual(0);
  const box = (await figure.locator('.own-classes').boundingBox())!;
  expect(box.x + box.width, 'the class table ends inside the screen').toBeLessThanOrEqual(page.viewportSize()!.width);
  expectClean(problems);
});

/** A 24-bit BMP of a grey picture, bottom-up rows padded to 4 bytes, as the format says. */
function bmp(grey: Uint8Array, width: number, height: number): Uint8Array {
  const row = Math.ceil((width * 3) / 4) * 4;
  const out = new Uint8Array(54 + row * height);
  const view = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  view.setUint32(2, out.length, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.fill(grey[(height - 1 - y) * width + x]!, 54 + y * row + 3 * x, 54 + y * row + 3 * x + 3);
  return out;
}

test('dropped files in other formats and sizes: JPEG, WebP and BMP decode, a 3000 × 2000 picture is scaled down as it decodes, an SVG is left out', async ({ page, problems }) => {
  const figure = await open(page);
  const big = scaled(toyImage(3), 100, 70);
  const files = {
    'shape.bmp': Array.from(bmp(toyImage(4), 28, 28)),
    'big.png': Array.from(encodeGreyPng(big.grey, big.width, big.height)),
    'drawing.svg': Array.from(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')),
  };
  expect([big.width, big.height]).toEqual([2800, 1960]);
  // JPEG and WebP are written by this browser's own encoder, as a phone's camera or an editor would.
  await prepare(figure, () =>
    figure.evaluate(async (el, given) => {
      const transfer = new DataTransfer();
      // A bar and a cross, dark on white.
      for (const [type, marks] of [['image/jpeg', [[20, 10, 12, 28]]], ['image/webp', [[28, 6, 8, 36], [14, 20, 36, 8]]]] as const) {
        const canvas = new OffscreenCanvas(64, 48);
        const ctx = canvas.getContext('2d')!;
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, 64, 48);
        ctx.fillStyle = '#000';
        for (const [x, y, w, h] of marks) ctx.fillRect(x, y, w, h);
        transfer.items.add(new File([await canvas.convertToBlob({ type })], `mark.${type.slice(6)}`, { type }));
      }
      for (const [name, bytes] of Object.entries(given)) transfer.items.add(new File([new Uint8Array(bytes)], name));
      el.querySelector('[data-drop]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, files),
  );
  await expect(figure.locator('[data-summary]')).toHaveText(/^4 images, unlabelled: 3 to train on, 1 held out to test; 2 pictures looked dark on light and were inverted\.$/);
  await expect(figure.locator('[data-skipped-list] li')).toHaveText(['1 not an image file: drawing.svg']);
  expectClean(problems);
});

test('a dropped folder is walked through the File and Directory Entries API: every batch of entries read, class folders and a nested folder labelled, a stray file left out', async ({ page, problems }) => {
  const figure = await open(page);
  const shapes = toyShapes(155, 11);
  const png = (i: number) => Array.from(encodeGreyPng(shapes.images.subarray(i * PIXELS, (i + 1) * PIXELS), 28, 28));
  // holiday/circle holds 130 pictures, more than one readEntries batch; holiday/square 20 and
  // holiday/square/more 5; beside the class folders, a note and a stray picture.
  const tree = {
    circle: Array.from({ length: 130 }, (_, i) => png(i)),
    square: Array.from({ length: 20 }, (_, i) => png(130 + i)),
    more: Array.from({ length: 5 }, (_, i) => png(150 + i)),
    stray: png(0),
  };
  await prepare(figure, () =>
    figure.evaluate((el, t) => {
      // The entries a browser gives for a dropped folder: readEntries answers in batches of at
      // most 100 (as Chromium does), then with an empty batch; file() answers asynchronously.
      type Entry = { isFile: boolean; isDirectory: boolean; name: string; fullPath: string };
      const file = (path: string, bytes: number[] | string, type: string): Entry & { file: (ok: (f: File) => void) => void } => {
        const name = path.slice(path.lastIndexOf('/') + 1);
        return { isFile: true, isDirectory: false, name, fullPath: path, file: (ok) => setTimeout(() => ok(new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type }))) };
      };
      const folder = (path: string, children: Entry[]): Entry & { createReader: () => unknown } => ({
        isFile: false,
        isDirectory: true,
        name: path.slice(path.lastIndexOf('/') + 1),
        fullPath: path,
        createReader: () => {
          let next = 0;
          return {
            readEntries: (ok: (batch: Entry[]) => void) =>
              setTimeout(() => {
                const batch = children.slice(next, next + 100);
                next += batch.length;
                ok(batch);
              }),
          };
        },
      });
      const pictures = (dir: string, list: number[][]) => list.map((bytes, i) => file(`${dir}/${String(i).padStart(3, '0')}.png`, bytes, 'image/png'));
      const root = folder('/holiday', [
        folder('/holiday/circle', pictures('/holiday/circle', t.circle)),
        folder('/holiday/square', [...pictures('/holiday/square', t.square), folder('/holiday/square/more', pictures('/holiday/square/more', t.more))]),
        file('/holiday/notes.txt', 'taken in August', 'text/plain'),
        file('/holiday/stray.png', t.stray, 'image/png'),
      ]);
      const drop = new Event('drop', { bubbles: true, cancelable: true });
      Object.defineProperty(drop, 'dataTransfer', { value: { items: [{ kind: 'file', webkitGetAsEntry: () => root }], files: [] } });
      el.querySelector('[data-drop]')!.dispatchEvent(drop);
    }, tree),
  );
  await expect(figure.locator('[data-summary]')).toHaveText(/^155 images in 2 classes: 139 to train on, 16 held out to test\.$/);
  await expect(figure.locator('[data-status]')).toHaveText(/^Prepared holiday in [\d.]+ s and kept it in this browser\.$/);
  await expect(figure.locator('[data-skipped-list] li')).toHaveText(['1 not an image file: holiday/notes.txt', '1 beside the class folders rather than in one: holiday/stray.png']);
  expectClean(problems);
});

test('a full storage: the dataset is prepared and shown, and the page says it was not kept', async ({ page, problems }) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.transaction.db.name === 'latent-lab-own') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  const figure = await open(page);
  await prepare(figure, () => figure.getByRole('button', { name: 'Toy shapes' }).click());
  await expect(figure.locator('[data-summary]')).toHaveText(/^2,000 images in 4 classes/);
  await expect(figure.locator('[data-status]')).toHaveText(/^Prepared Toy shapes; it is here until you leave the page, but not kept: this browser’s storage for the site is full \(free some, or allow more\)\.$/);
  await expect(figure).toHaveAttribute('data-state', 'ready');
  const again = await open(page);
  await expect(again.locator('[data-result]')).toBeHidden();
  expectClean(problems);
});

test('1,500 pictures are all prepared; a reader who leaves while they are being prepared finds nothing half-kept', async ({ page, problems }) => {
  const root = join(dir, 'many');
  const toys = toyShapes(1500, 3);
  for (const name of toys.classes) mkdirSync(join(root, name), { recursive: true });
  for (let i = 0; i < 1500; i++) writeFileSync(join(root, toys.classes[toys.labels[i]!]!, `${i}.png`), encodeGreyPng(toys.images.subarray(i * PIXELS, (i + 1) * PIXELS), 28, 28));
  const figure = await open(page);
  // All 1,500 arrive, though the page sends them to the worker in parts.
  await prepare(figure, () => figure.locator('[data-pick-folder]').setInputFiles(root));
  // 375 of each shape, round(0.1 × 375) = 38 of each held out.
  await expect(figure.locator('[data-summary]')).toHaveText('1,500 images in 4 classes: 1,348 to train on, 152 held out to test.');
  await figure.getByRole('button', { name: 'Forget it' }).click();
  await expect(figure.locator('[data-result]')).toBeHidden();
  await figure.locator('[data-pick-folder]').setInputFiles(root);
  await expect(figure.locator('[data-progress]')).toBeVisible();
  const again = await open(page);
  await expect(again.locator('[data-status]')).toHaveText('Give the figure some pictures, draw some, or take the toy shapes.');
  await expect(again.locator('[data-result]')).toBeHidden();
  expectClean(problems);
});

test('fourteen class folders: twelve rows shown, the rest counted, every class in the split', async ({ page, problems }) => {
  const root = join(dir, 'fourteen');
  const toys = toyShapes(28, 8);
  for (let i = 0; i < 28; i++) {
    const folder = join(root, `class-${String(Math.floor(i / 2) + 1).padStart(2, '0')}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${i}.png`), encodeGreyPng(toys.images.subarray(i * PIXELS, (i + 1) * PIXELS), 28, 28));
  }
  const figure = await open(page);
  await prepare(figure, () => figure.locator('[data-pick-folder]').setInputFiles(root));
  // Two images a class: one trains, one is held out.
  await expect(figure.locator('[data-summary]')).toHaveText('28 images in 14 classes: 14 to train on, 14 held out to test.');
  await expect(figure.locator('[data-classes] tr')).toHaveCount(12);
  await expect(figure.locator('[data-more-classes]')).toHaveText('and 2 more classes');
  expectClean(problems);
});
