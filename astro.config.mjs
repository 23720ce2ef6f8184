// @ts-check
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { defineConfig } from 'astro/config';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';

// Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer).
// Every asset is same-origin, so `require-corp` blocks nothing of ours.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  site: 'https://example.github.io',
  integrations: [mdx()],
  markdown: {
    // Astro 7's default Markdown processor runs no remark/rehype plugins; math needs unified.
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] }),
  },
  server: { headers: isolation },
  vite: {
    // Pre-bundle TF.js in dev: the wasm backend's Emscripten glue is CommonJS.
    optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'] },
  },
});
