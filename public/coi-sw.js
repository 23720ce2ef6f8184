/**
 * Cross-origin isolation for static hosts that cannot send response headers (GitHub Pages).
 *
 * `public/coi.js` registers this service worker, with the site's base path as its scope, only
 * where the page is not already isolated. It re-serves every same-origin GET response (pages,
 * scripts, workers, wasm, data) with the headers `npm run preview`, `public/_headers` and
 * `vercel.json` send: COOP `same-origin` and COEP `require-corp`, plus CORP `same-origin`. The
 * page is then cross-origin isolated, so the wasm backend may run threads (SharedArrayBuffer).
 * Requests to other origins, which the site never makes, pass through untouched. Nothing is cached
 * here: each response comes from the network (and the browser's HTTP cache) as before.
 */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // A request that may only be answered from the cache cannot be re-fetched here.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(fetch(request).then(isolated));
});

/** The same response, with the isolation headers added. */
function isolated(response) {
  // Opaque responses and redirects (status 0) cannot be copied, and need no headers.
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
