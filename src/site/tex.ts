/**
 * TeX rendered with KaTeX when the site is built, for the site-level pages (notation, changes)
 * whose text lives in TypeScript rather than in MDX. Errors throw, so a bad entry fails the build.
 */
import katex from 'katex';

/** One TeX formula as KaTeX HTML (with MathML for screen readers), like rehype-katex renders chapter math. */
export function renderTex(tex: string, displayMode = false): string {
  return katex.renderToString(tex, { throwOnError: true, displayMode });
}

/** `&`, `<`, `>` and quotes as entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A piece of text with inline TeX: the plain parts and the formulas, in order. */
export type TexPart = { readonly kind: 'text' | 'math'; readonly value: string };

/**
 * Splits text at inline math between single dollars, as the chapters write it: `was $\sigma$`.
 * `\$` is a literal dollar. An unclosed or empty `$…$` throws, naming the text.
 */
export function splitInlineTex(text: string): TexPart[] {
  const parts: TexPart[] = [];
  let plain = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') {
      plain += '$';
      i++;
    } else if (c === '$') {
      // The formula runs to the next dollar that is not escaped.
      let j = i + 1;
      while (j < text.length && !(text[j] === '$' && text[j - 1] !== '\\')) j++;
      const tex = text.slice(i + 1, j);
      if (j >= text.length) throw new Error(`Unclosed $ in "${text}"`);
      if (!tex.trim()) throw new Error(`Empty $…$ in "${text}"`);
      if (plain) parts.push({ kind: 'text', value: plain });
      parts.push({ kind: 'math', value: tex });
      plain = '';
      i = j;
    } else {
      plain += c;
    }
  }
  if (plain) parts.push({ kind: 'text', value: plain });
  return parts;
}

/** Text with inline TeX as HTML: the plain parts escaped, the formulas rendered by KaTeX. */
export function renderInlineTex(text: string): string {
  return splitInlineTex(text)
    .map((p) => (p.kind === 'math' ? renderTex(p.value) : escapeHtml(p.value)))
    .join('');
}
