/**
 * npm run screenshots [-- --pages /,/models/ --out screenshots --selector .scatter-figure]
 *
 * Serves the built site (npm run build first) and saves a full-page screenshot of each page at
 * desktop and phone widths, in light and dark mode, to look at before calling a page done.
 * Uses Debian's Chromium unless CHROMIUM_PATH says otherwise (empty: Playwright's own).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { chromium } from '@playwright/test';
import { preview } from 'astro';
import { cliArgs, exitCleanlyOnError } from './lib/args.ts';
import { ROOT } from './lib/files.ts';

exitCleanlyOnError();
const args = cliArgs({ pages: { type: 'string' }, out: { type: 'string', default: 'screenshots' }, wait: { type: 'string', default: '1500' }, selector: { type: 'string' } });
const dist = join(ROOT, 'dist');
if (!existsSync(dist)) throw new Error('There is no dist/: run `npm run build` first.');

/** Every page of the build: each index.html as its folder's URL. */
function builtPages(dir = dist): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '_astro' || name === 'weights' || name === 'data' ? [] : builtPages(path);
    return name === 'index.html' ? [`/${relative(dist, dir)}${dir === dist ? '' : '/'}`] : [];
  });
}

const pages = args.pages ? args.pages.split(',') : builtPages();
const out = join(ROOT, args.out!);
await mkdir(out, { recursive: true });
const port = 4400 + Math.floor(Math.random() * 400);
const server = await preview({ root: ROOT, server: { host: '127.0.0.1', port }, logLevel: 'warn' });
const executablePath = process.env['CHROMIUM_PATH'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({
  ...(executablePath ? { executablePath } : {}),
  args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  for (const [device, viewport, scale] of [
    ['desktop', { width: 1280, height: 900 }, 1],
    ['phone', { width: 412, height: 915 }, 2],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: scale, colorScheme: scheme, isMobile: device === 'phone', hasTouch: device === 'phone' });
      const page = await context.newPage();
      for (const path of pages) {
        await page.goto(`http://127.0.0.1:${port}${path}`, { waitUntil: 'networkidle' });
        // With --selector: that element alone, scrolled into view (so lazy figures start).
        const element = args.selector ? page.locator(args.selector).first() : undefined;
        await element?.scrollIntoViewIfNeeded();
        await page.waitForTimeout(Number(args.wait));
        const name = `${path.replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'home'}${args.selector ? `-${args.selector.replace(/[^a-z0-9]+/gi, '')}` : ''}-${device}-${scheme}.png`;
        if (element) await element.screenshot({ path: join(out, name) });
        else await page.screenshot({ path: join(out, name), fullPage: true });
        console.log(`${args.out}/${name}`);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
