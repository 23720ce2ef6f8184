/** Node-side file helpers shared by the CLIs and the tests. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadBytes } from '../../src/vae/data.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PUBLIC = join(ROOT, 'public');

/** Reads paths relative to public/, the way the page fetches them relative to the site root. */
export const readPublic: ReadBytes = async (path) => new Uint8Array(await readFile(join(PUBLIC, path)));

export async function writeFiles(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  for (const [name, contents] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, contents);
  }
}
