/**
 * npm run claims [-- --group NAME]
 *
 * Recomputes every claim group (or one) with its module in scripts/lib/claims/ and rewrites the
 * `value`s of src/claims/<group>.json, keeping each entry's digits, format and what. Prints
 * "old → new" for every claim whose displayed text changed: those are the numbers the prose now
 * prints differently, so read the sentences around them. Fails (exit code 1) when a group's
 * module and file disagree on which ids exist; the values it could compute are still written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayClaim } from '../src/claims/format.ts';
import { cliArgs, exitCleanlyOnError } from './lib/args.ts';
import { CLAIMS_DIR, computeGroup, groupNames, idMismatch, readGroup } from './lib/claim-groups.ts';

exitCleanlyOnError();
const args = cliArgs({ group: { type: 'string' } });
const all = groupNames();
if (args.group !== undefined && !all.includes(args.group)) throw new Error(`No claim group "${args.group}"; the groups are ${all.join(', ')}`);
const groups = args.group === undefined ? all : [args.group];

let failed = false;
for (const group of groups) {
  const started = performance.now();
  const stored = readGroup(group);
  const computed = await computeGroup(group);
  const { notComputed, notStored } = idMismatch(stored, computed);
  const changed: string[] = [];
  for (const [id, claim] of Object.entries(stored)) {
    const value = computed[id];
    if (value === undefined) continue;
    const before = displayClaim(claim).text;
    const after = displayClaim({ ...claim, value }).text;
    if (before !== after) changed.push(`  ${id}: ${before} → ${after}`);
    stored[id] = { ...claim, value };
  }
  writeFileSync(join(CLAIMS_DIR, `${group}.json`), `${JSON.stringify(stored, null, 2)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${group}: ${Object.keys(stored).length - notComputed.length} values recomputed in ${seconds} s, ${changed.length} displayed differently${changed.length ? ':' : '.'}`);
  for (const line of changed) console.log(line);
  if (notComputed.length > 0) {
    failed = true;
    console.error(`  in src/claims/${group}.json but not computed by scripts/lib/claims/${group}.ts: ${notComputed.join(', ')}`);
  }
  if (notStored.length > 0) {
    failed = true;
    console.error(`  computed but not in src/claims/${group}.json (add each with "digits" and "what"): ${notStored.join(', ')}`);
  }
}
if (failed) process.exit(1);
