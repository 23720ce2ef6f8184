/**
 * The own-data figure's preparation speed for `npm run bench`: `count` small PNGs (seeded toy
 * shapes, 28 × 28 and 56 × 56, in four class folders) picked as a folder on /figures/own-data/
 * in headless Chromium. Reports the images per second the worker prepares (from the pick to the
 * dataset: reading, decoding, fitting, duplicates and split) and the page's longest main-thread
 * task meanwhile.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { encodeGreyPng } from '../../src/vae/grey-png.ts';
import { PIXELS } from '../../src/vae/spec.ts';
import { toyShapes } from '../../src/vae/toy-shapes.ts';

export interface OwnDataBench {
  images: number;
  seconds: number;
  imagesPerSec: number;
  /** The page's longest main-thread task while it prepared (0: none over 50 ms). */
  longestTaskMs: number;
}

/** A folder of `count` PNGs in class folders; every other one twice as large. */
function writeFolder(count: number): string {
  const root = mkdtempSync(join(tmpdir(), 'latent-lab-bench-own-'));
  const toys = toyShapes(count, 7);
  for (const name of toys.classes) mkdirSync(join(root, 'shapes', name), { recursive: true });
  for (let i = 0; i < count; i++) {
    const grey = toys.images.subarray(i * PIXELS, (i + 1) * PIXELS);
    const large = i % 2 === 1;
    const image = large ? Uint8Array.from({ length: 56 * 56 }, (_, p) => grey[Math.floor(p / 112) * 28 + Math.floor((p % 56) / 2)]!) : grey;
    writeFileSync(join(root, 'shapes', toys.classes[toys.labels[i]!]!, `${String(i).padStart(5, '0')}.png`), encodeGreyPng(image, large ? 56 : 28, large ? 56 : 28));
  }
  return root;
}

export async function benchOwnData(page: Page, origin: string, count: number, log: (msg: string) => void): Promise<OwnDataBench> {
  const root = writeFolder(count);
  try {
    log(`chromium: preparing ${count.toLocaleString('en')} PNGs on /figures/own-data/…`);
    await page.goto(`${origin}/figures/own-data/`);
    const figure = page.locator('own-data').first();
    await figure.scrollIntoViewIfNeeded();
    await page.waitForSelector('own-data[data-state="ready"]');
    // From the folder input's change (the reader's pick) to the dataset on screen. Setting
    // 10,000 files on the input is the test harness's work, in the task that fires the change:
    // of that task only the figure's own change handler counts (timed from a listener that runs
    // before it to one that runs after it); of the later tasks, the longest.
    await page.evaluate(() => {
      const w = window as unknown as { longest: number; picked: number; handled: number; shown: number };
      w.longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (w.picked && e.startTime > w.picked) w.longest = Math.max(w.longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
      document.addEventListener('change', () => (w.picked = performance.now()), { capture: true });
      window.addEventListener('change', () => (w.handled = performance.now()));
      const figure = document.querySelector('own-data')!;
      new MutationObserver(() => (w.shown ||= performance.now())).observe(figure, { attributes: true, attributeFilter: ['data-runs'] });
    });
    await figure.locator('[data-pick-folder]').setInputFiles(join(root, 'shapes'));
    await page.waitForSelector('own-data[data-runs="1"]', { timeout: 600_000 });
    const { millis, longestTaskMs } = await page.evaluate(() => {
      const w = window as unknown as { longest: number; picked: number; handled: number; shown: number };
      return { millis: w.shown - w.picked, longestTaskMs: Math.round(Math.max(w.longest, w.handled - w.picked)) };
    });
    const summary = await figure.locator('[data-summary]').textContent();
    if (!summary?.startsWith(`${count.toLocaleString('en')} images`)) throw new Error(`The figure prepared something else: ${summary}`);
    return { images: count, seconds: millis / 1000, imagesPerSec: Math.round(count / (millis / 1000)), longestTaskMs };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
