/**
 * The Node version the project needs is stated once in scripts/check-node.mjs and agrees with
 * package.json's engines, .nvmrc and .ci/run; the check refuses the versions without type stripping.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { NEEDED, tooOld } from '../../scripts/check-node.mjs';

test('22.12 and 20 are too old, 22.18 and 24 are not', () => {
  for (const v of ['20.20.2', '22.12.0', '22.17.1']) assert.equal(tooOld(v), true, v);
  for (const v of ['22.18.0', '23.0.0', '24.21.0']) assert.equal(tooOld(v), false, v);
  assert.equal(tooOld(process.versions.node), false, 'the Node running the tests');
});

test('package.json, .nvmrc, .ci/run and the README agree on the version', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
  assert.equal(pkg.engines.node, `>=${NEEDED}.0`);
  assert.match(pkg.scripts['preinstall'] ?? '', /check-node\.mjs/);
  assert.match(pkg.scripts['predata'] ?? '', /check-node\.mjs/);
  assert.equal(tooOld(`${readFileSync('.nvmrc', 'utf8').trim()}.0.0`), false, '.nvmrc');
  const [major, minor] = (NEEDED as string).split('.');
  assert.match(readFileSync('.ci/run', 'utf8'), new RegExp(`a === ${major} && b >= ${minor}`));
  assert.match(readFileSync('README.md', 'utf8'), new RegExp(`Node\\.js ≥ ${major}\\.${minor}`));
});
