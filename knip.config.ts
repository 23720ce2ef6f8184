/**
 * knip (`npm run knip`, part of `npm run lint`): files nobody imports, exports nobody imports,
 * dependencies nobody uses. Its plugins find most entry points themselves: Astro's (the pages,
 * src/content.config.ts, the chapters' MDX, astro.config.mjs), Playwright's (playwright.config.ts
 * and test/e2e/), ESLint's (eslint.config.js) and Node's test runner (test/). Components and
 * layouts are not entries: knip follows the imports of the pages and the chapters to them, so a
 * component that no chapter uses any more is reported as an unused file.
 */
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  entry: [
    'src/pages/**/*.astro',
    'src/content/chapters/*.mdx',
    // Started with `new Worker(new URL(...))` by the training panel and the Node trainer.
    'src/components/lib/worker/*.worker.ts',
    'scripts/lib/train-worker.ts',
    // The CLIs, run by the npm scripts or with `node`.
    'scripts/*.{ts,mjs}',
    // Claim groups, imported by path from scripts/lib/claim-groups.ts.
    'scripts/lib/claims/*.ts',
    'test/unit/**/*.test.ts',
    'test/e2e/**/*.spec.ts',
    'test/chapters/**/*.{spec,test}.ts',
    // Loaded by a <script src> in src/layouts/Base.astro, and registered by it as a service worker.
    'public/coi.js',
    'public/coi-sw.js',
  ],
  // Data packages read by path (require.resolve of a name built from the artwork set), not imported.
  ignoreDependencies: ['emoji-datasource-twitter', 'emoji-datasource-google'],
};

export default config;
