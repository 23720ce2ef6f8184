/**
 * Firefox ESR (Debian's `firefox-esr`), driven by puppeteer-core over WebDriver BiDi: no
 * geckodriver, and puppeteer-core never downloads a browser. `FIREFOX_PATH` points elsewhere.
 */
import puppeteer, { type EvaluateFunc } from 'puppeteer-core';
import { VIEWPORT, type Browser, type Driver, type PageFunction } from './driver.ts';

const executablePath = process.env['FIREFOX_PATH'] || '/usr/bin/firefox-esr';

export const firefox: Browser = {
  name: 'firefox',
  binaries: () => [executablePath],
  packages: 'firefox-esr',
  async launch(): Promise<Driver> {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath,
      headless: true,
      defaultViewport: VIEWPORT,
      // A fresh profile each run: no cache, no service worker, no kept model from before.
      extraPrefsFirefox: { 'browser.shell.checkDefaultBrowser': false, 'datareporting.policy.dataSubmissionEnabled': false },
    });
    try {
      const version = await browser.version();
      const page = await browser.newPage();
      let seen: string[] = [];
      page.on('pageerror', (error) => seen.push(`uncaught: ${error instanceof Error ? error.message : String(error)}`));
      page.on('console', (message) => {
        if (message.type() === 'error') seen.push(`console.error: ${message.text()}`);
      });
      // The Content-Security-Policy refuses without throwing: make every refusal a console error,
      // as test/e2e/fixtures.ts does for Chromium.
      await page.evaluateOnNewDocument(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.effectiveDirective} refused ${e.blockedURI || 'an inline script'}`));
      });
      return {
        version,
        limits: [],
        async goto(url) {
          seen = [];
          await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
        },
        async run<A extends unknown[], R>(fn: PageFunction<A, R>, ...args: A): Promise<R> {
          return (await page.evaluate(fn as unknown as EvaluateFunc<A>, ...args)) as R;
        },
        problems: () => Promise.resolve([...seen]),
        async stroke(points) {
          const [first, ...rest] = points;
          if (!first) return;
          await page.mouse.move(...first);
          await page.mouse.down();
          for (const point of rest) await page.mouse.move(...point, { steps: 6 });
          await page.mouse.up();
        },
        close: () => browser.close(),
      };
    } catch (error) {
      await browser.close();
      throw error;
    }
  },
};
