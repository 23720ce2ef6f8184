/**
 * The catalogue's sections, prepared at build time for /figures/ and /figures/<id>/: each
 * component's doc (purpose and props, read from its source) and each example's tag and MDX.
 */
import { join } from 'node:path';
import { readComponentDoc, type ComponentDoc } from '../../components/lib/build/figure-props';
import { mdxSnippet, type Tag } from '../../site/figure-snippet';
import { CATALOGUE, exampleAnchor, exampleTag, type CatalogueEntry } from '../../site/figures';

export interface CatalogueSection {
  entry: CatalogueEntry;
  docs: ComponentDoc[];
  examples: { anchor: string; title: string; tag: Tag; snippet: string }[];
}

const dir = join(process.cwd(), 'src', 'components');

/** The doc of src/components/<name>.astro. */
export const docOf = (name: string): ComponentDoc => readComponentDoc(join(dir, `${name}.astro`));

/** Every catalogue entry, ready to render. */
export function catalogueSections(): CatalogueSection[] {
  return (CATALOGUE as readonly CatalogueEntry[]).map((entry) => ({
    entry,
    docs: [entry.component, ...(entry.parts ?? [])].map(docOf),
    examples: entry.examples.map((example) => {
      const tag = exampleTag(entry, example);
      return { anchor: exampleAnchor(entry, example), title: example.title, tag, snippet: mdxSnippet(tag) };
    }),
  }));
}
