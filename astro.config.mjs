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
// Every asset is same-origin, so `require-corp` blocks nothing of ours.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Content-Security-Policy of every page, as a <meta> tag. Scripts: only the site's own files,
 * the hashed scripts Astro bundles, and the one inline theme script, by its hash; no eval, but
 * 'wasm-unsafe-eval' so that WebAssembly may compile. Workers: the site's own, and the blob: URL
 * from which TF.js's threaded wasm backend starts its threads. Styles allow inline style
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

export default defineConfig({
  security: { csp },
  site: SITE.url,
  base: SITE.base,
  integrations: [mdx()],
  markdown: {
    // Astro 7's default Markdown processor runs no remark/rehype plugins; math needs unified.
    // Code blocks (the authoring guide's) stay plain text in the site's own colours: Shiki's
    // theme colours miss the contrast the pages must keep, and its inline styles the policy.
    syntaxHighlight: false,
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex, rehypeRepositoryLinks] }),
  },
  server: { headers: isolation },
  vite: {
    // Every asset stays a file of its own (no data: URLs), as the policy's font-src and img-src expect.
    build: { assetsInlineLimit: 0 },
    // Pre-bundle TF.js in dev: the wasm backend's Emscripten glue is CommonJS.
    optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'] },
  },
});
