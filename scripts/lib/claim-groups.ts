/**
 * The claim groups and their compute modules, for `npm run claims` (scripts/claims.ts) and
 * test/unit/claims.test.ts.
 *
 * A group <g> is src/claims/<g>.json (ids, stored values, digits, format, what) and
 * scripts/lib/claims/<g>.ts, which exports `compute(): Promise<Record<string, number>>` returning
 * every id's value at full precision. A group whose compute is slow (it trains a model, or
 * encodes many images) has a marker file scripts/lib/claims/<g>.slow beside its module, whose
 * text says why: `npm test` still runs it, but CLAIMS=fast skips it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { claimGroupNames, claimsDir, readClaimGroup, type ClaimGroup } from '../../src/claims/read.ts';
import { ROOT } from './files.ts';

export const CLAIMS_DIR = claimsDir(ROOT);
export const COMPUTE_DIR = join(ROOT, 'scripts', 'lib', 'claims');

export function groupNames(): string[] {
  return claimGroupNames(CLAIMS_DIR);
}

export function readGroup(group: string): ClaimGroup {
  return readClaimGroup(group, CLAIMS_DIR);
}

/** Why the group is slow (the text of its .slow marker), or undefined for a fast group. */
export function slowReason(group: string): string | undefined {
  const marker = join(COMPUTE_DIR, `${group}.slow`);
  return existsSync(marker) ? readFileSync(marker, 'utf8').trim() || 'marked slow' : undefined;
}

/** Whether CLAIMS=fast asks to skip the slow groups. */
export function skipSlow(): boolean {
  return process.env['CLAIMS'] === 'fast';
}

/** Runs the group's compute module and checks that it returns a finite number for every id it names. */
export async function computeGroup(group: string): Promise<Record<string, number>> {
  const file = join(COMPUTE_DIR, `${group}.ts`);
  if (!existsSync(file)) throw new Error(`src/claims/${group}.json has no compute module: add ${file} exporting compute()`);
  const module = (await import(pathToFileURL(file).href)) as { compute?: unknown };
  if (typeof module.compute !== 'function') throw new Error(`${file} must export async function compute(): Promise<Record<string, number>>`);
  const values = (await (module.compute as () => Promise<unknown>)()) as Record<string, unknown>;
  for (const [id, value] of Object.entries(values)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${file}: compute() gave "${id}" the value ${String(value)}, not a finite number`);
  }
  return values as Record<string, number>;
}

/** The ids one side has and the other lacks. */
export function idMismatch(stored: ClaimGroup, computed: Record<string, number>): { notComputed: string[]; notStored: string[] } {
  return {
    notComputed: Object.keys(stored).filter((id) => !Object.hasOwn(computed, id)),
    notStored: Object.keys(computed).filter((id) => !Object.hasOwn(stored, id)),
  };
}
