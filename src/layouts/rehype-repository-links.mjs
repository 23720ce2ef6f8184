/**
 * For Markdown files that live at the repository's root and are also shown as pages of the site
 * (CONTRIBUTING.md as /guide/): their links to other files of the repository, e.g.
 * `docs/ARCHITECTURE.md`, point to those files in the repository, where they resolve. Links of
 * the chapters are left alone.
 */
import { SITE } from '../../site.config.mjs';

const ROOT_DOCUMENTS = ['CONTRIBUTING.md'];

export default function rehypeRepositoryLinks() {
  return (tree, file) => {
    const path = String(file.path ?? file.history?.[0] ?? '');
    if (!ROOT_DOCUMENTS.some((name) => path.endsWith(`/${name}`))) return;
    const visit = (node) => {
      if (node.type === 'element' && node.tagName === 'a') {
        const href = String(node.properties?.href ?? '');
        if (href && !/^([a-z]+:|#|\/|\.\.\/)/i.test(href)) node.properties.href = `${SITE.repository}/blob/main/${href}`;
      }
      for (const child of node.children ?? []) visit(child);
    };
    visit(tree);
  };
}
