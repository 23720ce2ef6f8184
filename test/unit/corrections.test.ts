/**
 * The corrections page's helpers (src/site/corrections.ts, src/site/tex.ts), on fixture data:
 * newest first, dates spelled out and checked, inline TeX rendered by KaTeX and everything else
 * escaped, a bad entry refused with its date and chapter. The real list must render too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import katex from 'katex';
import { SITE } from '../../site.config.mjs';
import { CORRECTIONS, correctionViews, formatDate, issuesUrl, type Correction } from '../../src/site/corrections.ts';
import { renderInlineTex, splitInlineTex } from '../../src/site/tex.ts';

const tex = (t: string) => katex.renderToString(t, { throwOnError: true });

const FIXTURE: Correction[] = [
  { date: '2026-03-02', chapter: 'The ELBO', was: 'the gap is $\\mathrm{KL}(p \\,\\|\\, q)$', now: 'the gap is $\\mathrm{KL}(q \\,\\|\\, p)$', why: 'The divergence runs from q to p.' },
  { date: '2027-01-15', chapter: 'Autoencoders', section: 'The loss', was: '2 < 3 & so on', now: 'costs \\$5 and $x_i$', why: 'A <b>typo</b>.' },
  { date: '2026-03-02', chapter: 'The latent plane', was: 'a', now: 'b', why: 'Same day, listed second.' },
];

test('splitInlineTex separates text and formulas, keeps escaped dollars, and refuses an unclosed one', () => {
  assert.deepEqual(splitInlineTex('was $a + b$, now $c$.'), [
    { kind: 'text', value: 'was ' },
    { kind: 'math', value: 'a + b' },
    { kind: 'text', value: ', now ' },
    { kind: 'math', value: 'c' },
    { kind: 'text', value: '.' },
  ]);
  assert.deepEqual(splitInlineTex('\\$5 and $x$'), [
    { kind: 'text', value: '$5 and ' },
    { kind: 'math', value: 'x' },
  ]);
  assert.deepEqual(splitInlineTex(''), []);
  assert.throws(() => splitInlineTex('was $x'), /Unclosed/);
  assert.throws(() => splitInlineTex('was $ $ here'), /Empty/);
});

test('renderInlineTex is KaTeX for the formulas and escaped text for the rest', () => {
  assert.equal(renderInlineTex('a <b> & $x^2$ "c"'), `a &#60;b&#62; &#38; ${tex('x^2')} &#34;c&#34;`);
  assert.throws(() => renderInlineTex('$\\frac{1}{$'));
});

test('formatDate spells a real day out and refuses anything else', () => {
  assert.equal(formatDate('2026-12-04'), '4 December 2026');
  assert.equal(formatDate('2028-02-29'), '29 February 2028');
  for (const bad of ['2026-02-30', '2026-13-01', '2026-1-5', '4 December 2026', '']) assert.throws(() => formatDate(bad), /YYYY-MM-DD/, bad);
});

test('correctionViews lists newest first, keeps one day’s order, and renders each field', () => {
  const views = correctionViews(FIXTURE);
  assert.deepEqual(
    views.map((v) => [v.datetime, v.where]),
    [
      ['2027-01-15', 'Autoencoders · The loss'],
      ['2026-03-02', 'The ELBO'],
      ['2026-03-02', 'The latent plane'],
    ],
  );
  const [first, second] = views;
  assert.equal(first?.dateText, '15 January 2027');
  assert.equal(first?.wasHtml, '2 &#60; 3 &#38; so on');
  assert.equal(first?.nowHtml, `costs $5 and ${tex('x_i')}`);
  assert.equal(first?.whyHtml, 'A &#60;b&#62;typo&#60;/b&#62;.');
  assert.equal(second?.nowHtml, `the gap is ${tex('\\mathrm{KL}(q \\,\\|\\, p)')}`);
  assert.match(second?.nowHtml ?? '', /class="katex"/);
  assert.deepEqual(correctionViews([]), []);
});

test('a bad correction fails with its date and chapter named', () => {
  const base = FIXTURE[0]!;
  assert.throws(() => correctionViews([{ ...base, date: '2026-3-2' }]), /2026-3-2.*The ELBO.*YYYY-MM-DD/);
  assert.throws(() => correctionViews([{ ...base, now: 'now $x' }]), /The ELBO.*Unclosed/);
  assert.throws(() => correctionViews([{ ...base, why: '  ' }]), /"why" is empty/);
});

test('the published list renders', () => {
  assert.doesNotThrow(() => correctionViews(CORRECTIONS));
});

test('mistakes are reported to the issue tracker: the configured one, else the repository’s', () => {
  assert.equal(issuesUrl({ repository: 'https://github.com/a/b' }), 'https://github.com/a/b/issues');
  assert.equal(issuesUrl({ repository: 'https://github.com/a/b/' }), 'https://github.com/a/b/issues');
  assert.equal(issuesUrl({ repository: 'https://github.com/a/b', issues: 'https://example.org/report' }), 'https://example.org/report');
  const configured = (SITE as { issues?: string }).issues;
  assert.equal(issuesUrl(SITE), configured ?? `${SITE.repository}/issues`);
});
