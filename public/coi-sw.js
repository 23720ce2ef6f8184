/**
 * The site's one service worker, registered by `public/coi.js` with the site's base path as its
 * scope. It does two things.
 *
 * 1. Cross-origin isolation for static hosts that cannot send response headers (GitHub Pages): it
 *    re-serves every same-origin GET response (pages, scripts, workers, wasm, data) with the
 *    headers `npm run preview`, `public/_headers` and `vercel.json` send: COOP `same-origin` and
 *    COEP `require-corp`, plus CORP `same-origin`. The page is then cross-origin isolated, so the
 *    wasm backend may run threads (SharedArrayBuffer). Requests to other origins, which the site
 *    never makes, pass through untouched.
 *
 * 2. The guide offline after one visit. `npm run build` writes the build's file list into
 *    OFFLINE below (scripts/offline-manifest.ts): every page, script, style, font and wasm binary
 *    of the build (the shell) and every model's weights and dataset shard, each with a hash of its
 *    content. The shell is kept whole in a cache named by the build's version, filled in the
 *    background once the first page has loaded (the page asks, so the first visit's own
 *    downloads come first); weights and data are kept as the reader's visit fetches them, each
 *    under its content hash. Every file of the shell is served from the cache of its own build,
 *    so a page never runs scripts of another build; a new build is fetched beside the old one and
 *    takes over on the next visit (or at once when the reader asks, from the notice coi.js
 *    shows). Without OFFLINE (`npm run dev`) nothing is cached.
 */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** { version, shell: { path: hash }, data: { path: hash } }, paths relative to the scope; written by the build. */
const OFFLINE = null;

const SHELL = OFFLINE && `latent-lab-shell-${OFFLINE.version}`;
const DATA = 'latent-lab-data';
/** Downloads at once while the shell is filled. */
const PARALLEL = 6;
/** The header a kept file of the shell carries its content hash in. */
const HASH_HEADER = 'x-latent-lab-hash';

/** The file of the build a URL of this scope names (a folder's index.html), and its query dropped; or undefined. */
function pathOf(url) {
  const scope = self.registration.scope;
  if (!url.startsWith(scope)) return undefined;
  let path = decodeURIComponent(url.slice(scope.length).replace(/[?#].*$/, ''));
  if (path === '' || path.endsWith('/')) path += 'index.html';
  return path;
}

/** The cache key of one version of a data file: its URL with its content hash. */
const dataKey = (path, hash) => new URL(`${path}?v=${hash}`, self.registration.scope).href;

self.addEventListener('install', (event) => {
  // The first worker of this browser takes over at once (the isolation shim needs it to); its
  // shell is filled when the page asks. A new build's worker fills its shell first and then
  // waits, so that open pages keep the scripts they started with.
  if (!OFFLINE || !self.registration.active) {
    self.skipWaiting();
    return;
  }
  event.waitUntil(fillShell(true));
});

self.addEventListener('activate', (event) => event.waitUntil(Promise.all([self.clients.claim(), dropStale()])));

self.addEventListener('message', (event) => {
  const type = event.data?.type;
  if (type === 'fill-shell' && OFFLINE) event.waitUntil(fillShell().then((status) => event.source?.postMessage({ type: 'shell', ...status })));
  if (type === 'skip-waiting') self.skipWaiting();
  if (type === 'status' && OFFLINE) event.waitUntil(shellStatus().then((status) => event.source?.postMessage({ type: 'shell', ...status })));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // A request that may only be answered from the cache cannot be re-fetched here.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(answer(event).then(isolated));
});

/** The response for a request: the shell from its build's cache, data by its hash, the rest from the network. */
async function answer(event) {
  const request = event.request;
  const path = OFFLINE && pathOf(request.url);
  if (path && path in OFFLINE.shell) {
    const cache = await caches.open(SHELL);
    const key = new URL(path, self.registration.scope).href;
    const kept = await cache.match(key);
    if (kept) return kept;
    const response = await shellFile(key, OFFLINE.shell[path]);
    if (response.ok) event.waitUntil(cache.put(key, response.clone()));
    return response;
  }
  if (path && path in OFFLINE.data) return data(event, path, OFFLINE.data[path]);
  return fetch(request);
}

/**
 * A data file (weights, a dataset shard): kept under its content hash once fetched whole. A range
 * request (one image of a shard) is answered from the kept file; if the file is not kept yet, the
 * range goes to the network, and a test shard is fetched whole beside it, so the figure that
 * asked works offline next time.
 */
async function data(event, path, hash) {
  const cache = await caches.open(DATA);
  const key = dataKey(path, hash);
  const kept = await cache.match(key);
  const range = event.request.headers.get('range');
  if (kept) return range ? slice(kept, range) : kept;
  const url = new URL(path, self.registration.scope).href;
  if (range) {
    // A figure's single image comes from a test split: keep that shard for offline use. Training
    // reads ranges of the training shards and keeps the images it took in a cache of its own.
    if (/(^|\/)test-[^/]*$/.test(path)) event.waitUntil(keepWhole(cache, key, url));
    return fetch(event.request);
  }
  const response = await fetch(url);
  if (response.status === 200) event.waitUntil(cache.put(key, response.clone()));
  return response;
}

async function keepWhole(cache, key, url) {
  try {
    const response = await fetch(url);
    if (response.status === 200) await cache.put(key, response);
  } catch {
    // Offline or refused: the next request tries again.
  }
}

/** Bytes `start`–`end` of a kept file as a 206 response, as a server answers `Range: bytes=start-end`. */
async function slice(response, range) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  const body = await response.arrayBuffer();
  const size = body.byteLength;
  if (!match || (match[1] === '' && match[2] === '')) return new Response(body, { status: 200, headers: response.headers });
  let start = match[1] === '' ? size - Number(match[2]) : Number(match[1]);
  let end = match[1] === '' || match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  start = Math.max(0, start);
  if (start > end || start >= size) return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  const headers = new Headers(response.headers);
  headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
  headers.set('Content-Length', String(end - start + 1));
  return new Response(body.slice(start, end + 1), { status: 206, headers });
}

/**
 * Fetches every file of the shell the cache lacks, taking unchanged files from older builds'
 * caches. `strict`: a new build's worker that cannot fetch its whole shell does not install (the
 * next visit tries again); the first worker keeps what it got.
 */
async function fillShell(strict = false) {
  const cache = await caches.open(SHELL);
  const have = new Set((await cache.keys()).map((r) => r.url));
  const older = await Promise.all((await caches.keys()).filter((name) => name.startsWith('latent-lab-shell-') && name !== SHELL).map((name) => caches.open(name)));
  const missing = Object.keys(OFFLINE.shell).filter((path) => !have.has(new URL(path, self.registration.scope).href));
  let failed = 0;
  const next = async () => {
    for (let path = missing.pop(); path !== undefined; path = missing.pop()) {
      const url = new URL(path, self.registration.scope).href;
      try {
        const response = (await fromOlder(older, url, OFFLINE.shell[path])) ?? (await shellFile(url, OFFLINE.shell[path]));
        if (!response.ok) throw new Error(`${url}: ${response.status}`);
        await cache.put(url, response);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, next));
  if (strict && failed > 0) throw new Error(`${failed} files of the new build could not be fetched`);
  return shellStatus();
}

/** The same file from an older build's cache (`older`: those caches, opened), if its content hash is unchanged. */
async function fromOlder(older, url, hash) {
  for (const cache of older) {
    const kept = await cache.match(url);
    if (kept?.headers.get(HASH_HEADER) === hash) return kept;
  }
  return undefined;
}

/**
 * A file of the shell from the network, marked with its content hash so a later build can reuse
 * it. Its body streams: a page's script or wasm binary served through here arrives (and
 * compiles) as it downloads, while a copy of the same stream goes into the cache.
 */
async function shellFile(url, hash) {
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) return response;
  const headers = new Headers(response.headers);
  headers.set(HASH_HEADER, hash);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** How much of this build's shell is kept. */
async function shellStatus() {
  const cache = await caches.open(SHELL);
  return { version: OFFLINE.version, kept: (await cache.keys()).length, files: Object.keys(OFFLINE.shell).length };
}

/** Deletes older builds' shells and data files whose content this build no longer has. */
async function dropStale() {
  if (!OFFLINE) return;
  for (const name of await caches.keys()) {
    if (name.startsWith('latent-lab-shell-') && name !== SHELL) await caches.delete(name);
  }
  const wanted = new Set(Object.entries(OFFLINE.data).map(([path, hash]) => dataKey(path, hash)));
  const cache = await caches.open(DATA);
  for (const request of await cache.keys()) if (!wanted.has(request.url)) await cache.delete(request);
}

/** The same response, with the isolation headers added. */
function isolated(response) {
  // Opaque responses and redirects (status 0) cannot be copied, and need no headers.
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
