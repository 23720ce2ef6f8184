/**
 * Every `npm run` command that the README, the pages of docs/ and the authoring guide tell a
 * reader to type names a script of package.json, and each script is run somewhere: by a test here or by CI. A command
 * added to the guide without either fails this test.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Where each script the guides name is run. `npm test` (CI) runs data, lint, test:unit, build, test:e2e and test:browsers. */
const RUN_BY: Record<string, string> = {
  data: 'CI: pretest',
  build: 'CI: test:e2e',
  test: 'CI: .ci/run',
  'test:unit': 'CI: npm test',
  lint: 'CI: npm test',
  knip: 'CI: npm test, through lint',
  'test:e2e': 'CI: npm test',
  'test:e2e:fast': 'CI runs the same tests and the long tier through test:e2e',
  'test:browsers': 'CI: npm test',
  preview: 'CI: playwright.config.ts serves dist/ with astro preview',
  dev: 'not run by a test: it serves the same pages that the browser tests check after a build',
  train: 'test/unit/train-cli.test.ts',
  'train:classifier': 'test/unit/cli-smoke.test.ts (the CLI) and test/unit/classifier.test.ts (the committed classifier and training)',
  evaluate: 'test/unit/cli-smoke.test.ts (the CLI) and test/unit/evaluate.test.ts (what it measures)',
  'new:chapter': 'test/unit/new-chapter.test.ts and test/e2e/fork.spec.ts',
  'render:preview': 'test/unit/cli-smoke.test.ts',
  'render:icons': 'test/unit/cli-smoke.test.ts (the icons it draws equal the committed ones)',
  'build:wasm': 'test/unit/wasm-helpers.test.ts assembles helpers.wat as the script does and compares the result with the committed file',
  compact: 'npm run train compacts every model it writes (test/unit/train-cli.test.ts)',
  soak: 'the same spec, small, in CI: test/e2e/soak.spec.ts',
  bench: 'not a test: a benchmark whose numbers are reported, never asserted',
  screenshots: 'not a test: pictures for a person to look at',
  claims: 'test/unit/claims.test.ts recomputes every claim group with the same modules and fails where the script would change a printed number',
};

/** The guides: the README, every page of docs/ and the authoring guide. */
const GUIDES = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`), 'CONTRIBUTING.md'];

function commands(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/npm run ([a-z][a-z0-9:-]*)/g)].map((m) => m[1]!);
}

test('every page of docs/ that the README links to exists, so its commands are checked too', () => {
  const readme = readFileSync('README.md', 'utf8');
  const linked = [...readme.matchAll(/\]\((docs\/[A-Za-z0-9_-]+\.md)[)#]/g)].map((m) => m[1]!);
  assert.ok(linked.length > 0, 'README.md links to no page of docs/');
  for (const page of linked) assert.ok(GUIDES.includes(page), `README.md links to ${page}, which is not a page of docs/`);
});

test('every npm run command in README.md, docs/ and CONTRIBUTING.md is a script of package.json', () => {
  for (const file of GUIDES) {
    for (const name of commands(file)) assert.ok(scripts[name], `${file} tells the reader to run "npm run ${name}", which package.json does not define`);
  }
});

test('every script the guides name is run by a test or by CI, or says why not', () => {
  const named = new Set(GUIDES.flatMap(commands));
  for (const name of named) assert.ok(RUN_BY[name], `"npm run ${name}" is in the guides, but nothing says which test or CI step runs it`);
});
