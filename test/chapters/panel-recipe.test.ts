/**
 * The image counts the guide's chapter with the whole training panel gives it, which Node's
 * repeats of the panel's runs read (scripts/lib/panel-runs.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { panelSizesFromChapters } from '../../scripts/lib/panel-runs.ts';

test('the chapter that holds <TrainInPage full> gives it whole image counts, the test loss from no more than the test images', () => {
  const sizes = panelSizesFromChapters();
  assert.ok(Number.isInteger(sizes.trainImages) && sizes.trainImages >= 1000);
  assert.ok(sizes.testLossImages <= sizes.testImages);
});
