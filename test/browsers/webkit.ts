/**
 * WebKitGTK's MiniBrowser (Debian's `libwebkit2gtk-4.1-0`), driven through `WebKitWebDriver`
 * (`webkit2gtk-driver`) with classic W3C WebDriver over HTTP: a dozen commands, sent with fetch.
 * MiniBrowser needs a display, so the driver runs under `xvfb-run`. `MINIBROWSER_PATH` and
 * `WEBKIT_WEBDRIVER_PATH` point elsewhere.
 *
 * Classic WebDriver has no log of the page's errors, so every script this driver runs first
 * installs a collector in the page (listeners for `error`, `unhandledrejection` and
 * `securitypolicyviolation`, and a wrapped `console.error`). It sees what happens after the first
 * script of a page: errors while the page's own modules first run are missed, but a figure that
 * fails still shows as `data-state="error"`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, sleep, VIEWPORT, type Browser, type Driver, type PageFunction } from './driver.ts';

const driverPath = process.env['WEBKIT_WEBDRIVER_PATH'] || '/usr/bin/WebKitWebDriver';
const miniBrowser = process.env['MINIBROWSER_PATH'] || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const xvfbRun = '/usr/bin/xvfb-run';

/** Runs in the page: records its errors in `window.__smokeProblems`, once per document. */
function installCollector(): void {
  const w = window as unknown as { __smokeProblems?: string[] };
  if (w.__smokeProblems) return;
  const list: string[] = [];
  w.__smokeProblems = list;
  const text = (x: unknown) => (x instanceof Error ? x.message : String(x));
  window.addEventListener('error', (e) => list.push(`uncaught: ${e.message}`));
  window.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => list.push(`unhandled rejection: ${text(e.reason)}`));
  document.addEventListener('securitypolicyviolation', (e) => list.push(`CSP violation: ${e.effectiveDirective} refused ${e.blockedURI || 'an inline script'}`));
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    list.push(`console.error: ${args.map(text).join(' ')}`);
    original(...args);
  };
}

function readProblems(): string[] {
  return (window as unknown as { __smokeProblems?: string[] }).__smokeProblems ?? [];
}

interface Reply {
  value: unknown;
}

export const webkit: Browser = {
  name: 'webkit',
  binaries: () => [driverPath, miniBrowser, xvfbRun],
  packages: 'webkit2gtk-driver libwebkit2gtk-4.1-0 xvfb',
  async launch(): Promise<Driver> {
    const port = await freePort();
    // Its own process group, so that closing ends xvfb-run, Xvfb, the driver and the browser together.
    const child: ChildProcess = spawn(xvfbRun, ['-a', '-s', `-screen 0 ${VIEWPORT.width}x${VIEWPORT.height + 200}x24`, driverPath, `--port=${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const kill = async () => {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        await Promise.race([exited, sleep(5000)]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    };

    const base = `http://127.0.0.1:${port}`;
    const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> => {
      const response = await fetch(base + path, {
        method,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const reply = (await response.json()) as Reply;
      const value = reply.value as { error?: string; message?: string } | null;
      if (!response.ok || (value && typeof value === 'object' && 'error' in value && value.error)) {
        throw new Error(`WebDriver ${method} ${path}: ${value?.error ?? response.status}: ${value?.message ?? ''}`);
      }
      return reply.value;
    };

    try {
      const started = Date.now();
      for (;;) {
        try {
          await call('GET', '/status');
          break;
        } catch (error) {
          if (child.exitCode !== null || Date.now() - started > 20_000) throw new Error(`WebKitWebDriver did not start: ${String(error)}\n${stderr}`);
          await sleep(100);
        }
      }
      const session = (await call('POST', '/session', {
        capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] } } },
      })) as { sessionId: string; capabilities: { browserName: string; browserVersion: string } };
      const s = `/session/${session.sessionId}`;
      await call('POST', `${s}/timeouts`, { script: 180_000, pageLoad: 60_000 });
      // The window, not the viewport: the toolbar takes some of it.
      await call('POST', `${s}/window/rect`, { width: VIEWPORT.width, height: VIEWPORT.height });

      const run = async <A extends unknown[], R>(fn: PageFunction<A, R>, ...args: A): Promise<R> => {
        const script = `const args = Array.prototype.slice.call(arguments); const done = args.pop();
(${installCollector.toString()})();
Promise.resolve().then(() => (${fn.toString()}).apply(null, args)).then(
  (value) => done({ value: value === undefined ? null : value }),
  (error) => done({ error: String((error && error.stack) || error) }));`;
        const result = (await call('POST', `${s}/execute/async`, { script, args })) as { value?: R; error?: string };
        if (result.error !== undefined) throw new Error(`in the page: ${result.error}`);
        return result.value as R;
      };

      return {
        version: `${session.capabilities.browserName} (WebKitGTK ${session.capabilities.browserVersion})`,
        limits: ['errors thrown before the smoke run could install its collector (as the page first loads) are not seen'],
        async goto(url) {
          await call('POST', `${s}/url`, { url });
          await run(() => undefined);
        },
        run,
        problems: () => run(readProblems),
        async stroke(points) {
          const at = ([x, y]: [number, number]) => ({ x: Math.round(x), y: Math.round(y), origin: 'viewport' });
          const [first, ...rest] = points;
          if (!first) return;
          const actions = [
            { type: 'pointerMove', duration: 0, ...at(first) },
            { type: 'pointerDown', button: 0 },
            ...rest.map((point) => ({ type: 'pointerMove', duration: 60, ...at(point) })),
            { type: 'pointerUp', button: 0 },
          ];
          await call('POST', `${s}/actions`, { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }] });
          await call('DELETE', `${s}/actions`);
        },
        async close() {
          try {
            await Promise.race([call('DELETE', s), sleep(10_000)]);
          } finally {
            await kill();
          }
        },
      };
    } catch (error) {
      await kill();
      throw error;
    }
  },
};
