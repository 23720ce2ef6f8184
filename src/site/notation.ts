/**
 * Every symbol the guide uses, in one place: the notation page (src/pages/notation.astro) renders
 * it as tables, and <Sym id="…"> (src/components/Sym.astro) links a symbol in a chapter to its row.
 *
 * `id` is the row's anchor (`#sym-<id>`), so it must stay stable once chapters link to it.
 * `tex` is KaTeX source, rendered when the site is built; an entry KaTeX cannot parse fails the
 * build. KaTeX may break a line after any top-level relation or operator, `\mid` included, so
 * long formulas brace their terms, `{…}`, to break only between them on a narrow screen. `meaning` is plain text (it is also the link's tooltip); `note` may hold inline TeX
 * between `$…$`.
 */

export interface NotationEntry {
  /** The row's anchor: ASCII letters, digits and hyphens (case matters: `n` and `N` differ). */
  readonly id: string;
  readonly tex: string;
  /** Plain text, no TeX. */
  readonly meaning: string;
  /** Text with inline TeX between `$…$`. */
  readonly note?: string;
}

export interface NotationSection {
  /** The section heading's anchor. */
  readonly id: string;
  readonly title: string;
  /** Text with inline TeX between `$…$`, shown above the table. */
  readonly intro?: string;
  readonly entries: readonly NotationEntry[];
}

/** How the guide's indices run, shown above the tables (inline TeX between `$…$`). */
export const INDEX_CONVENTIONS =
  'Indices keep one meaning throughout: $i$ runs over pixels, $u$ over latent dimensions, $s$ over samples and $j$ over grid cells. ' +
  '$k$ and $N$ are counts, never indices.';

export const NOTATION: readonly NotationSection[] = [
  {
    id: 'data-and-model',
    title: 'Data and model',
    entries: [
      { id: 'x', tex: 'x \\in [0, 1]^{784}', meaning: 'an image: 28 × 28 grey levels, flattened into one vector' },
      { id: 'x-i', tex: 'x_i', meaning: 'the grey level of pixel i', note: '$i = 1, \\dots, 784$.' },
      { id: 'y', tex: 'y', meaning: 'an image’s class label, one of 10', note: 'A conditional model is given it as a one-hot vector.' },
      { id: 'z', tex: 'z \\in \\mathbb{R}^d', meaning: 'a latent code' },
      { id: 'd', tex: 'd', meaning: 'the number of latent dimensions', note: '2 in most figures, 16 in some.' },
      { id: 'z-u', tex: 'z_u', meaning: 'coordinate u of a code', note: '$u = 1, \\dots, d$. The index $u$ always runs over latent dimensions.' },
      { id: 'z-s', tex: 'z^{(s)}', meaning: 'the s-th of several sampled codes', note: '$s$ is the sample index; $\\varepsilon^{(s)}$ likewise.' },
      { id: 'prior', tex: 'p(z) = \\mathcal{N}(0, I)', meaning: 'the prior over codes: a standard normal' },
      { id: 'likelihood', tex: 'p_\\theta(x \\mid z)', meaning: 'the decoder’s likelihood: one Bernoulli variable per pixel' },
      { id: 'eta', tex: '\\eta_\\theta(z) \\in \\mathbb{R}^{784}', meaning: 'the decoder’s output: one logit per pixel' },
      { id: 'pi', tex: '\\pi = {\\operatorname{sigmoid}\\bigl(\\eta_\\theta(z)\\bigr)}', meaning: 'the pixel probabilities: the decoded image' },
      {
        id: 'sigmoid',
        tex: '\\operatorname{sigmoid}(a) = {1 / (1 + e^{-a})}',
        meaning: 'the logistic function, which turns a logit into a probability',
        note: '$\\sigma$ is never the sigmoid in this guide.',
      },
      { id: 'joint', tex: 'p_\\theta(x, z) = {p(z)\\, p_\\theta(x \\mid z)}', meaning: 'the model’s joint distribution of codes and images' },
      { id: 'evidence', tex: 'p_\\theta(x) = {\\int p_\\theta(x \\mid z)\\, p(z)\\, dz}', meaning: 'the marginal likelihood (evidence) of an image' },
      { id: 'posterior', tex: 'p_\\theta(z \\mid x)', meaning: 'the true posterior: the codes that could have made an image' },
      { id: 'theta', tex: '\\theta', meaning: 'the decoder’s weights' },
      { id: 'phi', tex: '\\phi', meaning: 'the encoder’s weights' },
      {
        id: 'N',
        tex: 'N',
        meaning: 'the number of Monte Carlo samples in an estimate',
        note: 'Chapter 2’s estimate of $p_\\theta(x)$ by sampling the prior, and chapter 3’s gradient estimators.',
      },
    ],
  },
  {
    id: 'autoencoder',
    title: 'Autoencoder',
    entries: [
      { id: 'f-phi', tex: 'z = f_\\phi(x)', meaning: 'the plain autoencoder’s encoder' },
      { id: 'g-theta', tex: 'g_\\theta', meaning: 'the plain autoencoder’s decoder' },
      { id: 'x-hat', tex: '\\hat{x} = {g_\\theta\\bigl(f_\\phi(x)\\bigr)}', meaning: 'the reconstruction of an image' },
      {
        id: 'bce',
        tex: '\\operatorname{BCE}(x, \\hat{x}) = {-\\sum_i \\bigl[x_i \\log \\hat{x}_i + (1 - x_i) \\log(1 - \\hat{x}_i)\\bigr]}',
        meaning: 'the binary cross-entropy between an image and its reconstruction, summed over the pixels',
      },
    ],
  },
  {
    id: 'inference',
    title: 'Inference',
    entries: [
      {
        id: 'q',
        tex: '{q_\\phi(z \\mid x)} = {\\mathcal{N}\\bigl(z; \\mu_\\phi(x), \\operatorname{diag} \\sigma_\\phi^2(x)\\bigr)}',
        meaning: 'the encoder’s approximate posterior',
      },
      {
        id: 'q-free',
        tex: 'q(z)',
        meaning: 'a free Gaussian fitted to one image',
        note: 'Classical variational inference, with no encoder: hence no $\\phi$.',
      },
      { id: 'mu', tex: '\\mu_\\phi(x)', meaning: 'the mean of the approximate posterior' },
      {
        id: 'sigma',
        tex: '\\sigma_\\phi(x)',
        meaning: 'the standard deviations of the approximate posterior, one per latent dimension',
        note: '$\\sigma$ always means a standard deviation in this guide.',
      },
      {
        id: 'logvar',
        tex: '\\log \\sigma^2',
        meaning: 'what the encoder outputs in place of σ',
        note: 'Any real output gives a positive $\\sigma = \\exp(\\tfrac{1}{2} \\log \\sigma^2)$.',
      },
      {
        id: 'eps',
        tex: '\\varepsilon \\sim \\mathcal{N}(0, I)',
        meaning: 'the reparameterization noise',
        note: '$z = \\mu_\\phi(x) + \\sigma_\\phi(x) \\odot \\varepsilon$.',
      },
      { id: 'odot', tex: '\\odot', meaning: 'the elementwise product' },
      { id: 'family', tex: '\\mathcal{Q}', meaning: 'the variational family: the distributions the approximate posterior is chosen from' },
      {
        id: 'cvae',
        tex: '{q_\\phi(z \\mid x, y)},\\allowbreak\\ {p_\\theta(x \\mid z, y)}',
        meaning: 'a conditional VAE’s encoder and decoder',
        note: 'Both are given the label $y$.',
      },
    ],
  },
  {
    id: 'losses-and-bounds',
    title: 'Losses and bounds',
    intro: 'All in nats per image. The guide minimises losses, so its bounds are written on $-\\log p_\\theta(x)$.',
    entries: [
      {
        id: 'elbo',
        tex: '\\mathrm{ELBO}(x) = {\\mathbb{E}_{q_\\phi(z \\mid x)}\\bigl[\\log p_\\theta(x \\mid z)\\bigr]} - {\\mathrm{KL}\\bigl(q_\\phi(z \\mid x) \\,\\|\\, p(z)\\bigr)}',
        meaning: 'the evidence lower bound',
        note: '$\\mathrm{ELBO}(x) \\le \\log p_\\theta(x)$.',
      },
      {
        id: 'loss',
        tex: '\\mathcal{L}(x) = -\\mathrm{ELBO}(x)',
        meaning: 'the VAE’s loss per image',
        note: '$\\mathcal{L}(x) \\ge -\\log p_\\theta(x)$.',
      },
      {
        id: 'loss-beta',
        tex: '\\mathcal{L}_\\beta(x) = {\\mathbb{E}_{q_\\phi(z \\mid x)}\\bigl[-\\log p_\\theta(x \\mid z)\\bigr]} + {\\beta\\, \\mathrm{KL}\\bigl(q_\\phi(z \\mid x) \\,\\|\\, p(z)\\bigr)}',
        meaning: 'the β-weighted loss',
        note: '$\\mathcal{L}_1 = \\mathcal{L}$.',
      },
      { id: 'beta', tex: '\\beta', meaning: 'the weight of the KL term' },
      {
        id: 'loss-k',
        tex: '\\mathcal{L}_k(x) = {-\\mathbb{E}\\Bigl[\\log \\frac{1}{k} \\sum_{s=1}^{k} \\frac{p_\\theta(x, z^{(s)})}{q_\\phi(z^{(s)} \\mid x)}\\Bigr]}',
        meaning: 'the importance-weighted bound (Burda et al.)',
        note:
          'The $z^{(s)} \\sim q_\\phi(z \\mid x)$ are drawn independently. ' +
          '$\\mathcal{L}_1 = \\mathcal{L}$, $\\mathcal{L}_k \\ge \\mathcal{L}_{k+1}$, and $\\mathcal{L}_k(x) \\to -\\log p_\\theta(x)$ as $k \\to \\infty$.',
      },
      { id: 'k', tex: 'k', meaning: 'the number of importance samples', note: '$k$ is never an index in this guide.' },
      {
        id: 'kl',
        tex: '\\mathrm{KL}(q \\,\\|\\, p) = {\\mathbb{E}_q[\\log q - \\log p]} \\ge 0',
        meaning: 'the Kullback–Leibler divergence',
      },
      {
        id: 'kl-u',
        tex: '\\mathrm{KL}_u',
        meaning: 'the KL of latent unit u alone',
        note: 'For a diagonal Gaussian $q$ and the standard normal prior, the KL is the sum of the $\\mathrm{KL}_u$.',
      },
      {
        id: 'distortion',
        tex: 'D = {\\mathbb{E}_x \\mathbb{E}_{q_\\phi(z \\mid x)}\\bigl[-\\log p_\\theta(x \\mid z)\\bigr]}',
        meaning: 'the distortion: the reconstruction term, averaged over images',
      },
      {
        id: 'rate',
        tex: 'R = {\\mathbb{E}_x \\mathrm{KL}\\bigl(q_\\phi(z \\mid x) \\,\\|\\, p(z)\\bigr)}',
        meaning: 'the rate: the KL term, averaged over images',
      },
    ],
  },
  {
    id: 'estimators',
    title: 'Gradient estimators',
    entries: [
      {
        id: 'h',
        tex: 'h(z)',
        meaning: 'a function whose expectation under q we differentiate',
        note: 'In a VAE, $h(z) = -\\log p_\\theta(x \\mid z)$.',
      },
      { id: 'g-hat', tex: '\\hat g_{\\text{score}},\\ \\hat g_{\\text{path}}', meaning: 'the score-function and pathwise estimators of a gradient' },
      { id: 'baseline', tex: 'b', meaning: 'a baseline subtracted from h in the score-function estimator' },
      {
        id: 'bowl',
        tex: 'm,\\ a = \\mu - m',
        meaning: 'the bottom of a bowl-shaped h, and the offset of μ from it',
        note: 'The bowl is $h(z) = (z - m)^2$.',
      },
    ],
  },
  {
    id: 'latent-plane',
    title: 'The latent plane',
    entries: [
      {
        id: 'Phi',
        tex: '\\Phi(v) = {P(Z \\le v)},\\allowbreak\\ Z \\sim \\mathcal{N}(0, 1)',
        meaning: 'the standard normal CDF',
        note: '$\\Phi^{-1}$ is its inverse.',
      },
      { id: 'n', tex: 'n', meaning: 'the number of cells per axis of a grid' },
      { id: 'j', tex: 'j = 0, \\dots, n - 1', meaning: 'a cell’s index along an axis' },
      { id: 'c-j', tex: 'c_j = {\\Phi^{-1}\\bigl((j + \\tfrac{1}{2}) / n\\bigr)}', meaning: 'the coordinate of cell j’s centre on the Gaussian grid' },
      { id: 'z-ab', tex: 'z_A,\\ z_B', meaning: 'the codes of two images: the ends of a path' },
      { id: 't', tex: 't \\in [0, 1]', meaning: 'the position along the path' },
      { id: 'Omega', tex: '\\Omega', meaning: 'the angle between the two codes' },
      {
        id: 'slerp',
        tex: '\\operatorname{slerp}',
        meaning: 'spherical linear interpolation: the arc between two codes',
        note: '$\\operatorname{slerp}(z_A, z_B; t) = \\frac{\\sin((1 - t)\\,\\Omega)}{\\sin \\Omega}\\, z_A + \\frac{\\sin(t\\,\\Omega)}{\\sin \\Omega}\\, z_B$.',
      },
    ],
  },
];

/** Every entry, in the page's order. */
export const NOTATION_ENTRIES: readonly NotationEntry[] = NOTATION.flatMap((s) => s.entries);

/** The id of a symbol's row on the notation page. */
export function symAnchor(id: string): string {
  return `sym-${id}`;
}

/** The entry with this id; throws, naming the id, when there is none (so a bad link fails the build). */
export function notationEntry(id: string): NotationEntry {
  const entry = NOTATION_ENTRIES.find((e) => e.id === id);
  if (!entry) throw new Error(`<Sym id="${id}">: no symbol "${id}" in src/site/notation.ts`);
  return entry;
}

/**
 * What <Sym id> renders around its symbol: the link to the symbol's row on the notation page
 * (`base` is the site's base path without its trailing slash) and a tooltip with its meaning.
 */
export function symLink(id: string, base: string): { href: string; title: string } {
  const { meaning } = notationEntry(id);
  return { href: `${base}/notation/#${symAnchor(id)}`, title: `${meaning.charAt(0).toUpperCase()}${meaning.slice(1)}, in the notation table` };
}
