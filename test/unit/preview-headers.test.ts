/**
 * `astro preview` sends the cross-origin isolation headers (COOP/COEP) on every response, a
 * 304 Not Modified included: a browser that revalidates a cached worker script keeps the headers
 * of the 304, and WebKit refuses a worker whose response has no COEP (astro.config.mjs,
 * isolationOnEveryResponse). Serves a folder of two files, so no build is needed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SITE } from '../../site.config.mjs';
import { startPreview, type Preview } from '../browsers/preview.ts';

const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
let site: string;
let preview: Preview;

before(async () => {
  site = mkdtempSync(join(tmpdir(), 'latent-lab-preview-'));
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>Latent Lab</title>\n');
  mkdirSync(join(site, '_astro'));
  writeFileSync(join(site, '_astro', 'replica.worker-test.js'), 'self.onmessage = () => {};\n');
  preview = await startPreview(SITE.base, site);
});

after(async () => {
  await preview?.stop();
  rmSync(site, { recursive: true, force: true });
});

function assertIsolated(response: Response, what: string): void {
  for (const [name, value] of Object.entries(ISOLATION)) assert.equal(response.headers.get(name), value, `${what}: ${name}`);
}

const PATHS: [what: string, path: string][] = [
  ['a page', ''],
  ['a worker script', '_astro/replica.worker-test.js'],
];
for (const [what, path] of PATHS) {
  test(`${what}: the isolation headers on 200 and on a revalidation's 304`, async () => {
    const url = new URL(path, preview.url);
    const first = await fetch(url);
    await first.arrayBuffer();
    assert.equal(first.status, 200);
    assertIsolated(first, '200');
    const etag = first.headers.get('etag');
    const modified = first.headers.get('last-modified');
    assert.ok(etag, 'the preview server sends an ETag');
    const conditional = await fetch(url, { headers: { 'if-none-match': etag, ...(modified ? { 'if-modified-since': modified } : {}) } });
    await conditional.arrayBuffer();
    assert.equal(conditional.status, 304);
    assertIsolated(conditional, '304');
  });
}
