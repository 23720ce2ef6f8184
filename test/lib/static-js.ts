/**
 * The JavaScript a built page loads before any figure starts: its module scripts and, through
 * their static `import`s, every chunk they pull in. Dynamic `import()`s (TF.js, the engine, the
 * workers) load only when a figure starts, so they are not counted.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';

const SCRIPT_SRC = /<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g;
const INLINE_MODULE = /<script\b[^>]*type="module"[^>]*>([\s\S]*?)<\/script>/g;
// `import … from "x"`, `import "x"` and `export … from "x"`, but not `import("x")`.
const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g;

export interface StaticJs {
  bytes: number;
  files: string[];
}

/** `page` is a site path such as "/figures/beta-sweep/"; `dist` the build folder; `base` the site's base path. */
export async function staticJavaScript(dist: string, page: string, base = '/'): Promise<StaticJs> {
  const html = await readFile(join(dist, page.replace(/^\//, ''), 'index.html'), 'utf8');
  const seen = new Set<string>();
  let bytes = 0;
  const toFile = (url: string, from: string) => {
    const path = url.startsWith('/') ? url.slice(base.length - 1) : posix.join(posix.dirname(from), url);
    return path.replace(/^\/+/, '');
  };
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = await readFile(join(dist, file), 'utf8');
    bytes += Buffer.byteLength(code);
    for (const m of code.matchAll(STATIC_IMPORT)) await visit(toFile(m[1]!, '/' + file));
  };
  for (const m of html.matchAll(SCRIPT_SRC)) await visit(toFile(m[1]!, page));
  for (const m of html.matchAll(INLINE_MODULE)) {
    bytes += Buffer.byteLength(m[1]!);
    for (const i of m[1]!.matchAll(STATIC_IMPORT)) await visit(toFile(i[1]!, page));
  }
  return { bytes, files: [...seen].map((f) => dirname(f) === '_astro' ? f.slice(7) : f) };
}
