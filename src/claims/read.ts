/**
 * The claim files, src/claims/<group>.json: { "<group>.<name>": { value, digits, format?, what } }.
 * Read with node:fs (at build time by <Claim>, and by the tests and `npm run claims`), checked
 * as they are read, so a malformed entry fails with its file and id.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAIM_FORMATS, type Claim } from './format.ts';

export type ClaimGroup = Record<string, Claim>;

/** Where the group files are: src/claims/ under the project root (the build's and tests' working directory). */
export function claimsDir(root = process.cwd()): string {
  return join(root, 'src', 'claims');
}

/** The groups that have a file, sorted: "formulas" for src/claims/formulas.json. */
export function claimGroupNames(dir = claimsDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** One group's claims, checked: every id starts with "<group>.", and every entry has the fields of a Claim. */
export function readClaimGroup(group: string, dir = claimsDir()): ClaimGroup {
  const file = join(dir, `${group}.json`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file}: expected an object of claims`);
  for (const [id, entry] of Object.entries(data as Record<string, unknown>)) {
    const problem = claimProblem(group, id, entry);
    if (problem) throw new Error(`${file}: claim "${id}" ${problem}`);
  }
  return data as ClaimGroup;
}

function claimProblem(group: string, id: string, entry: unknown): string | undefined {
  if (!id.startsWith(`${group}.`) || id.length === group.length + 1) return `must be named "${group}.<name>"`;
  if (!entry || typeof entry !== 'object') return 'is not an object';
  const { value, digits, format, what, ...rest } = entry as Record<string, unknown>;
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'needs a finite number "value"';
  if (typeof digits !== 'number' || !Number.isInteger(digits)) return 'needs a whole number "digits"';
  if (format !== undefined && !(CLAIM_FORMATS as readonly unknown[]).includes(format)) return `has format "${String(format)}"; use one of ${CLAIM_FORMATS.join(', ')}`;
  if (typeof what !== 'string' || what.trim() === '') return 'needs a "what": one line saying what is computed';
  const extra = Object.keys(rest);
  if (extra.length > 0) return `has unknown field(s) ${extra.join(', ')}`;
  return undefined;
}

/** The claim with this id, from the group its prefix names. Throws, naming the id, when there is none. */
export function findClaim(id: string, dir = claimsDir()): Claim {
  const group = id.includes('.') ? id.slice(0, id.indexOf('.')) : '';
  const groups = claimGroupNames(dir);
  if (!groups.includes(group)) {
    throw new Error(`Unknown claim "${id}": there is no group "${group}" (src/claims/${group || '<group>'}.json). Groups: ${groups.join(', ') || 'none'}.`);
  }
  const claims = readClaimGroup(group, dir);
  const claim = Object.hasOwn(claims, id) ? claims[id] : undefined;
  if (!claim) throw new Error(`Unknown claim "${id}": src/claims/${group}.json has no such id. Add it there and to scripts/lib/claims/${group}.ts, then run \`npm run claims -- --group ${group}\`.`);
  return claim;
}
