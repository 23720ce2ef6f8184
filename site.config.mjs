/**
 * The site's identity in one place. A fork changes these lines; the layout, the home page, the
 * page titles and astro.config.mjs read them from here.
 *
 * `base` is the path the site is served under: '/' at a domain's root, or '/repo-name/' for a
 * GitHub Pages project site. `astro build --base /other/path` overrides it for one build. Every
 * link, asset, weight and data file of the site goes through it.
 */
/** The source repository: the authoring guide links the files it names there. */
const repository = 'https://github.com/example/latent-lab';

export const SITE = {
  title: 'Latent Lab',
  tagline: 'An explorable guide to variational autoencoders',
  description: 'An explorable guide to variational autoencoders, with a model that runs in your browser.',
  author: 'The Latent Lab authors',
  repository,
  /** Where readers report a mistake: each chapter's "Report a mistake" opens a new issue here. */
  issues: `${repository}/issues`,
  /** The address the site is published at, without the base path. */
  url: 'https://example.github.io',
  base: '/',
};
