/**
 * The import rules of docs/ARCHITECTURE.md ("What may import what"), checked over every source
 * file: each rule names the files it covers and the imports they must not make, and the test
 * lists every import that breaks one, with its file and line. The scanner reads static imports,
 * re-exports, dynamic `import()` and `new URL(…, import.meta.url)` (how workers are loaded).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', 'dist', '.git', 'public', '.astro', 'test-results']);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|mjs|astro|mdx)$/.test(name)) out.push(relative(ROOT, path));
  }
  return out;
}

interface Import {
  file: string;
  line: number;
  spec: string;
  /** The imported file relative to the root, for a relative import; the bare specifier otherwise. */
  target: string;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)(['"])([^'"\n]+)\1/g;

/** Every import of a file. Comment lines are skipped, so prose that names a path is not an import. */
export function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  text.split('\n').forEach((source, i) => {
    const trimmed = source.trim();
    if (trimmed.startsWith('*') || trimmed.startsWith('//') || trimmed.startsWith('/*')) return;
    for (const m of source.matchAll(IMPORT)) {
      const spec = m[2]!;
      const target = spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)) : spec;
      // A relative path that leads to no file is text that looks like an import (an MDX sample in a test), not one.
      if (spec.startsWith('.') && !exists(target)) continue;
      found.push({ file, line: i + 1, spec, target });
    }
  });
  return found;
}

function exists(target: string): boolean {
  return ['', '.ts', '.mjs', '.astro'].some((ext) => existsSync(resolve(ROOT, target + ext)));
}

interface Rule {
  /** What the rule says, as docs/ARCHITECTURE.md says it. */
  says: string;
  covers: (file: string) => boolean;
  forbids: (imp: Import) => boolean;
}

const under = (...dirs: string[]) => (path: string) => dirs.some((d) => path === d || path.startsWith(`${d}/`));
const isNode = (imp: Import) => imp.target.startsWith('node:');
const isTf = (imp: Import) => imp.target.startsWith('@tensorflow/');

const RULES: Rule[] = [
  {
    says: 'src/vae/ (the engine) imports no components, scripts, pages, layouts or content',
    covers: under('src/vae'),
    forbids: (imp) => under('src/components', 'scripts', 'src/pages', 'src/layouts', 'src/content')(imp.target),
  },
  {
    says: 'src/components/lib/ imports no .astro file and nothing from scripts/',
    covers: under('src/components/lib'),
    forbids: (imp) => imp.target.endsWith('.astro') || under('scripts')(imp.target),
  },
  {
    says: 'only build-time code (src/components/lib/build/, frontmatter) imports Node built-ins; page, worker and figure modules do not',
    covers: (f) => f.endsWith('.ts') && under('src/components')(f) && !under('src/components/lib/build')(f),
    forbids: isNode,
  },
  {
    says: 'worker code (src/components/lib/worker/) imports nothing that needs the DOM: no draw/, page/, panel/ or figure modules',
    covers: under('src/components/lib/worker'),
    forbids: (imp) => under('src/components/lib/draw', 'src/components/lib/page', 'src/components/lib/panel', 'src/components/figures')(imp.target) || imp.target.endsWith('.astro'),
  },
  {
    says: 'page code never imports build-time code (src/components/lib/build/ reads files with node:fs)',
    covers: (f) => f.endsWith('.ts') && under('src/components')(f) && !under('src/components/lib/build')(f),
    forbids: (imp) => under('src/components/lib/build')(imp.target),
  },
  {
    says: 'figure modules load TF.js only through the engine’s dynamic import (FigureElement.engine())',
    covers: under('src/components/figures'),
    forbids: (imp) => isTf(imp) || imp.target === 'src/vae/backend.ts',
  },
  {
    says: 'components, layouts and pages import nothing from scripts/',
    covers: under('src/components', 'src/layouts', 'src/pages'),
    forbids: (imp) => under('scripts')(imp.target),
  },
  {
    says: 'chapters (.mdx) import only components',
    covers: (f) => f.endsWith('.mdx'),
    forbids: (imp) => !under('src/components')(imp.target),
  },
  {
    says: 'scripts/ imports nothing from src/components/',
    covers: under('scripts'),
    forbids: (imp) => under('src/components')(imp.target),
  },
  {
    says: 'unit tests import no component, page or custom-element module (those run only in a browser)',
    covers: under('test/unit'),
    forbids: (imp) => imp.target.endsWith('.astro') || under('src/pages', 'src/layouts', 'src/components/lib/worker', 'src/components/lib/panel/train-panel.ts')(imp.target) || defines(imp.target),
  },
  {
    says: 'browser tests import the engine, the site’s data (src/site/, src/claims/, site.config.mjs), scripts/lib/files.ts, the offline file list, the catalogue’s props reader, their fixtures and test/lib/ only',
    covers: under('test/e2e'),
    forbids: (imp) =>
      imp.spec.startsWith('.') &&
      !(under('src/vae', 'src/site', 'src/claims', 'test/e2e', 'test/lib')(imp.target) || ['scripts/lib/files.ts', 'scripts/lib/offline-manifest.ts', 'site.config.mjs', 'src/components/lib/build/figure-props.ts'].includes(imp.target)),
  },
];

/** Whether a source file defines a custom element (it cannot load in Node). */
function defines(target: string): boolean {
  const path = resolve(ROOT, target.endsWith('.ts') ? target : `${target}.ts`);
  try {
    return readFileSync(path, 'utf8').includes('customElements.define(');
  } catch {
    return false;
  }
}

const ALL = walk(join(ROOT, 'src'))
  .concat(walk(join(ROOT, 'scripts')), walk(join(ROOT, 'test')))
  .flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')));

for (const rule of RULES) {
  test(`import rule: ${rule.says}`, () => {
    const covered = ALL.filter((imp) => rule.covers(imp.file));
    assert.ok(covered.length > 0, 'the rule covers no import: its folder has moved, and the rule with it must');
    const broken = covered.filter(rule.forbids).map((imp) => `${imp.file}:${imp.line} imports ${imp.spec}`);
    assert.deepEqual(broken, []);
  });
}

test('the scanner finds static, dynamic and worker imports, and skips comments', () => {
  const file = 'src/components/lib/page/y.ts';
  const found = importsOf(
    file,
    [
      "import { a } from '../../../vae/spec.ts';",
      "export { b } from './lazy.ts';",
      "import { c } from './no-such-file.ts';",
      " * see import('../not-an-import')",
      "const e = await import('../engine/engine.ts');",
      "new Worker(new URL('../worker/train.worker.ts', import.meta.url));",
      "import 'd3-selection';",
    ].join('\n'),
  );
  assert.deepEqual(
    found.map((imp) => imp.target),
    ['src/vae/spec.ts', 'src/components/lib/page/lazy.ts', 'src/components/lib/engine/engine.ts', 'src/components/lib/worker/train.worker.ts', 'd3-selection'],
  );
});

test('the engine uses no DOM global', () => {
  const GLOBALS = /\b(document|window|localStorage|indexedDB|location|HTMLElement|customElements)\b[.(]/;
  const broken: string[] = [];
  for (const file of walk(join(ROOT, 'src/vae'))) {
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const t = line.trim();
        if (!t.startsWith('*') && !t.startsWith('//') && GLOBALS.test(line)) broken.push(`${file}:${i + 1}: ${t}`);
      });
  }
  assert.deepEqual(broken, []);
});
