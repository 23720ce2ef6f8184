/**
 * The check of one claims group: its module (scripts/lib/claims/<group>.ts) computes exactly the
 * ids src/claims/<group>.json stores, and each computed value displays as the stored one does.
 * claims.test.ts runs it for the fast groups; each slow group has a file of its own in
 * claims-slow/, so that the slow groups train their models in parallel with the other files.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayClaim } from '../../src/claims/format.ts';
import { computeGroup, idMismatch, readGroup, skipSlow, slowReason } from '../../scripts/lib/claim-groups.ts';

export function checkGroup(group: string): void {
  const slow = slowReason(group);
  const skip = slow !== undefined && skipSlow() ? `CLAIMS=fast skips slow groups (${slow})` : false;
  test(`${group}: the module computes exactly the stored ids, and each displays as stored`, { skip }, async () => {
    const stored = readGroup(group);
    const computed = await computeGroup(group);
    const { notComputed, notStored } = idMismatch(stored, computed);
    assert.deepEqual(notComputed, [], `in src/claims/${group}.json but not computed`);
    assert.deepEqual(notStored, [], `computed but not in src/claims/${group}.json`);
    const moved = Object.entries(stored)
      .map(([id, claim]) => ({ id, stored: displayClaim(claim).text, computed: displayClaim({ ...claim, value: computed[id]! }).text }))
      .filter((c) => c.stored !== c.computed);
    assert.deepEqual(moved, [], `printed numbers that moved; check the prose around them, then run \`npm run claims -- --group ${group}\``);
  });
}
