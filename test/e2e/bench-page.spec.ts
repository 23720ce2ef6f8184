/**
 * The benchmark page's step profile (`/bench/?profile`, what `npm run bench --
 * --step-profile-only` reads in Chromium): one training step on the page's wasm backend, every
 * weighted layer's products named, the parts adding up to the step, and the page free of errors.
 */
import type { StepProfile } from '../../src/vae/step-profile.ts';
import { expect, expectClean, test } from './fixtures.ts';

test('/bench/?profile breaks a training step into named parts on the page’s wasm backend', async ({ page, problems }) => {
  await page.goto('/bench/?profile');
  type ProfileWindow = { latentLabStepProfile?: Promise<StepProfile> };
  await page.waitForFunction(() => (window as unknown as ProfileWindow).latentLabStepProfile !== undefined);
  const profile = await page.evaluate(() => (window as unknown as ProfileWindow).latentLabStepProfile!);
  expect(profile.backend).toBe('wasm');
  expect(profile.batch).toBe(128);
  const total = profile.parts.reduce((a, p) => a + p.ms, 0);
  expect(Math.abs(total - profile.stepMs)).toBeLessThan(0.25 * profile.stepMs + 1);
  for (const part of ['transposed convolutions: filter gradients', 'convolutions: forward and input-gradient products', 'Adam update']) {
    expect(profile.parts.find((p) => p.part === part)?.ms, part).toBeGreaterThan(0);
  }
  expect(profile.kernels.filter((k) => k.role === 'other' && /^(Conv2D|MatMul|BatchMatMul|_FusedMatMul)/.test(k.kernel))).toEqual([]);
  expect(profile.kernels.map((k) => k.role)).toContain('decoder/deconv2 filter gradient');
  expectClean(problems);
});
