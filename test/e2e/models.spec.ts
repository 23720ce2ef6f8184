/**
 * The models page and the model cards: every number shown is the one in the model's
 * metrics.json, untrained models say how to train them, and each card page renders.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC } from '../../scripts/lib/files.ts';
import type { ModelMetrics } from '../../src/vae/io.ts';
import { getSpec, imageShape, imageValues, MODEL_SPECS } from '../../src/vae/spec.ts';
import { expect, expectClean, test } from './fixtures.ts';

const ids = Object.keys(MODEL_SPECS);
/** A number as the page writes it: two decimals, thousands separated (1,386.05). */
const shown = (v: number) => v.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const metricsOf = (id: string): ModelMetrics | undefined => {
  const path = join(PUBLIC, 'weights', id, 'metrics.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ModelMetrics) : undefined;
};

test('the models page lists every model with the test loss of its metrics.json and its IWAE bound above the floor, or how to train it', async ({ page, problems }) => {
  await page.goto('/models/');
  for (const id of ids) {
    const row = page.locator(`tr[data-model="${id}"]`);
    const m = metricsOf(id);
    if (m) {
      await expect(row.locator('[data-test-loss]')).toHaveText(shown(m.test.loss));
      // Above the floor: IWAE − the pixels' entropy, in nats and in bits per dimension (784 for MNIST, 3,072 for 32 × 32 colour).
      const gap = m.evaluation?.iwae ? m.evaluation.iwae.loss - m.evaluation.floor.entropyPerImage : undefined;
      await expect(row.locator('[data-above-floor]')).toHaveText(gap === undefined ? '—' : shown(gap));
      await expect(row.locator('[data-bits-per-dim]')).toHaveText(gap === undefined ? '—' : (gap / (imageValues(imageShape(getSpec(id))) * Math.LN2)).toFixed(4));
    } else await expect(row).toContainText(`npm run train -- --model ${id}`);
  }
  // The binarized model: its data says so, and the note beside the table gives its bound.
  const binary = ids.find((id) => (MODEL_SPECS as Record<string, { binarized?: boolean }>)[id]!.binarized);
  expect(binary, 'one model is trained on binarized MNIST').toBeDefined();
  await expect(page.locator(`tr[data-model="${binary}"]`)).toContainText('binarized MNIST');
  const e = metricsOf(binary!)!.evaluation!;
  await expect(page.locator('[data-binary-note]')).toContainText(`${e.iwae!.loss.toFixed(2)} nats with k = ${e.iwae!.k.toLocaleString('en')} on the first ${e.images.toLocaleString('en')} test images`);
  expectClean(problems);
});

test('each trained model has a card page with its test loss and links to its files that answer', async ({ page, problems, request }) => {
  for (const id of ids.filter((i) => existsSync(join(PUBLIC, 'weights', i, 'README.md')))) {
    await page.goto(`/models/${id}/`);
    await expect(page.locator('h1')).toContainText(id);
    await expect(page.locator('main')).toContainText(`One-sample loss: ${shown(metricsOf(id)!.test.loss)}`);
    for (const href of await page.locator('main li a[href*="/weights/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
      expect((await request.get(href)).status(), href).toBe(200);
    }
  }
  expectClean(problems);
});
