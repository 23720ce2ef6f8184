/**
 * The headers the site asks its hosts for (public/_headers for Netlify and Cloudflare Pages,
 * vercel.json for Vercel) agree: cross-origin isolation on every path, Astro's hashed files kept
 * for a year, and the service worker asked for again on every visit.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

/** public/_headers as path → header → value. */
function netlifyHeaders(): Map<string, Map<string, string>> {
  const rules = new Map<string, Map<string, string>>();
  let path: string | undefined;
  for (const line of readFileSync('public/_headers', 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      path = line.trim();
      rules.set(path, new Map());
    } else if (path) {
      const [name, ...value] = line.trim().split(':');
      rules.get(path)!.set(name!.trim(), value.join(':').trim());
    }
  }
  return rules;
}

/** vercel.json as source → header → value. */
function vercelHeaders(): Map<string, Map<string, string>> {
  const json = JSON.parse(readFileSync('vercel.json', 'utf8')) as { headers: { source: string; headers: { key: string; value: string }[] }[] };
  return new Map(json.headers.map((h) => [h.source, new Map(h.headers.map((x) => [x.key, x.value]))]));
}

test('both hosts isolate every path, keep hashed files a year, and never keep the service worker', () => {
  const netlify = netlifyHeaders();
  const vercel = vercelHeaders();
  for (const [all, assets, worker, table] of [
    ['/*', '/_astro/*', '/coi-sw.js', netlify],
    ['/(.*)', '/_astro/(.*)', '/coi-sw.js', vercel],
  ] as const) {
    assert.equal(table.get(all)?.get('Cross-Origin-Opener-Policy'), 'same-origin');
    assert.equal(table.get(all)?.get('Cross-Origin-Embedder-Policy'), 'require-corp');
    assert.equal(table.get(assets)?.get('Cache-Control'), 'public, max-age=31536000, immutable');
    assert.equal(table.get(worker)?.get('Cache-Control'), 'no-cache');
  }
});
