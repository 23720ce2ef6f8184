/**
 * Every chapter ends its teaching with "Check yourself": a `## Check yourself` heading (the table
 * of contents lists only the Markdown's headings), then one <CheckYourself> holding 3 to 5
 * <Question>s, each with its text and then exactly one <Answer> of its own. The chapters are
 * parsed as MDX, with remark-math as the site uses it, so an <Answer> that MDX would read as
 * inline text (written on the line of the question) is caught too. The checker is first run on small
 * examples, right and wrong.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createProcessor } from '@mdx-js/mdx';
import remarkMath from 'remark-math';
import { ROOT } from '../../scripts/lib/files.ts';

const CHAPTERS = join(ROOT, 'src', 'content', 'chapters');

/** The bits of an mdast tree this test reads. */
interface Node {
  type: string;
  name?: string | null;
  depth?: number;
  value?: string;
  children?: Node[];
  position?: { start: { line: number } };
}

const processor = createProcessor({ remarkPlugins: [remarkMath] });

function parse(mdx: string): Node {
  // Front matter is YAML, not MDX: blank it out, keeping line numbers.
  const body = mdx.replace(/^---\n[\s\S]*?\n---\n/, (fm) => fm.replace(/[^\n]/g, ''));
  return processor.parse(body) as unknown as Node;
}

const isJsx = (n: Node, name?: string) => (n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement') && (name === undefined || n.name === name);
/** Comments ({/* … *\/}) and blank text do not count as content. */
const isFiller = (n: Node) => n.type === 'mdxFlowExpression' || n.type === 'mdxTextExpression' || (n.type === 'text' && !n.value?.trim());

function all(node: Node, keep: (n: Node) => boolean, out: Node[] = []): Node[] {
  if (keep(node)) out.push(node);
  for (const child of node.children ?? []) all(child, keep, out);
  return out;
}

function text(node: Node): string {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'inlineMath' || node.type === 'math') return node.value ?? '';
  return (node.children ?? []).map(text).join('');
}

const line = (n: Node) => `line ${n.position?.start.line ?? '?'}`;

/** What is wrong with a chapter's "Check yourself", in words; empty when it is right. */
function checkYourselfProblems(mdx: string): string[] {
  const root = parse(mdx);
  const problems: string[] = [];
  const sections = all(root, (n) => isJsx(n, 'CheckYourself'));
  if (sections.length !== 1) return [`has ${sections.length} <CheckYourself> sections; it needs exactly one`];
  const section = sections[0]!;
  const at = (root.children ?? []).indexOf(section);
  if (section.type !== 'mdxJsxFlowElement' || at < 0) return [`<CheckYourself> (${line(section)}) must stand on its own lines at the top level of the chapter`];
  const before = (root.children ?? []).slice(0, at).filter((n) => !isFiller(n)).at(-1);
  if (!(before?.type === 'heading' && before.depth === 2 && text(before).trim() === 'Check yourself')) {
    problems.push(`<CheckYourself> (${line(section)}) must follow the heading "## Check yourself"`);
  }
  const children = (section.children ?? []).filter((n) => !isFiller(n));
  const questions = children.filter((n) => isJsx(n, 'Question'));
  for (const other of children.filter((n) => !isJsx(n, 'Question'))) problems.push(`<CheckYourself> holds something other than a <Question> at ${line(other)}`);
  if (questions.length < 3 || questions.length > 5) problems.push(`has ${questions.length} questions; it needs 3 to 5`);
  for (const [i, q] of questions.entries()) {
    const where = `question ${i + 1} (${line(q)})`;
    const answers = all(q, (n) => isJsx(n, 'Answer'));
    if (answers.length !== 1) {
      problems.push(`${where} has ${answers.length} answers; it needs exactly one`);
      continue;
    }
    const answer = answers[0]!;
    const parts = (q.children ?? []).filter((n) => !isFiller(n));
    if (answer.type !== 'mdxJsxFlowElement' || parts.at(-1) !== answer) {
      problems.push(`${where}: <Answer> must come last, on lines of its own (else MDX reads it as inline text)`);
      continue;
    }
    if (!parts.slice(0, -1).some((n) => text(n).trim() !== '')) problems.push(`${where} has no text before its <Answer>`);
    if (text(answer).trim() === '') problems.push(`${where} has an empty <Answer>`);
  }
  const inside = new Set(all(section, (n) => isJsx(n, 'Question') || isJsx(n, 'Answer')));
  for (const stray of all(root, (n) => isJsx(n, 'Question') || isJsx(n, 'Answer'))) {
    if (!inside.has(stray)) problems.push(`<${stray.name}> at ${line(stray)} is outside <CheckYourself>`);
  }
  return problems;
}

const question = (q: string, a: string) => `<Question>\n${q}\n\n<Answer>\n${a}\n</Answer>\n</Question>\n`;
const chapter = (questions: string[], heading = '## Check yourself\n\n') =>
  `---\ntitle: "A: b"\norder: 1\n---\nimport X from 'y';\n\n## Earlier\n\nText with $\\frac{1}{2}$.\n\n${heading}<CheckYourself>\n${questions.join('\n')}</CheckYourself>\n`;
const three = [question('What is $\\mu$ when {x}?', 'Zero: $\\tfrac{1}{2}$. [See](?posterior.image=3).'), question('Why?', 'Because.'), question('How many?', 'Four.')];

describe('the Check yourself checker', () => {
  test('accepts a heading, 3 to 5 questions and one answer each, with math and comments', () => {
    assert.deepEqual(checkYourselfProblems(chapter(three)), []);
    assert.deepEqual(checkYourselfProblems(chapter([...three, ...three.slice(0, 2)])), []);
    assert.deepEqual(checkYourselfProblems(chapter(['{/* a comment */}\n', ...three])), []);
  });

  test('rejects a chapter without the section, or with two', () => {
    assert.match(checkYourselfProblems('## Only prose\n\nText.\n').join(), /0 <CheckYourself>/);
    assert.match(checkYourselfProblems(chapter(three) + '\n<CheckYourself>\n</CheckYourself>\n').join(), /2 <CheckYourself>/);
  });

  test('rejects too few or too many questions', () => {
    assert.match(checkYourselfProblems(chapter(three.slice(0, 2))).join(), /2 questions/);
    assert.match(checkYourselfProblems(chapter([...three, ...three])).join(), /6 questions/);
  });

  test('rejects a missing heading', () => {
    assert.match(checkYourselfProblems(chapter(three, '')).join(), /must follow the heading/);
    assert.match(checkYourselfProblems(chapter(three, '### Check yourself\n\n')).join(), /must follow the heading/);
  });

  test('rejects a question with no answer, two answers, an inline answer, or no text', () => {
    assert.match(checkYourselfProblems(chapter(['<Question>\nWhat?\n</Question>\n', ...three])).join(), /0 answers/);
    assert.match(checkYourselfProblems(chapter([question('What?', 'A.\n</Answer>\n\n<Answer>\nB.'), ...three.slice(1)])).join(), /2 answers/);
    assert.match(checkYourselfProblems(chapter(['<Question>\nWhat? <Answer>A.</Answer>\n</Question>\n', ...three.slice(1)])).join(), /must come last, on lines of its own/);
    assert.match(checkYourselfProblems(chapter([question('', 'A.'), ...three.slice(1)])).join(), /no text before/);
    assert.match(checkYourselfProblems(chapter([question('What?', ''), ...three.slice(1)])).join(), /empty <Answer>/);
  });

  test('rejects anything but questions inside, and questions outside', () => {
    assert.match(checkYourselfProblems(chapter(['Stray prose.\n', ...three])).join(), /other than a <Question>/);
    assert.match(checkYourselfProblems(chapter(three) + '\n' + question('Late?', 'Yes.')).join(), /outside <CheckYourself>/);
  });
});

describe('every chapter has its Check yourself', () => {
  const files = readdirSync(CHAPTERS).filter((f) => f.endsWith('.mdx')).sort();
  for (const file of files) {
    test(file, () => {
      assert.deepEqual(checkYourselfProblems(readFileSync(join(CHAPTERS, file), 'utf8')), [], `${file}: fix its "## Check yourself" section`);
    });
  }
});
