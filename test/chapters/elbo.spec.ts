/**
 * Chapter 4: the numbers it quotes are the flagship's metrics.json, in the order the bounds
 * require (one-sample loss ≥ IWAE bound ≥ entropy floor), and its β link opens chapter 5's panel
 * with that β.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC } from '../../scripts/lib/files.ts';
import { expect, expectClean, test } from '../e2e/fixtures.ts';

const PAGE = '/chapters/elbo/';

test('the quoted bounds are the flagship’s measured ones, and they are ordered as the chapter derives', async ({ page, problems }) => {
  const metrics = JSON.parse(await readFile(join(PUBLIC, 'weights', 'mnist-conv-z2', 'metrics.json'), 'utf8')) as {
    test: { loss: number };
    evaluation: { iwae: { loss: number }; floor: { entropyPerImage: number } };
  };
  await page.goto(PAGE);
  const quoted = async (of: string) => Number((await page.locator(`[data-metric="mnist-conv-z2:${of}"]`).first().textContent())!.replace(/,/g, ''));
  const oneSample = await quoted('test.loss');
  const iwae = await quoted('evaluation.iwae.loss');
  const floor = await quoted('evaluation.floor.entropyPerImage');
  expect(oneSample).toBeCloseTo(metrics.test.loss, 2);
  expect(iwae).toBeCloseTo(metrics.evaluation.iwae.loss, 2);
  expect(floor).toBeCloseTo(metrics.evaluation.floor.entropyPerImage, 1);
  expect(oneSample).toBeGreaterThan(iwae);
  expect(iwae).toBeGreaterThan(floor);
  expectClean(problems);
});

test('the β link opens chapter 5’s panel set to β = 4', async ({ page, problems }) => {
  await page.goto(PAGE);
  await page.getByRole('link', { name: /chapter 5.s training panel/ }).click();
  await expect(page).toHaveURL(/\/chapters\/train-it-yourself\/\?train\.beta=4$/);
  const beta = page.locator('[data-setting="beta"]').first();
  await beta.scrollIntoViewIfNeeded();
  await expect(beta).toHaveValue('4');
  expectClean(problems);
});
