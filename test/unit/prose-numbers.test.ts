/**
 * A chapter states a measured or computed quantity (a percentage, a number of nats, a speed) only
 * through <Metric> (a model's metrics.json) or <Claim> (a computed, tested value), never as a number
 * typed into the prose, where it would go stale without any test noticing. Math is exempt (it holds
 * formulas and settings, not results), and so are the few phrases where the number is a definition
 * and a published result quoted with its source: the number followed at once by its <Cite>.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const CHAPTERS = 'src/content/chapters';

/** Numbers that define something rather than report it. */
const DEFINITIONS = ['over 10 nats', '50 % grey'];

/** A number, then a unit of a reported quantity. */
const QUANTITY = /(?<![\w#.])\d[\d,.]*\s?(?:%|nats?\b|per cent|images per second|img\/s)/g;

function typedQuantities(mdx: string): string[] {
  let prose = mdx.replace(/^---[\s\S]*?\n---/, '');
  prose = prose.replace(/^import .*$/gm, '');
  prose = prose.replace(/^```[\s\S]*?^```/gm, '');
  prose = prose.replace(/\$\$[\s\S]*?\$\$/g, '');
  prose = prose.replace(/\$[^$\n]*\$/g, '');
  prose = prose.replace(/<(?:Claim|Metric)\b[^>]*\/>/g, '#');
  const found: string[] = [];
  for (const m of prose.matchAll(QUANTITY)) {
    const around = prose.slice(Math.max(0, m.index - 5), m.index + m[0].length + 6);
    const quoted = /^\s*<Cite\b/.test(prose.slice(m.index + m[0].length));
    if (!quoted && !DEFINITIONS.some((phrase) => around.includes(phrase))) found.push(m[0]);
  }
  return found;
}

test('the check finds typed quantities and lets Claim, Metric and math through', () => {
  assert.deepEqual(typedQuantities('The loss is about 543 nats and 39 % are zeros.'), ['543 nats', '39 %']);
  assert.deepEqual(typedQuantities('It is <Claim id="x.y" /> % and <Metric model="m" of="test.loss" /> nats; $p = 0.5$ and $$x = 2 \\text{ nats}$$'), []);
  assert.deepEqual(typedQuantities('a decoder that says "50 % grey"'), []);
  assert.deepEqual(typedQuantities('they report 86.76 nats <Cite id="burda2016importance" />, we 90 nats (see <Cite id="x" />)'), ['90 nats']);
});

test('no chapter types a measured or computed quantity into its prose', () => {
  if (!existsSync(CHAPTERS)) return;
  for (const file of readdirSync(CHAPTERS).filter((f) => f.endsWith('.mdx'))) {
    const found = typedQuantities(readFileSync(join(CHAPTERS, file), 'utf8'));
    assert.deepEqual(found, [], `${file} states ${found.join(', ')} by hand: print it with <Metric> or <Claim> (src/claims/)`);
  }
});
