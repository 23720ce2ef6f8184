import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium by default; CHROMIUM_PATH points elsewhere, and an empty value uses
// Playwright's own downloaded browser.
const executablePath = process.env['CHROMIUM_PATH'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const port = Number(process.env['E2E_PORT'] ?? 4329);
const desktop = { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 900 } };

/**
 * The browser tests in tiers, all run by `npm run test:e2e` on two workers that stay busy.
 * - `desktop` and `phone`: the figures, pages and chapters; independent files (and the pages of
 *   the accessibility check) run two at a time (E2E_WORKERS sets how many).
 * - `training`: the files that train in the page. Two trainings at once would oversubscribe two
 *   cores and time out, so they run one at a time, from the start, beside the light tests of
 *   the other tiers (listed last, training would run alone at the end, on one worker).
 * - the long checks, tagged @long in their titles (the soak, lost GPU contexts, every page's
 *   budgets, the builds of a fork): they run in the projects above (the training ones in
 *   `training`), and `npm run test:e2e:fast` leaves them out.
 */
const TRAINING = /(trainer|train-panel|train-own|soak|offline)\.spec\.ts$/;

export default defineConfig({
  // test/e2e: the site and every figure (on /figures/), whatever the chapters are.
  // test/chapters: the tests of this guide's own chapters, which a fork deletes with them.
  testDir: 'test',
  testMatch: /(e2e|chapters)\/.*\.spec\.ts$/,
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: Number(process.env['E2E_WORKERS'] ?? 2),
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // The site's service worker (public/coi-sw.js) would keep a copy of the site in every test's
    // browser and answer its requests; the tests of the worker itself allow it.
    serviceWorkers: 'block',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
  projects: [
    // First, so that training starts at once on one worker and the other tiers fill the other.
    { name: 'training', use: desktop, testMatch: TRAINING, grepInvert: /@phone/, workers: 1 },
    { name: 'desktop', use: desktop, testIgnore: TRAINING, grepInvert: /@phone/ },
    { name: 'phone', use: { ...devices['Pixel 7'] }, testIgnore: TRAINING, grep: /@phone/ },
  ],
  webServer: {
    command: `npx astro preview --ignore-lock --host 127.0.0.1 --port ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
