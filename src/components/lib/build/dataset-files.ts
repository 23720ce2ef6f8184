/**
 * Build-time reading of a dataset's own files (public/data/<dataset>/, written by `npm run
 * data`), for the figures that name classes or images. Server side only (node:fs). Before the
 * data are built, each read gives what a page can do without: the digits' names, or no names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readJson<T>(dataset: string, file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(process.cwd(), 'public', 'data', dataset, file), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The dataset's manifest.json, or undefined before `npm run data`. */
export function datasetManifest<T extends object>(dataset: string): T | undefined {
  return readJson<T>(dataset, 'manifest.json');
}

/** The names of the dataset's classes, from its manifest; the digits 0 to 9 before `npm run data`. */
export function datasetClasses(dataset: string): string[] {
  return datasetManifest<{ classes: string[] }>(dataset)?.classes ?? Array.from({ length: 10 }, (_, i) => String(i));
}

/** The name of each test image, for a dataset that names its images (the emoji's names.json); else undefined. */
export function testImageNames(dataset: string): string[] | undefined {
  return readJson<{ test: string[] }>(dataset, 'names.json')?.test;
}
