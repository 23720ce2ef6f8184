/**
 * The guide's chapters and the site's bibliography (src/site/references.bib) agree: every entry
 * is cited by a chapter, so the list holds no work the guide does not use.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/lib/files.ts';
import { BIB_FILE, bibliography, citedKeys } from '../../src/components/lib/build/bibliography.ts';

const CHAPTERS = join(ROOT, 'src', 'content', 'chapters');

test('every entry of the bibliography is cited by a chapter', () => {
  const files = (readdirSync(CHAPTERS, { recursive: true }) as string[]).filter((f) => f.endsWith('.mdx'));
  const cited = new Set(files.flatMap((f) => citedKeys(readFileSync(join(CHAPTERS, f), 'utf8'))));
  assert.ok(cited.size > 0, 'the chapters cite their sources');
  const uncited = [...bibliography().entries.keys()].filter((k) => !cited.has(k));
  assert.deepEqual(uncited, [], `entries of ${BIB_FILE} that no chapter cites: cite them or delete them`);
});
