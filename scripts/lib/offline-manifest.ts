/**
 * The file list the service worker (public/coi-sw.js) keeps the guide offline with: every file of
 * a build with a hash of its content, split into the shell (pages, scripts, styles, fonts, wasm,
 * the search index: fetched whole after the first visit) and the data (model weights, dataset
 * shards, classifiers: kept as a visit fetches them). The build's version is a hash of the whole
 * list, so any changed file makes a new version, and the worker of the new build keeps its
 * files apart from the old one's.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface OfflineManifest {
  version: string;
  /** Path relative to the site's root → the first 16 hex digits of its SHA-256. */
  shell: Record<string, string>;
  data: Record<string, string>;
}

/** Top-level folders whose files are data, kept only once fetched. */
const DATA_FOLDERS = new Set(['weights', 'data', 'classifiers']);
/** Files no page fetches: the worker itself, and the hosts' header files. */
const LEFT_OUT = new Set(['coi-sw.js', '_headers', 'vercel.json']);

/** The line of public/coi-sw.js that the build fills in. */
export const OFFLINE_LINE = 'const OFFLINE = null;';

const hashOf = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
function filesUnder(dir: string, root = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path, root) : [relative(root, path).split(sep).join('/')];
    });
}

/** The manifest of a built site in `dist`. */
export function offlineManifest(dist: string): OfflineManifest {
  const shell: Record<string, string> = {};
  const data: Record<string, string> = {};
  for (const path of filesUnder(dist)) {
    if (LEFT_OUT.has(path) || path.split('/').some((part) => part.startsWith('.'))) continue;
    const hash = hashOf(readFileSync(join(dist, path)));
    if (DATA_FOLDERS.has(path.split('/')[0]!)) data[path] = hash;
    else shell[path] = hash;
  }
  return { version: hashOf(JSON.stringify({ shell, data })).slice(0, 12), shell, data };
}

/** The worker's source with the manifest in place of `OFFLINE_LINE`; throws if the line is not there exactly once. */
export function withManifest(workerSource: string, manifest: OfflineManifest): string {
  const parts = workerSource.split(OFFLINE_LINE);
  if (parts.length !== 2) throw new Error(`coi-sw.js must hold "${OFFLINE_LINE}" exactly once, to take the offline file list`);
  return parts.join(`const OFFLINE = ${JSON.stringify(manifest)};`);
}

/** Writes the manifest into dist/coi-sw.js; returns it. */
export function writeOfflineManifest(dist: string): OfflineManifest {
  const manifest = offlineManifest(dist);
  const worker = join(dist, 'coi-sw.js');
  writeFileSync(worker, withManifest(readFileSync(worker, 'utf8'), manifest));
  return manifest;
}

/** Bytes of the files of one part of the manifest. */
export function bytesOf(dist: string, files: Record<string, string>): number {
  return Object.keys(files).reduce((sum, path) => sum + statSync(join(dist, path)).size, 0);
}
