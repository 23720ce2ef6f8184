/**
 * Corrections to the guide after it was published, shown newest first on /changes/
 * (src/pages/changes.astro). Add one entry per mistake fixed, in any order:
 *
 *   {
 *     date: '2026-12-04',
 *     chapter: 'The evidence lower bound',   // the chapter's title as shown, free text
 *     section: 'Second derivation: the gap', // optional
 *     was: 'the gap is $\\mathrm{KL}(p \\,\\|\\, q)$',
 *     now: 'the gap is $\\mathrm{KL}(q \\,\\|\\, p)$',
 *     why: 'The divergence runs from the approximate posterior to the true one.',
 *   }
 *
 * `was` and `now` may hold inline TeX between `$…$` (write `\\$` for a dollar sign); `why` is
 * plain text. The chapter is named, not linked, so the list outlives a chapter that is renamed
 * or removed. A malformed date or TeX fails the build.
 */
import { escapeHtml, renderInlineTex } from './tex.ts';

export interface Correction {
  /** The day the correction was published, YYYY-MM-DD. */
  readonly date: string;
  /** The chapter's title as shown. */
  readonly chapter: string;
  readonly section?: string;
  /** What the guide said (inline TeX allowed). */
  readonly was: string;
  /** What it says now (inline TeX allowed). */
  readonly now: string;
  /** Why it changed, in plain text. */
  readonly why: string;
}

export const CORRECTIONS: readonly Correction[] = [
  {
    date: '2026-12-04',
    chapter: 'The evidence lower bound',
    section: 'One knob: β',
    was: 'Only $\\beta = 1$ gives a bound on $\\log p_\\theta(x)$.',
    now: 'For $\\beta \\ge 1$, $\\mathcal{L}_\\beta(x) = \\mathcal{L}(x) + (\\beta - 1)\\,\\mathrm{KL} \\ge -\\log p_\\theta(x)$ is still an upper bound, only looser; only $\\beta < 1$ loses the bound.',
    why: 'The KL term is never negative, so adding more of it keeps the bound.',
  },
  {
    date: '2026-12-04',
    chapter: 'Train it yourself',
    section: 'β: how much the code may say',
    was: 'Only $\\beta = 1$ makes $\\mathcal{L}$ a bound on $-\\log p_\\theta(x)$.',
    now: 'With $\\beta \\ge 1$, $\\mathcal{L}_\\beta$ is still an upper bound on $-\\log p_\\theta(x)$, only a looser one; with $\\beta < 1$ it is no bound at all.',
    why: 'The same slip as in chapter 4.',
  },
  {
    date: '2026-12-04',
    chapter: 'The latent manifold',
    section: 'From one digit to another',
    was: 'For two codes of norm 1.6 and 0.8 that are 179° apart, the midpoint lands at norm 60.',
    now: 'The textbook slerp midpoint is $(z_A + z_B) / (2\\cos(\\Omega/2))$, of norm about 46 for those codes.',
    why: 'The old number was not computed; a unit test now computes the new one.',
  },
  {
    date: '2026-12-04',
    chapter: 'Beyond the plane',
    section: 'Tell the model the label',
    was: 'The label is worth a lot of nats (the conditional model’s bound on $-\\log p(x \\mid y)$ set against the unconditional model’s bound on $-\\log p(x)$).',
    now: 'A 10-way label carries at most $\\ln 10 \\approx 2.3$ nats. Mixed over the labels, the conditional model bounds $-\\log p(x)$ by its own figure $+ \\ln 10$; most of the remaining gap is the unconditional 2-D model’s shortfall, not the label.',
    why: 'The two bounds were on different quantities, and the comparison credited the label with far more than it can carry.',
  },
  {
    date: '2026-12-04',
    chapter: 'Beyond the plane',
    section: 'Tell the model the label',
    was: 'The conditional VAE was attributed to Sohn, Lee & Yan (2015).',
    now: 'A fixed prior $p(z)$ with $y$ in encoder and decoder is the generative model of Kingma et al. (2014, M2); Sohn et al. (2015) also condition the prior.',
    why: 'Attribution.',
  },
  {
    date: '2026-12-04',
    chapter: 'From autoencoders to variational autoencoders',
    section: 'The loss',
    was: 'Prior samples show all ten digits “roughly as often as in the data”, and the patches “tile the region the prior covers”.',
    now: 'The classes come out unevenly (zeros far more often than in the data), and the figure counts them; nothing in the loss makes the codes of all images together fill the prior.',
    why: 'Chapter 6 showed the opposite of the old claim.',
  },
  {
    date: '2026-12-04',
    chapter: 'From autoencoders to variational autoencoders',
    section: 'Make the code a distribution; Train one yourself',
    was: 'The model “computes exactly these terms”; the small early KL of the panel was explained without mentioning that its KL weight starts at 0.',
    now: 'The pretrained model and chapter 1’s panel warm the KL weight up from 0 to 1 (the model over its first 1,000 steps, the panel over 150); the chapter says so and explains why.',
    why: 'A figure’s training must be disclosed as it ran.',
  },
  {
    date: '2026-12-04',
    chapter: 'The evidence lower bound',
    section: 'How loose is the bound?',
    was: '$\\mathcal{L}_k(x) = -\\log \\frac{1}{k} \\sum_j w_j$, said to tighten as $k$ grows.',
    now: '$\\mathcal{L}_k(x) = -\\mathbb{E}\\big[\\log \\frac{1}{k} \\sum_s w_s\\big]$, an upper bound on $-\\log p_\\theta(x)$ that tightens in expectation; its tightness depends on $q_\\phi$.',
    why: 'Without the expectation it is a random number, not a bound.',
  },
  {
    date: '2026-12-04',
    chapter: 'The evidence lower bound',
    section: 'Second derivation: the gap',
    was: 'Raising the ELBO in $\\theta$ raises the likelihood, or makes the posterior easier to match, or both.',
    now: 'It can also lower the likelihood, when that closes the gap by more: one mechanism behind posterior collapse.',
    why: 'The old list left out the case that matters for collapse.',
  },
  {
    date: '2026-12-04',
    chapter: 'The reparameterization trick',
    section: 'Why sampling blocks gradients',
    was: '$\\partial z / \\partial \\phi$ does not exist for “draw a number”.',
    now: 'A draw does not say how $z$ would move with $\\phi$, so $\\partial z / \\partial \\phi$ is undefined until we say how the draw is made; automatic differentiation treats $z$ as a constant.',
    why: 'Said what was meant.',
  },
  {
    date: '2026-12-04',
    chapter: 'Beyond the plane',
    section: 'Where VAEs lead; More latent dimensions',
    was: '“The ELBO uses one sample of $z$”; blur blamed on the 2-D squeeze alone.',
    now: 'The ELBO is an expectation; the training estimator uses one sample. Blur also comes from the factorised likelihood and from drawing the decoder’s mean image.',
    why: 'Loose statements.',
  },
  {
    date: '2026-12-04',
    chapter: 'All chapters',
    was: '$\\ell$ for both the loss and the logits, $\\sigma$ for both the sigmoid and a standard deviation, $k$ for both a count and an index, $z_j$ for samples, grid points and coordinates.',
    now: 'One notation for the whole guide, on its own page: logits $\\eta$, $\\operatorname{sigmoid}$, $\\operatorname{BCE}$, sample index $s$, grid centres $c_j$.',
    why: 'A symbol must mean one thing.',
  },
  {
    date: '2026-12-04',
    chapter: 'Train it yourself',
    section: 'A learning rate that is too high',
    was: 'At a learning rate of 100 the activations overflow, and the next loss is not a number; at 0.1 the loss leaps to thousands of nats, or millions.',
    now: 'At 100 the next loss is finite but astronomically large, and the gradient of step 2 is what is not a number; at 0.1 the loss reaches millions by step 2 and about $10^{13}$ by step 6.',
    why: 'The runs, repeated in Node with the panel’s seeds, said otherwise.',
  },
  {
    date: '2026-12-04',
    chapter: 'Train it yourself',
    section: 'MLP or convolutions',
    was: 'After one epoch the MLP and the convolutional model reach about the same loss on MNIST; speeds quoted without a source.',
    now: 'After one epoch the pretrained MLP’s validation loss was about 12 nats lower; the speeds are those the pretrained runs measured.',
    why: 'The models’ own metrics contradicted the old sentence.',
  },
  {
    date: '2026-12-04',
    chapter: 'A probabilistic model',
    section: 'How likely is one image?; One digit’s posterior',
    was: 'A prior draw lands in a typical digit’s ellipse once in a thousand draws (so once in $10^{23}$ in 16-D); test image 3841’s ellipse is fifteen to twenty-five times wider than 8811’s.',
    now: 'For half of the test digits less than once in about 1,300 draws (so about once in $10^{25}$ in 16-D); thirteen to twenty-five times.',
    why: 'Every number in the prose now comes from a model’s metrics or from a computation a test repeats.',
  },
];

/** A correction ready for the page: its date spelled out, and its text as HTML. */
export interface CorrectionView {
  /** YYYY-MM-DD, for `<time datetime>`. */
  readonly datetime: string;
  /** e.g. "4 December 2026". */
  readonly dateText: string;
  /** The chapter, and the section when there is one: "Chapter · Section". */
  readonly where: string;
  readonly wasHtml: string;
  readonly nowHtml: string;
  readonly whyHtml: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-12-04" as "4 December 2026"; throws on anything that is not a real YYYY-MM-DD date. */
export function formatDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  // A real day: the date survives a round trip through Date (2026-02-30 does not).
  const parsed = new Date(Date.UTC(year, month - 1, day));
  if (!match || parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) {
    throw new Error(`A correction's date must be a real day written YYYY-MM-DD, not "${date}"`);
  }
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/**
 * The corrections newest first (the same day keeps the list's order), with their dates and TeX
 * rendered. Throws on a bad date, bad TeX or an empty field, naming the entry.
 */
export function correctionViews(corrections: readonly Correction[]): CorrectionView[] {
  return corrections
    .map((c, index) => ({ c, index }))
    .sort((a, b) => (a.c.date === b.c.date ? a.index - b.index : a.c.date < b.c.date ? 1 : -1))
    .map(({ c }) => {
      try {
        for (const key of ['chapter', 'was', 'now', 'why'] as const) {
          if (!c[key].trim()) throw new Error(`"${key}" is empty`);
        }
        return {
          datetime: c.date,
          dateText: formatDate(c.date),
          where: c.section ? `${c.chapter} · ${c.section}` : c.chapter,
          wasHtml: renderInlineTex(c.was),
          nowHtml: renderInlineTex(c.now),
          whyHtml: escapeHtml(c.why),
        };
      } catch (err) {
        throw new Error(`src/site/corrections.ts, the correction of ${c.date} in "${c.chapter}": ${(err as Error).message}`);
      }
    });
}

/**
 * Where readers report a mistake: `issues` when the site's config names it, else the
 * repository's issue tracker (a GitHub, GitLab or Codeberg repository's `/issues`).
 */
export function issuesUrl(site: { readonly repository: string; readonly issues?: string }): string {
  return site.issues ?? `${site.repository.replace(/\/+$/, '')}/issues`;
}
