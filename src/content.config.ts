import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const chapters = defineCollection({
  // "01-autoencoders.mdx" → id "autoencoders": the number orders files, the URL stays stable.
  loader: glob({
    pattern: '**/*.mdx',
    base: './src/content/chapters',
    generateId: ({ entry }) => entry.replace(/\.mdx$/, '').replace(/^\d+-/, ''),
  }),
  schema: z.object({
    title: z.string(),
    /** One or two sentences for the home page and the meta description. */
    description: z.string(),
    /** Position in the tutorial, 1-based; sets the URL-independent order and prev/next links. */
    order: z.number().int().positive(),
    /** A shorter title for navigation, if the full one is long. */
    short: z.string().optional(),
    // No list of references here: a chapter cites entries of src/site/references.bib with
    // <Cite id="…" />, and its reference list is made from those (src/layouts/Chapter.astro).
  }),
});

const modelCards = defineCollection({
  // public/weights/<id>/README.md, written by `npm run evaluate` from the model's metrics.json.
  loader: glob({ pattern: '*/README.md', base: './public/weights', generateId: ({ entry }) => entry.replace(/\/README\.md$/, '') }),
  schema: z.object({}),
});

export const collections = { chapters, modelCards };
