/**
 * Privacy and security: every page ships a strict Content-Security-Policy that the browser
 * enforces (no eval, no inline script but the hashed theme script, nothing from other origins),
 * and no page sets a cookie. Every other test also fails on a CSP violation (see fixtures.ts),
 * so the whole site is exercised under this policy.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { figurePage } from '../lib/figures.ts';
import { sitePages } from '../lib/site.ts';
import { expect, expectClean, test } from './fixtures.ts';

/** The page's policy from its <meta> tag, as directive → sources. */
async function policy(page: Page): Promise<Map<string, string[]>> {
  const metas = await page.locator('meta[http-equiv="content-security-policy" i]').evaluateAll((ms) => ms.map((m) => m.getAttribute('content') ?? ''));
  expect(metas, 'one Content-Security-Policy <meta> tag').toHaveLength(1);
  const directives = new Map<string, string[]>();
  for (const part of metas[0]!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name, sources);
  }
  return directives;
}

test('every page carries a strict policy, and every inline script on it is allowed by its hash', async ({ page, problems }) => {
  const pages = await sitePages(page);
  expect(pages.length).toBeGreaterThan(5);
  for (const path of pages) {
    await page.goto(path);
    const p = await policy(page);
    const scripts = p.get('script-src') ?? [];
    expect(scripts, `${path}: script-src`).toContain("'self'");
    expect(scripts, `${path}: WebAssembly may compile`).toContain("'wasm-unsafe-eval'");
    expect(scripts, `${path}: no eval`).not.toContain("'unsafe-eval'");
    expect(scripts, `${path}: no inline script without a hash`).not.toContain("'unsafe-inline'");
    expect(scripts.filter((s) => s.startsWith('http') || s === '*' || s === 'data:'), `${path}: no script from elsewhere`).toEqual([]);
    expect(p.get('default-src'), `${path}: default-src`).toEqual(["'self'"]);
    expect(p.get('connect-src'), `${path}: fetches stay on the site`).toEqual(["'self'"]);
    expect(p.get('object-src'), `${path}: object-src`).toEqual(["'none'"]);
    const inline = await page.locator('script:not([src])').evaluateAll((ss) => ss.map((s) => s.textContent ?? ''));
    for (const body of inline) {
      const hash = `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
      expect(scripts, `${path}: the inline script «${body.slice(0, 50)}…» is allowed by its hash`).toContain(hash);
    }
  }
  expect(await page.context().cookies(), 'no page sets a cookie').toEqual([]);
  expectClean(problems);
});

test('the browser enforces the policy: an injected inline script and eval are refused, the page keeps working', async ({ page, problems }) => {
  // A script file of the site's own origin that tries eval: allowed to load, refused to eval.
  await page.route('**/csp-probe.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: "try { new Function('return 1')(); window.evalResult = 'ran'; } catch (err) { window.evalResult = err instanceof EvalError ? 'refused' : String(err); }",
    }),
  );
  await page.goto(figurePage('latent-manifold'));
  await page.evaluate(async () => {
    const w = window as unknown as { seen: string[] };
    w.seen = [];
    document.addEventListener('securitypolicyviolation', (e) => w.seen.push(e.effectiveDirective));
    const inline = document.createElement('script');
    inline.textContent = 'window.injected = true;';
    document.head.append(inline);
    const file = document.createElement('script');
    file.src = '/csp-probe.js';
    await new Promise((resolve) => {
      file.onload = resolve;
      file.onerror = resolve;
      document.head.append(file);
    });
  });
  // The browser reports each refusal as an event of its own: wait until both have arrived.
  const seen = () => page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  await expect.poll(seen).toEqual(expect.arrayContaining(['script-src-elem', 'script-src']));
  const outcome = await page.evaluate(() => {
    const w = window as unknown as { injected?: boolean; evalResult?: string };
    return { injected: w.injected ?? false, evaluated: w.evalResult ?? 'the probe did not run' };
  });
  expect(outcome.injected, 'the injected inline script did not run').toBe(false);
  expect(outcome.evaluated, 'eval (new Function) in a script of the site was refused').toBe('refused');
  // The refusals were ours to provoke; the browser logged them, and nothing else went wrong.
  problems.consoleErrors = problems.consoleErrors.filter((e) => !/Content Security Policy|CSP violation/i.test(e));
  // The page still works: the theme toggle (its script is a bundled file) responds.
  const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.getByRole('button', { name: /light and dark/ }).click();
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(before);
  expectClean(problems);
});
