/**
 * Where `npm run data -- --folder <path>` finds labels.csv: in the folder itself, in its one
 * sub-folder (as the page's download unpacks), or in a zip of either, unpacked into a
 * temporary folder after the engine's checks of every path and size (src/vae/dataset-zip.ts).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipChecked } from '../../../src/vae/dataset-zip.ts';
import { writeFiles } from '../files.ts';

export interface OpenedFolder {
  /** The folder that holds labels.csv. */
  dir: string;
  /** Removes what unpacking wrote; nothing for a folder. */
  close(): void;
}

function findLabels(root: string, shown: string): string {
  if (existsSync(join(root, 'labels.csv'))) return root;
  const subfolders = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== '__MACOSX');
  if (subfolders.length === 1 && existsSync(join(root, subfolders[0]!.name, 'labels.csv'))) return join(root, subfolders[0]!.name);
  throw new Error(`${shown} holds no labels.csv, neither at its top nor in a single folder inside it (the page's "your own data" download has one).`);
}

export async function openFolder(path: string): Promise<OpenedFolder> {
  if (!existsSync(path)) throw new Error(`--folder ${path}: there is no such file or folder.`);
  if (statSync(path).isDirectory()) return { dir: findLabels(path, path), close: () => {} };
  if (!/\.zip$/i.test(path)) throw new Error(`--folder ${path} is a file but not a .zip; give a folder or a zip of one.`);
  const files = unzipChecked(new Uint8Array(readFileSync(path)));
  const out = mkdtempSync(join(tmpdir(), 'latent-lab-unzip-'));
  const close = () => rmSync(out, { recursive: true, force: true });
  try {
    await writeFiles(out, Object.fromEntries(files));
    return { dir: findLabels(out, path), close };
  } catch (err) {
    close();
    throw err;
  }
}
