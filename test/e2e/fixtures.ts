/**
 * A `page` that records what a reader would never want to see: uncaught errors, console
 * errors and failed requests. Each test ends by asserting the lists are empty (or only hold
 * what the test itself provoked).
 */
import { test as base, expect, type Page } from '@playwright/test';

export interface PageProblems {
  errors: string[];
  consoleErrors: string[];
  failedRequests: string[];
  /** Requests to any origin but the page's own: the site must send nothing anywhere else. */
  offsiteRequests: string[];
}

export function watch(page: Page): PageProblems {
  const problems: PageProblems = { errors: [], consoleErrors: [], failedRequests: [], offsiteRequests: [] };
  let origin: string | undefined;
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return; // data:, blob:
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) origin = url.origin;
    else if (url.origin !== origin) problems.offsiteRequests.push(req.url());
  });
  page.on('pageerror', (err) => problems.errors.push(err.message));

  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
  });
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? '';
    // A reload or navigation cancels what the old page still had in flight; that is not a failure.
    if (reason === 'net::ERR_ABORTED') return;
    problems.failedRequests.push(`${req.url()} (${reason})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.failedRequests.push(`${res.url()} (${res.status()})`);
  });
  return problems;
}

export const test = base.extend<{ problems: PageProblems }>({
  problems: async ({ page }, use) => {
    const problems = watch(page);
    // Every resource or script the Content-Security-Policy blocks becomes a console error, so
    // every test also proves its page works under the policy.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.effectiveDirective} refused ${e.blockedURI || 'an inline script'}`));
    });
    await use(problems);
  },
});

export function expectClean(problems: PageProblems): void {
  expect(problems.errors, 'uncaught errors').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
  expect(problems.failedRequests, 'failed requests').toEqual([]);
  expect(problems.offsiteRequests, 'requests that left the site').toEqual([]);
}

export { expect };

/** The grey levels (red channel, 0…255) of a canvas. */
export async function canvasGrey(canvas: import('@playwright/test').Locator): Promise<number[]> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    return Array.from({ length: data.length / 4 }, (_, i) => data[4 * i]!);
  });
}

/** The red, green and blue levels (0…255) of a canvas, pixel by pixel: channels last, as the engine's images. */
export async function canvasRgb(canvas: import('@playwright/test').Locator): Promise<number[]> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    return Array.from({ length: (3 * data.length) / 4 }, (_, i) => data[4 * Math.floor(i / 3) + (i % 3)]!);
  });
}

/** The grey levels (red channel, 0…255) of an <img>, at its natural size. */
export async function imageGrey(img: import('@playwright/test').Locator): Promise<number[]> {
  return img.evaluate(async (el: HTMLImageElement) => {
    await el.decode();
    const c = document.createElement('canvas');
    c.width = el.naturalWidth;
    c.height = el.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(el, 0, 0);
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    return Array.from({ length: data.length / 4 }, (_, i) => data[4 * i]!);
  });
}

/** The largest absolute difference between two images' values, position by position (they must be the same length). */
export function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length, 'both images have as many values').toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
