/**
 * A plain static file server for dist/ (or a copy of it): the headers a bare static host sends
 * (GitHub Pages sends no COOP/COEP), and nothing else. 127.0.0.1 is a secure context, so service workers may run.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { ROOT } from '../../scripts/lib/files.ts';

const DIST = join(ROOT, 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** The file a path names in the first of `roots` that has it (a folder's index.html), or undefined. */
function fileIn(roots: string[], path: string): string | undefined {
  for (const root of roots) {
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (file.startsWith(root) && existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Serves dist/ on a free port of 127.0.0.1; resolves to its origin, a way to serve other folders
 * from the same origin (a new deployment: each path from the first folder that has it), and a
 * way to stop it.
 */
export async function servePlain(): Promise<{ origin: string; serve: (...roots: string[]) => void; close: () => Promise<void> }> {
  let roots = [DIST];
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = fileIn(roots, path);
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    serve: (...next) => void (roots = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
