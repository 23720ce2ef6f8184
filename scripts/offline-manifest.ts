/**
 * npm run build runs this last: it writes the built site's file list, with a hash of each file,
 * into dist/coi-sw.js, the service worker that keeps the guide offline (scripts/lib/offline-manifest.ts).
 */
import { join } from 'node:path';
import { exitCleanlyOnError } from './lib/args.ts';
import { ROOT } from './lib/files.ts';
import { bytesOf, writeOfflineManifest } from './lib/offline-manifest.ts';

exitCleanlyOnError();
const dist = join(ROOT, 'dist');
const manifest = writeOfflineManifest(dist);
const mb = (files: Record<string, string>) => (bytesOf(dist, files) / 1e6).toFixed(1);
console.log(
  `Offline copy, version ${manifest.version}: a shell of ${Object.keys(manifest.shell).length} files (${mb(manifest.shell)} MB) kept after the first visit, ` +
    `and ${Object.keys(manifest.data).length} weights and data files (${mb(manifest.data)} MB) kept as they are fetched.`,
);
