/**
 * Chapter 5's two links on posterior collapse: each opens the panel with one of the settings
 * Node trains for the chapter's numbers (COLLAPSE_PRESETS, claims group "collapse", whose values
 * test/unit/claims.test.ts recomputes by training both), and those runs show what the chapter
 * says: only a few of 16 units active without help, most of them with a warm-up and free bits.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/lib/files.ts';
import { readClaimGroup, claimsDir } from '../../src/claims/read.ts';
import { settingsFromQuery } from '../../src/components/lib/panel/train-settings.ts';
import { COLLAPSE_PRESETS } from '../../src/vae/panel-recipe.ts';

const CHAPTER = join(ROOT, 'src', 'content', 'chapters', '05-train-it-yourself.mdx');

test('the chapter’s two collapse links open the panel with the presets Node trains, and no setting of theirs is changed', () => {
  const text = readFileSync(CHAPTER, 'utf8');
  const links = [...text.matchAll(/\]\((\?train\.[^)#]*)#units-that-switch-off\)/g)].map((m) => m[1]!);
  assert.equal(links.length, 2, 'two links into the section');
  const parsed = links.map((query) => settingsFromQuery(query));
  for (const p of parsed) assert.deepEqual(p.notes, [], 'every value of the link is one the panel offers');
  assert.deepEqual(parsed[0]!.settings, { ...COLLAPSE_PRESETS.collapsed });
  assert.deepEqual(parsed[1]!.settings, { ...COLLAPSE_PRESETS.kept });
});

test('trained in Node, the first preset leaves at most 6 of 16 units active and the second at least 14', () => {
  const claims = readClaimGroup('collapse', claimsDir(ROOT));
  const collapsed = claims['collapse.collapsedActive']!.value;
  const kept = claims['collapse.keptActive']!.value;
  assert.equal(COLLAPSE_PRESETS.collapsed.latentDim, 16);
  assert.ok(collapsed <= 6, `without help ${collapsed} of 16 units are active`);
  assert.ok(kept >= 14, `with a warm-up and free bits ${kept} of 16 units are active`);
  assert.ok(claims['collapse.collapsedOffKl']!.value < 0.05, 'an inactive unit carries next to no KL');
});
