/**
 * The offline file list the build writes into the service worker (scripts/lib/offline-manifest.ts):
 * pages, scripts and styles are the shell, weights and data are data, the worker and the hosts'
 * header files are left out; each file's hash follows its content, and the version changes with
 * any file. The worker's source takes the list in place of its one marked line, and a source
 * without that line is refused.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OFFLINE_LINE, offlineManifest, withManifest, writeOfflineManifest } from '../../scripts/lib/offline-manifest.ts';

function site(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'latent-lab-offline-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const FILES = {
  'index.html': '<h1>Home</h1>',
  'chapters/some-chapter/index.html': '<h1>ELBO</h1>',
  '_astro/app.abc.js': 'console.log(1)',
  '_astro/backend.wasm': 'wasm',
  'weights/mnist-conv-z2/encoder/weights.bin': 'w',
  'data/mnist/test-00.images.u8': 'd',
  'classifiers/mnist/model.json': '{}',
  'coi-sw.js': `// worker\n${OFFLINE_LINE}\n`,
  _headers: '/*',
  '.hidden/file': 'x',
};

test('files are sorted into shell and data, each with the first 16 hex digits of its SHA-256', () => {
  const dir = site(FILES);
  try {
    const m = offlineManifest(dir);
    assert.deepEqual(Object.keys(m.shell), ['_astro/app.abc.js', '_astro/backend.wasm', 'chapters/some-chapter/index.html', 'index.html']);
    assert.deepEqual(Object.keys(m.data), ['classifiers/mnist/model.json', 'data/mnist/test-00.images.u8', 'weights/mnist-conv-z2/encoder/weights.bin']);
    assert.equal(m.shell['index.html'], createHash('sha256').update('<h1>Home</h1>').digest('hex').slice(0, 16));
    assert.match(m.version, /^[0-9a-f]{12}$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a changed page or a changed data file gives a new hash and a new version; the rest stays', () => {
  const before = site(FILES);
  const page = site({ ...FILES, 'chapters/some-chapter/index.html': '<h1>ELBO, corrected</h1>' });
  const weights = site({ ...FILES, 'weights/mnist-conv-z2/encoder/weights.bin': 'w2' });
  try {
    const [a, b, c] = [before, page, weights].map(offlineManifest) as [ReturnType<typeof offlineManifest>, ReturnType<typeof offlineManifest>, ReturnType<typeof offlineManifest>];
    assert.notEqual(a.shell['chapters/some-chapter/index.html'], b.shell['chapters/some-chapter/index.html']);
    assert.equal(a.shell['index.html'], b.shell['index.html']);
    assert.notEqual(a.version, b.version);
    assert.notEqual(a.data['weights/mnist-conv-z2/encoder/weights.bin'], c.data['weights/mnist-conv-z2/encoder/weights.bin']);
    assert.notEqual(a.version, c.version);
    assert.deepEqual(offlineManifest(before), a, 'the same files give the same list');
  } finally {
    for (const dir of [before, page, weights]) rmSync(dir, { recursive: true, force: true });
  }
});

test('the worker gets the list in place of its marked line, once; a worker without the line is refused', () => {
  const dir = site(FILES);
  try {
    const m = writeOfflineManifest(dir);
    const worker = readFileSync(join(dir, 'coi-sw.js'), 'utf8');
    assert.equal(worker, `// worker\nconst OFFLINE = ${JSON.stringify(m)};\n`);
    assert.throws(() => writeOfflineManifest(dir), /must hold "const OFFLINE = null;" exactly once/);
    assert.throws(() => withManifest(`${OFFLINE_LINE}${OFFLINE_LINE}`, m), /exactly once/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the site\'s worker has the marked line exactly once', () => {
  const source = readFileSync('public/coi-sw.js', 'utf8');
  assert.equal(source.split(OFFLINE_LINE).length, 2);
});
