/**
 * The site search's pure parts: which pages are indexed, where Pagefind's module lies under the
 * base path, and how a result becomes the text, marks and section links the search box shows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answersQuery, bundleUrl, excerptParts, resultSummary, sectionsOf, unescapeHtml, type PagefindPage, type PagefindSection } from '../../src/components/lib/page/search-results.ts';
import { isSearchedPage } from '../../src/site/search.ts';

test('the chapters, the guide, the notation, your own data and each model card are searched', () => {
  for (const path of ['/chapters/some-chapter/', '/guide/', '/notation/', '/your-data/', '/models/mnist-conv-z2/']) {
    assert.equal(isSearchedPage(path, '/'), true, path);
    assert.equal(isSearchedPage(`/latent-lab${path}`, '/latent-lab/'), true, `under /latent-lab/: ${path}`);
  }
  // Without the trailing slash, or as the built file, the same pages.
  assert.equal(isSearchedPage('/chapters/some-chapter', '/'), true);
  assert.equal(isSearchedPage('/latent-lab/guide/index.html', '/latent-lab'), true);
});

test('the figure catalogue, the benchmark, the home page, the models table and the changes are not', () => {
  for (const path of ['/', '/figures/', '/figures/beta-sweep/', '/bench/', '/models/', '/changes/', '/chapters/']) {
    assert.equal(isSearchedPage(path, '/'), false, path);
    assert.equal(isSearchedPage(`/latent-lab${path}`, '/latent-lab/'), false, `under /latent-lab/: ${path}`);
  }
  // A page outside the base path is none of the site's.
  assert.equal(isSearchedPage('/guide/', '/latent-lab/'), false);
});

test("Pagefind's module is found under the base path, with or without its trailing slash", () => {
  assert.equal(bundleUrl('/'), '/pagefind/pagefind.js');
  assert.equal(bundleUrl('/latent-lab/'), '/latent-lab/pagefind/pagefind.js');
  assert.equal(bundleUrl('/latent-lab'), '/latent-lab/pagefind/pagefind.js');
});

test('an excerpt becomes runs of plain text and hits, its entities decoded, no other markup kept', () => {
  assert.deepEqual(excerptParts('the <mark>Gumbel</mark>-max trick draws &lt;it&gt; &amp; more'), [
    { text: 'the ', hit: false },
    { text: 'Gumbel', hit: true },
    { text: '-max trick draws <it> & more', hit: false },
  ]);
  assert.deepEqual(excerptParts('<mark>a</mark><mark>b</mark> c'), [
    { text: 'ab', hit: true },
    { text: ' c', hit: false },
  ]);
  assert.deepEqual(excerptParts('<img src=x onerror=alert(1)>x'), [{ text: 'x', hit: false }]);
  assert.deepEqual(excerptParts(''), []);
});

test('the stops and quotes Pagefind marks with a word go back to the text around it', () => {
  assert.deepEqual(excerptParts('is the <mark>posterior.</mark> So'), [
    { text: 'is the ', hit: false },
    { text: 'posterior', hit: true },
    { text: '. So', hit: false },
  ]);
  assert.deepEqual(excerptParts('-- <mark>&quot;Posterior</mark> <mark>collapse&quot;</mark> writes'), [
    { text: '-- "', hit: false },
    { text: 'Posterior', hit: true },
    { text: ' ', hit: false },
    { text: 'collapse', hit: true },
    { text: '" writes', hit: false },
  ]);
  // Brackets stay: they are part of what was found; a hit of punctuation alone stays marked.
  assert.deepEqual(excerptParts('<mark>q(z|x)</mark> <mark>…</mark>'), [
    { text: 'q(z|x)', hit: true },
    { text: ' ', hit: false },
    { text: '…', hit: true },
  ]);
});

test('numeric entities decode; unknown or out-of-range ones stay as written', () => {
  assert.equal(unescapeHtml('&#946; &#x3B2; &quot;q&quot; &#39;'), 'β β "q" \'');
  assert.equal(unescapeHtml('&unknown; &#x110000;'), '&unknown; &#x110000;');
});

const section = (id: string, hits: number, at: number): PagefindSection => ({
  title: id,
  url: `/chapters/another-chapter/#${id}`,
  excerpt: '',
  locations: Array.from({ length: hits }, (_, i) => at + i),
  anchor: { element: 'h3', id, location: at },
});

test('the sections linked are those with a heading, the most hits first, shown in page order', () => {
  const page: PagefindPage = {
    url: '/chapters/another-chapter/',
    excerpt: '',
    meta: { title: 'Beyond' },
    sub_results: [
      { title: 'Beyond', url: '/chapters/another-chapter/', excerpt: '', locations: [1, 2, 3, 4, 5] },
      section('a', 1, 10),
      section('b', 4, 20),
      section('c', 2, 30),
      section('d', 3, 40),
    ],
  };
  assert.deepEqual(
    sectionsOf(page).map((s) => s.anchor?.id),
    ['b', 'c', 'd'],
  );
  assert.deepEqual(
    sectionsOf(page, 1).map((s) => s.anchor?.id),
    ['b'],
  );
  assert.deepEqual(sectionsOf({ url: page.url, excerpt: '', meta: {} }), []);
});

test('the summary counts pages, says when only the best are shown, and says when none match', () => {
  assert.equal(resultSummary('Gumbel', 1, 1), '1 page found for “Gumbel”.');
  assert.equal(resultSummary('the', 20, 8), '20 pages found for “the”; the 8 best shown.');
  assert.equal(resultSummary('zzz', 0, 0), 'No pages found for “zzz”.');
});

test('hits on a stump of the query are no answer; a word typed in part or in another form is', () => {
  // Pagefind's answer to "xylophone" in a guide full of maths: every "x".
  assert.equal(answersQuery('xylophone', ['given <mark>x,</mark> then', 'of <mark>x</mark>']), false);
  assert.equal(answersQuery('qzxjvwq', ['gap <mark>(q(z|x)</mark> against']), false);
  assert.equal(answersQuery('zzzzzz', ['<mark>z</mark> and <mark>z</mark>']), false);
  assert.equal(answersQuery('anything', []), false);
  assert.equal(answersQuery('Jacobian', ['its <mark>Jacobian</mark> determinant']), true);
  assert.equal(answersQuery('reparam', ['the <mark>reparameterization</mark> trick']), true);
  assert.equal(answersQuery('models', ['one <mark>model</mark> each']), true);
  assert.equal(answersQuery('gumbel', ['the <mark>Gumbel-max</mark> trick']), true);
  assert.equal(answersQuery('z', ['<mark>z</mark> is drawn']), true);
  assert.equal(answersQuery('Léon', ['<mark>Leon</mark> Bottou']), true);
  // Several words: one found is enough.
  assert.equal(answersQuery('normalizing xylophone', ['<mark>normalizing</mark> flows, <mark>x</mark>']), true);
});
