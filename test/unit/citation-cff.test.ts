/**
 * CITATION.cff follows the Citation File Format 1.2.0 (https://citation-file-format.github.io/)
 * and agrees with the site: its title, address and repository are site.config.mjs's, its version
 * package.json's. The schema's rules checked here: the required keys, no key outside the schema
 * (it allows no others), the root type limited to software or dataset, a single SPDX licence
 * (a list would mean "any one of"), dates as YYYY-MM-DD strings.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/lib/files.ts';
import { SITE } from '../../site.config.mjs';

const cff = parse(readFileSync(join(ROOT, 'CITATION.cff'), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The root keys the CFF 1.2.0 schema allows (its additionalProperties is false). */
const ROOT_KEYS = [
  'abstract', 'authors', 'cff-version', 'commit', 'contact', 'date-released', 'doi', 'identifiers', 'keywords', 'license', 'license-url',
  'message', 'preferred-citation', 'references', 'repository', 'repository-artifact', 'repository-code', 'title', 'type', 'url', 'version',
];

const title = `${SITE.title}: ${SITE.tagline}`;
/** The published address: the site's origin and base path. */
const url = new URL(SITE.base, SITE.url).href;

function isEntityOrPerson(a: unknown): boolean {
  if (!a || typeof a !== 'object') return false;
  const o = a as Record<string, unknown>;
  return (typeof o['name'] === 'string' && o['name'].length > 0) || typeof o['family-names'] === 'string' || typeof o['given-names'] === 'string';
}

test('CITATION.cff has the keys CFF 1.2.0 requires, and no key it does not know', () => {
  assert.equal(cff['cff-version'], '1.2.0');
  for (const key of ['message', 'title']) assert.ok(typeof cff[key] === 'string' && (cff[key] as string).length > 0, key);
  assert.ok(Array.isArray(cff['authors']) && cff['authors'].length > 0 && cff['authors'].every(isEntityOrPerson), 'authors');
  assert.deepEqual(Object.keys(cff).filter((k) => !ROOT_KEYS.includes(k)), []);
  if ('type' in cff) assert.ok(['software', 'dataset'].includes(cff['type'] as string), 'the root type is software or dataset');
  assert.ok(typeof cff['abstract'] === 'string' && /\bMIT\b/.test(cff['abstract']) && /CC BY 4\.0/.test(cff['abstract']), 'the abstract names both licences');
  assert.ok(Array.isArray(cff['keywords']) && cff['keywords'].every((k) => typeof k === 'string' && k.length > 0));
});

test('CITATION.cff agrees with site.config.mjs and package.json', () => {
  assert.equal(cff['title'], title);
  assert.equal(cff['url'], url);
  assert.equal(cff['repository-code'], SITE.repository);
  assert.deepEqual(cff['authors'], [{ name: SITE.author }]);
  assert.equal(cff['version'], pkg.version, 'a string, as package.json has it');
  assert.equal(cff['license'], 'CC-BY-4.0', 'one SPDX id: the text’s licence');
  const released = cff['date-released'];
  assert.ok(typeof released === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(released), 'date-released is a YYYY-MM-DD string');
  assert.ok(!Number.isNaN(Date.parse(released)) && released <= new Date().toISOString().slice(0, 10), 'date-released is a real day, not in the future');
});

test('the preferred citation is the same work, as a website', () => {
  const preferred = cff['preferred-citation'] as Record<string, unknown> | undefined;
  assert.ok(preferred && typeof preferred === 'object');
  assert.equal(preferred['type'], 'website');
  assert.equal(preferred['title'], title);
  assert.deepEqual(preferred['authors'], cff['authors']);
  assert.equal(preferred['url'], url);
  assert.equal(preferred['repository-code'], SITE.repository);
  assert.equal(preferred['version'], pkg.version);
  assert.equal(preferred['license'], cff['license']);
  assert.equal(preferred['year'], Number((cff['date-released'] as string).slice(0, 4)));
});
