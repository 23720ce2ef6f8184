// @ts-check
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { defineConfig } from 'astro/config';
import { createHash } from 'node:crypto';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import { SITE } from './site.config.mjs';
import rehypeRepositoryLinks from './src/layouts/rehype-repository-links.mjs';
import { THEME_SCRIPT } from './src/layouts/theme-script.mjs';

// Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer).
// Every asset is same-origin, so `require-corp` blocks nothing of ours. Where a host cannot send
// these headers, the service worker of public/coi-sw.js adds them (public/coi.js registers it).
// Static hosts get the same two from public/_headers (Netlify, Cloudflare Pages) and vercel.json.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** @param {import('node:http').ServerResponse} res */
function isolate(res) {
  for (const [name, value] of Object.entries(isolation)) if (!res.headersSent && !res.hasHeader(name)) res.setHeader(name, value);
}

/**
 * The isolation headers on every response of `astro dev` and `astro preview`, 304 Not Modified
 * included. `server.headers` alone misses those: Vite (and sirv, which serves dist/ in preview)
 * answers a request whose ETag still matches before it sets the configured headers. A 304 without
 * them is a response without COEP, and WebKit then refuses a worker script it takes from its cache.
 *
 * Dev: a middleware ahead of Vite's own. Preview: Astro starts Vite's preview server without the
 * project's Vite plugins, so there the headers go on in `writeHead`, which every response of
 * that process passes through (an implicit one too: `end()` without a status line calls it).
 *
 * @returns {import('astro').AstroIntegration}
 */
function isolationOnEveryResponse() {
  return {
    name: 'latent-lab:isolation-headers',
    hooks: {
      'astro:config:setup': async ({ command, updateConfig }) => {
        if (command === 'dev') {
          updateConfig({
            vite: {
              plugins: [
                {
                  name: 'latent-lab:isolation-headers',
                  configureServer(server) {
                    server.middlewares.use((_req, res, next) => {
                      isolate(res);
                      next();
                    });
                  },
                },
              ],
            },
          });
        }
        if (command === 'preview') {
          const { ServerResponse } = await import('node:http');
          const writeHead = ServerResponse.prototype.writeHead;
          /** @this {import('node:http').ServerResponse} @param {[number, ...unknown[]]} args */
          function writeHeadIsolated(...args) {
            isolate(this);
            return Reflect.apply(writeHead, this, args);
          }
          ServerResponse.prototype.writeHead = /** @type {typeof writeHead} */ (/** @type {unknown} */ (writeHeadIsolated));
        }
      },
    },
  };
}

/**
 * The Content-Security-Policy of every page, as a <meta> tag. Scripts: only the site's own files,
 * the hashed scripts Astro bundles, and the one inline theme script, by its hash; no eval, but
 * 'wasm-unsafe-eval' so that WebAssembly may compile. Workers: the site's own, and the blob: URL
 * from which TF.js's threaded wasm backend starts its threads; those threads then import their
 * main script from this site (tfjsWasmThreads below), so script-src needs no blob:. Styles allow inline style
 * attributes ('unsafe-inline'): KaTeX's layout depends on them. Nothing may be fetched,
 * embedded or framed from another origin.
 */
/** @type {Exclude<NonNullable<import('astro').AstroUserConfig['security']>['csp'], boolean | undefined>} */
const csp = {
  directives: [
    "default-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ],
  scriptDirective: {
    resources: ["'self'", "'wasm-unsafe-eval'"],
    hashes: [`sha256-${createHash('sha256').update(THEME_SCRIPT).digest('base64')}`],
  },
  styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
};

/**
 * Two rewrites of TF.js 4.22's wasm backend, so that threads start once bundled (see "Workers and
 * threads" in docs/BROWSER.md):
 *
 * 1. The backend starts each thread (an Emscripten pthread worker) by sending it the main script
 *    as a Blob of `wasmFactoryThreadedSimd.toString()`. Bundled and minified, that function's
 *    source refers to a renamed variable of the scope around it (Emscripten's `_scriptDir`, now a
 *    one-letter name), so each thread died with "ReferenceError: e is not defined"; and the policy's
 *    script-src refuses to import a blob: script anyway. Instead the threads get a real same-origin
 *    file: Emscripten's own unbundled glue, which `?url` emits byte for byte under the base path
 *    and script-src 'self' allows.
 * 2. Its C++ caps the thread pool at navigator.hardwareConcurrency / 2 (it assumes two hardware
 *    threads per core), whatever `setThreadsCount` asks: one thread on a 2-core machine. The
 *    bundled glue reports twice the logical cores, so the cap becomes hardwareConcurrency and
 *    `setThreadsCount` (src/components/lib/engine/backend-setup.ts) decides. Only the thread that loads
 *    the backend reads this; the threads' own copy of the glue is untouched.
 * 3. Emscripten starts a pool of 8 thread workers up front (each with its own copy of the wasm
 *    module and a share of memory), however many threads the kernels then use. The page never
 *    runs more threads than the device has cores (`wasmThreads`, at most 8), so the pool starts
 *    that many: 2 workers instead of 8 on a 2-core phone. A thread beyond the pool would still
 *    be started on demand.
 *
 * The build fails if a statement is not found, so a TF.js upgrade that changes them cannot
 * silently turn threads off again.
 */
function tfjsWasmThreads() {
  const factory = /factoryConfig\.mainScriptUrlOrBlob = new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\], \{ type: 'text\/javascript' \}\);/;
  const cores = 'function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]}';
  const pool = 'initMainThread:function(){var pthreadPoolSize=8;';
  /** @param {string} id @param {string} file */
  const is = (id, file) => !id.includes('?') && id.replaceAll('\\', '/').endsWith(`/@tensorflow/tfjs-backend-wasm/${file}`);
  /** @param {string} id */
  const changed = (id) => new Error(`${id} has changed: see tfjsWasmThreads in astro.config.mjs`);
  return {
    name: 'latent-lab:tfjs-wasm-threads',
    /** @param {string} code @param {string} id */
    transform(code, id) {
      if (is(id, 'dist/backend_wasm.js')) {
        if (!factory.test(code)) throw changed(id);
        const main = "import wasmThreadsMainScript from '../wasm-out/tfjs-backend-wasm-threaded-simd.js?url';\n";
        return { code: main + code.replace(factory, 'factoryConfig.mainScriptUrlOrBlob = new URL(wasmThreadsMainScript, location.href).href;'), map: null };
      }
      if (is(id, 'wasm-out/tfjs-backend-wasm-threaded-simd.js')) {
        if (!code.includes(cores) || !code.includes(pool)) throw changed(id);
        const patched = code
          .replace(cores, cores.replace('return navigator["hardwareConcurrency"]', 'return 2*navigator["hardwareConcurrency"]'))
          .replace(pool, pool.replace('=8;', '=Math.min(8,navigator["hardwareConcurrency"]||8);'));
        return { code: patched, map: null };
      }
      return undefined;
    },
  };
}

export default defineConfig({
  security: { csp },
  site: SITE.url,
  base: SITE.base,
  integrations: [mdx(), isolationOnEveryResponse()],
  markdown: {
    // Astro 7's default Markdown processor runs no remark/rehype plugins; math needs unified.
    // Code blocks (the authoring guide's) stay plain text in the site's own colours: Shiki's
    // theme colours miss the contrast the pages must keep, and its inline styles the policy.
    syntaxHighlight: false,
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex, rehypeRepositoryLinks] }),
  },
  server: { headers: isolation },
  vite: {
    plugins: [tfjsWasmThreads()],
    // Worker bundles (training, its replicas) go through a plugin pipeline of their own.
    worker: { plugins: () => [tfjsWasmThreads()] },
    // Every asset stays a file of its own (no data: URLs), as the policy's font-src and img-src expect.
    build: { assetsInlineLimit: 0 },
    // Pre-bundle TF.js in dev: the wasm backend's Emscripten glue is CommonJS.
    optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'] },
  },
});
