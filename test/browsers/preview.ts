/**
 * `astro preview` of the built site (dist/, or another folder) on a free port, as its own process
 * group so that stopping it leaves nothing behind. `--ignore-lock`: it runs alongside any other
 * preview server of this project (Playwright's, or a reader's), in the foreground.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, sleep } from './driver.ts';

const ROOT = join(import.meta.dirname, '../..');

export interface Preview {
  /** The site's root, with the base path and a trailing slash. */
  url: string;
  /** The headers of the home page (COOP/COEP make it cross-origin isolated). */
  headers: Headers;
  stop(): Promise<void>;
}

/** Serves `outDir` (dist/ unless given; it must hold an index.html) under `base`. */
export async function startPreview(base: string, outDir?: string): Promise<Preview> {
  if (!existsSync(join(outDir ?? join(ROOT, 'dist'), 'index.html'))) {
    throw new Error(outDir ? `${outDir} has no index.html` : 'dist/ has no site: run `npm run build` (or `npx astro build`) first');
  }
  const port = await freePort();
  const args = ['node_modules/astro/bin/astro.mjs', 'preview', '--ignore-lock', '--host', '127.0.0.1', '--port', String(port), ...(outDir ? ['--outDir', outDir] : [])];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await Promise.race([exited, sleep(5000)]);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  };
  const url = `http://127.0.0.1:${port}${base.endsWith('/') ? base : `${base}/`}`;
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return { url, headers: response.headers, stop };
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() - started > 30_000) {
      await stop();
      throw new Error(`astro preview did not serve ${url}:\n${stderr}`);
    }
    await sleep(200);
  }
}
