/**
 * The site's bibliography (src/site/references.bib, parsed by src/components/lib/build/bibliography.ts):
 * it parses; every key a chapter cites is in it; labels, citations and formatted references read as written out here by
 * hand; and the reference list of an MDX source holds exactly its cited keys, in author-year order.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/lib/files.ts';
import { BIB_FILE, bibliography, citation, citationText, citedKeys, parseBibliography, referencesOf } from '../../src/components/lib/build/bibliography.ts';
import { pageUniqueId } from '../../src/components/lib/build/page-ids.ts';

const CHAPTERS = join(ROOT, 'src', 'content', 'chapters');

/** Every chapter file (the collection's glob is **\/*.mdx), with the keys it cites. */
function chapterCitations(): { file: string; keys: string[] }[] {
  if (!existsSync(CHAPTERS)) return [];
  return (readdirSync(CHAPTERS, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => ({ file: relative(ROOT, join(CHAPTERS, f)).split(sep).join('/'), keys: citedKeys(readFileSync(join(CHAPTERS, f), 'utf8')) }));
}

/** The keys listed for the site, with one fact each that the parsed entry must carry. */
const EXPECTED: Record<string, { year: string; title: string; link: string }> = {
  kingma2014auto: { year: '2014', title: 'Auto-Encoding Variational Bayes', link: 'https://arxiv.org/abs/1312.6114' },
  rezende2014stochastic: { year: '2014', title: 'Stochastic Backpropagation and Approximate Inference in Deep Generative Models', link: 'https://arxiv.org/abs/1401.4082' },
  kingma2019introduction: { year: '2019', title: 'An Introduction to Variational Autoencoders', link: 'https://doi.org/10.1561/2200000056' },
  doersch2016tutorial: { year: '2016', title: 'Tutorial on Variational Autoencoders', link: 'https://arxiv.org/abs/1606.05908' },
  hoffman2016elbo: { year: '2016', title: 'ELBO surgery: yet another way to carve up the variational evidence lower bound', link: 'http://approximateinference.org/2016/accepted/HoffmanJohnson2016.pdf' },
  kingma2014semi: { year: '2014', title: 'Semi-Supervised Learning with Deep Generative Models', link: 'https://arxiv.org/abs/1406.5298' },
  kingma2016improved: { year: '2016', title: 'Improved Variational Inference with Inverse Autoregressive Flow', link: 'https://arxiv.org/abs/1606.04934' },
  burda2016importance: { year: '2016', title: 'Importance Weighted Autoencoders', link: 'https://arxiv.org/abs/1509.00519' },
  bowman2016generating: { year: '2016', title: 'Generating Sentences from a Continuous Space', link: 'https://arxiv.org/abs/1511.06349' },
  higgins2017beta: { year: '2017', title: 'β-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework', link: 'https://openreview.net/forum?id=Sy2fzU9gl' },
  alemi2018fixing: { year: '2018', title: 'Fixing a Broken ELBO', link: 'https://arxiv.org/abs/1711.00464' },
  cremer2018inference: { year: '2018', title: 'Inference Suboptimality in Variational Autoencoders', link: 'https://arxiv.org/abs/1801.03558' },
  blei2017variational: { year: '2017', title: 'Variational Inference: A Review for Statisticians', link: 'https://doi.org/10.1080/01621459.2017.1285773' },
  kingma2015adam: { year: '2015', title: 'Adam: A Method for Stochastic Optimization', link: 'https://arxiv.org/abs/1412.6980' },
  sohn2015learning: { year: '2015', title: 'Learning Structured Output Representation using Deep Conditional Generative Models', link: 'https://papers.nips.cc/paper/2015/hash/8d55a249e6baa5c06772297520da2051-Abstract.html' },
  xiao2017fashion: { year: '2017', title: 'Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms', link: 'https://arxiv.org/abs/1708.07747' },
  lecun1998gradient: { year: '1998', title: 'Gradient-Based Learning Applied to Document Recognition', link: 'https://doi.org/10.1109/5.726791' },
  williams1992simple: { year: '1992', title: 'Simple Statistical Gradient-Following Algorithms for Connectionist Reinforcement Learning', link: 'https://doi.org/10.1007/BF00992696' },
  white2016sampling: { year: '2016', title: 'Sampling Generative Networks', link: 'https://arxiv.org/abs/1609.04468' },
  shoemake1985animating: { year: '1985', title: 'Animating Rotation with Quaternion Curves', link: 'https://doi.org/10.1145/325165.325242' },
  wichura1988algorithm: { year: '1988', title: 'Algorithm AS 241: The Percentage Points of the Normal Distribution', link: 'https://doi.org/10.2307/2347330' },
  vandenoord2017neural: { year: '2017', title: 'Neural Discrete Representation Learning', link: 'https://arxiv.org/abs/1711.00937' },
  vahdat2020nvae: { year: '2020', title: 'NVAE: A Deep Hierarchical Variational Autoencoder', link: 'https://arxiv.org/abs/2007.03898' },
  rombach2022high: { year: '2022', title: 'High-Resolution Image Synthesis with Latent Diffusion Models', link: 'https://arxiv.org/abs/2112.10752' },
  hinton2006reducing: { year: '2006', title: 'Reducing the Dimensionality of Data with Neural Networks', link: 'https://doi.org/10.1126/science.1127647' },
  chollet2020vae: { year: '2020', title: 'Variational AutoEncoder', link: 'https://keras.io/examples/generative/vae/' },
  weng2018from: { year: '2018', title: 'From Autoencoder to Beta-VAE', link: 'https://lilianweng.github.io/posts/2018-08-12-vae/' },
};

test(`${BIB_FILE} parses, and each entry has its year, title and link`, () => {
  const { entries } = bibliography();
  assert.ok(entries.size > 0, 'the bibliography has entries');
  for (const [key, want] of Object.entries(EXPECTED)) {
    const entry = entries.get(key);
    assert.ok(entry, `${key} is in ${BIB_FILE}`);
    assert.equal(entry.year, want.year, `${key}: year`);
    assert.equal(entry.title, want.title, `${key}: title`);
    assert.equal(entry.href, want.link, `${key}: link`);
  }
});

test('every key a chapter cites is in the bibliography', () => {
  const { entries } = bibliography();
  const missing = chapterCitations().flatMap(({ file, keys }) => keys.filter((k) => !entries.has(k)).map((k) => `${file} cites "${k}"`));
  assert.deepEqual(missing, [], `keys missing from ${BIB_FILE}`);
});

test('labels: one surname, two joined by &, the first and et al. for three or more, particles kept', () => {
  const { entries } = bibliography();
  const label = (key: string) => entries.get(key)?.label;
  assert.equal(label('kingma2014auto'), 'Kingma & Welling, 2014');
  assert.equal(label('kingma2019introduction'), 'Kingma & Welling, 2019');
  assert.equal(label('hinton2006reducing'), 'Hinton & Salakhutdinov, 2006');
  assert.equal(label('burda2016importance'), 'Burda et al., 2016');
  assert.equal(label('rezende2014stochastic'), 'Rezende et al., 2014');
  assert.equal(label('higgins2017beta'), 'Higgins et al., 2017');
  assert.equal(label('doersch2016tutorial'), 'Doersch, 2016');
  assert.equal(label('williams1992simple'), 'Williams, 1992');
  assert.equal(label('vandenoord2017neural'), 'van den Oord et al., 2017');
  assert.equal(label('lecun1998gradient'), 'LeCun et al., 1998');
  assert.equal(entries.get('kingma2014auto')?.authorsNarrative, 'Kingma and Welling');
});

test('two entries with the same label get a and b after the year, ordered by authors then title, everywhere', () => {
  const bib = parseBibliography(`
@article{second, author = {Kingma, D. and Zed, A. and Welling, M.}, title = {B}, journal = {J}, year = {2016}, url = {https://example.org/b}}
@article{first, author = {Kingma, D. and Adams, R. and Lee, S.}, title = {A}, journal = {J}, year = {2016}, url = {https://example.org/a}}
@article{other, author = {Kingma, D. and Welling, M.}, title = {C}, journal = {J}, year = {2016}, url = {https://example.org/c}}
@article{later, author = {Kingma, D. and Chen, X. and Welling, M.}, title = {D}, journal = {J}, year = {2017}, url = {https://example.org/d}}`, 'test.bib');
  const label = (key: string) => bib.get(key, 'test').label;
  assert.equal(label('first'), 'Kingma et al., 2016a');
  assert.equal(label('second'), 'Kingma et al., 2016b');
  assert.equal(label('other'), 'Kingma & Welling, 2016', 'a different label keeps its year');
  assert.equal(label('later'), 'Kingma et al., 2017', 'another year keeps its year');
  assert.match(bib.get('second', 'test').text, /\(2016b\)/, 'the reference carries the same year');
  assert.equal(citationText(citation('first,second', {}, 'test', bib)), '(Kingma et al., 2016a; Kingma et al., 2016b)');
});

test('citations read as the guide says', () => {
  const text = (ids: string, options: { narrative?: boolean; note?: string } = {}) => citationText(citation(ids, options, 'test'));
  assert.equal(text('kingma2014auto'), '(Kingma & Welling, 2014)');
  assert.equal(text('kingma2014auto,rezende2014stochastic'), '(Kingma & Welling, 2014; Rezende et al., 2014)');
  assert.equal(text(' kingma2014auto , rezende2014stochastic ,kingma2014auto'), '(Kingma & Welling, 2014; Rezende et al., 2014)', 'spaces and repeats');
  assert.equal(text('burda2016importance', { narrative: true }), 'Burda et al. (2016)');
  assert.equal(text('kingma2019introduction', { note: 'ch. 2' }), '(Kingma & Welling, 2019, ch. 2)');
  assert.equal(text('kingma2019introduction', { narrative: true, note: 'ch. 2' }), 'Kingma and Welling (2019, ch. 2)');
  assert.equal(text('kingma2014auto,burda2016importance,vandenoord2017neural', { narrative: true }), 'Kingma and Welling (2014), Burda et al. (2016) and van den Oord et al. (2017)');
  // Each label is a link to its own entry; the rest is plain text.
  assert.deepEqual(citation('kingma2014auto,rezende2014stochastic', {}, 'test'), [
    '(',
    { key: 'kingma2014auto', text: 'Kingma & Welling, 2014' },
    '; ',
    { key: 'rezende2014stochastic', text: 'Rezende et al., 2014' },
    ')',
  ]);
  assert.throws(() => citation(' , ', {}, 'src/content/chapters/01-x.mdx'), /01-x\.mdx: <Cite> needs id/);
});

test('an unknown key fails with the key and the file that cites it', () => {
  assert.throws(() => referencesOf('See <Cite id="kingma2014auto,nobody2099" />.', 'src/content/chapters/09-demo.mdx'), (err: Error) => {
    assert.match(err.message, /"nobody2099"/);
    assert.match(err.message, /src\/content\/chapters\/09-demo\.mdx/);
    assert.match(err.message, /src\/site\/references\.bib/);
    return true;
  });
  assert.throws(() => citation('nobody2099', {}, '<Cite id="nobody2099">'), /nobody2099/);
});

test('the cited keys of an MDX source: every form of the tag, once each, not in comments or code', () => {
  const mdx = `
import Cite from '../../components/Cite.astro';

The VAE <Cite id="kingma2014auto" /> and <Cite narrative id='burda2016importance' note="sec. 2"/>.
<Cite
  id="rezende2014stochastic, kingma2014auto,alemi2018fixing"
  note="eq. 3"
/>
An expression: <Cite id={"higgins2017beta"} />.
{/* <Cite id="commented2020out" /> */}
Inline code: \`<Cite id="inline2020code" />\`.

\`\`\`mdx
<Cite id="fenced2020code" />
\`\`\`

<Citation id="another2020tag" /> <Cite id="kingma2014auto" />
`;
  assert.deepEqual(citedKeys(mdx), ['kingma2014auto', 'burda2016importance', 'rezende2014stochastic', 'alemi2018fixing', 'higgins2017beta']);
  assert.deepEqual(citedKeys('No citations here.'), []);
});

test('a reference list holds each cited entry once, by first surname, then year', () => {
  const mdx = '<Cite id="vandenoord2017neural" /> <Cite id="kingma2019introduction,burda2016importance" /> <Cite id="kingma2014auto" /> <Cite id="alemi2018fixing" /> <Cite id="kingma2015adam" /> <Cite id="burda2016importance" narrative />';
  const keys = referencesOf(mdx, 'test.mdx').map((r) => r.key);
  // Alemi, Burda, Kingma 2014, Kingma 2015, Kingma 2019, van den Oord: "van den Oord" sorts as printed, under v.
  assert.deepEqual(keys, ['alemi2018fixing', 'burda2016importance', 'kingma2014auto', 'kingma2015adam', 'kingma2019introduction', 'vandenoord2017neural']);
  assert.deepEqual(referencesOf('Nothing cited.', 'test.mdx'), []);
});

test('a formatted reference has the authors in full, year, title, venue, volume, pages and its link', () => {
  const { entries } = bibliography();
  for (const entry of entries.values()) {
    assert.ok(entry.text.includes(entry.title), `${entry.key}: title`);
    assert.ok(entry.text.includes(`(${entry.year})`), `${entry.key}: year`);
    assert.match(entry.href ?? '', /^https?:\/\/\S+$/, `${entry.key}: a link`);
    assert.ok(entry.html.includes(`<a href="${entry.href!.replaceAll('&', '&amp;')}">`), `${entry.key}: the link is an <a>`);
  }
  assert.equal(
    entries.get('rezende2014stochastic')?.text,
    'Danilo Jimenez Rezende, Shakir Mohamed and Daan Wierstra (2014). Stochastic Backpropagation and Approximate Inference in Deep Generative Models. In International Conference on Machine Learning (ICML), Proceedings of Machine Learning Research 32(2), pp. 1278–1286. https://arxiv.org/abs/1401.4082',
  );
  assert.equal(
    entries.get('blei2017variational')?.text,
    'David M. Blei, Alp Kucukelbir and Jon D. McAuliffe (2017). Variational Inference: A Review for Statisticians. Journal of the American Statistical Association, 112(518), 859–877. https://doi.org/10.1080/01621459.2017.1285773',
  );
  assert.equal(
    entries.get('vandenoord2017neural')?.html,
    'Aaron van den Oord, Oriol Vinyals and Koray Kavukcuoglu (2017). Neural Discrete Representation Learning. In <cite>Advances in Neural Information Processing Systems (NeurIPS)</cite>, vol. 30. <a href="https://arxiv.org/abs/1711.00937">https://arxiv.org/abs/1711.00937</a>',
  );
  assert.equal(
    entries.get('doersch2016tutorial')?.text,
    'Carl Doersch (2016). Tutorial on Variational Autoencoders. arXiv preprint arXiv:1606.05908. https://arxiv.org/abs/1606.05908',
  );
  assert.match(entries.get('lecun1998gradient')?.text ?? '', /^Yann LeCun, Léon Bottou, Yoshua Bengio and Patrick Haffner \(1998\)/);
});

test('text from the .bib is escaped in the HTML', () => {
  const bib = parseBibliography('@misc{x, author = {Doe, Jane}, title = {Less <than> & "more"}, howpublished = {A & B}, year = {2020}, url = {https://example.org/?a=1&b=2}}', 'test.bib');
  const html = bib.get('x', 'test').html;
  assert.equal(html, 'Jane Doe (2020). Less &lt;than&gt; &amp; &quot;more&quot;. A &amp; B. <a href="https://example.org/?a=1&amp;b=2">https://example.org/?a=1&amp;b=2</a>');
});

test('a malformed .bib, a key defined twice, or an entry without a year fails, naming the file', () => {
  assert.throws(() => parseBibliography('@article{x, author = {Doe, J.}, title = {T}, year = {2020}', 'broken.bib'), /^Error: broken\.bib could not be parsed/);
  assert.throws(() => parseBibliography('@misc{x, author = {A, B}, title = {T}, year = {2020}}\n@misc{x, author = {C, D}, title = {U}, year = {2021}}', 'twice.bib'), /twice\.bib: the key "x" is defined twice/);
  assert.throws(() => parseBibliography('@misc{x, author = {A, B}, title = {T}}', 'undated.bib'), /undated\.bib: the entry "x" has no year/);
  assert.throws(() => parseBibliography('@misc{x, title = {T}, year = {2020}}', 'anonymous.bib'), /anonymous\.bib: the entry "x" has no author/);
});

test('card ids are unique within a page and start again on the next page', () => {
  const page1 = {};
  const page2 = {};
  assert.deepEqual([pageUniqueId(page1, 'c-a'), pageUniqueId(page1, 'c-a'), pageUniqueId(page1, 'c-b'), pageUniqueId(page1, 'c-a')], ['c-a', 'c-a-2', 'c-b', 'c-a-3']);
  assert.equal(pageUniqueId(page2, 'c-a'), 'c-a');
});
