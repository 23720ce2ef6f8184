/**
 * One name for the page's first live decode: the mark the figures set (figure-element.ts), the
 * mark public/coi.js waits for before it fills the offline copy (a plain script that cannot
 * import it), and the mark `npm run bench` times the first live digit by.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/lib/files.ts';

const markIn = (file: string) => /'(latent-lab:[a-z-]+)'/.exec(readFileSync(join(ROOT, file), 'utf8').split('\n').find((l) => /const (FIRST_LIVE_DECODE|MARK) = /.test(l)) ?? '')?.[1];

test('the figures, the service worker’s page script and the benchmark name the first live decode alike', () => {
  const name = markIn('src/components/figures/figure-element.ts');
  assert.equal(name, 'latent-lab:first-live-decode');
  assert.equal(markIn('public/coi.js'), name);
  assert.equal(markIn('scripts/lib/bench-vitals.ts'), name);
});
