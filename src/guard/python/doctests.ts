import { parse, type SgNode } from '@ast-grep/napi';
import { sourceKey, withLazyForms } from '../tests/lazy-forms.ts';
import type { Assertion, InSourceTests, TestCase, TestMarker, TokenForm } from '../tests/test-case.ts';
import { joinTokenForms, tokenForm } from '../tests/token-form.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { lineOf } from './syntax.ts';
import { tokenRules } from './test-body.ts';

/** One `>>>` example of a docstring: its code, doctest's options for it, and the output it expects. */
interface Example {
  code: string;
  options: string;
  want: string;
  text: string;
  line: number;
}

const prompt = /^(\s*)>>>(?: |$)(.*)$/;
const directive = /#\s*doctest:\s*(.*)$/;
const definitionKinds = new Set(['function_definition', 'class_definition']);

/**
 * Python doctests: every docstring (module, class, function, method) with `>>>` examples is a test, titled
 * `doctest > Class > method`; each example is an assertion whose expected value is its output (with its
 * `# doctest:` options), so a removed example or a changed output line is a finding. `+SKIP` is a skip marker,
 * and the example no longer counts as an assertion.
 */
export const pythonDoctests: InSourceTests = {
  mayHold: (path) => path.endsWith('.py'),
  holds: (source) => source.includes('>>>'),
  parseTests: parseDoctests,
};

export function parseDoctests(path: string, source: string): TestCase[] {
  ensureTreeSitterLanguages();
  const root = parse(DynamicLanguages.python, source).root();
  const tests: TestCase[] = [];
  const visit = (body: SgNode, titles: string[]) => {
    const docstring = docstringOf(body);
    if (docstring) {
      const test = doctestOf(path, titles, docstring);
      if (test) tests.push(test);
    }
    for (const statement of body.children()) {
      const node = statement.kind() === 'decorated_definition' ? statement.field('definition') : statement;
      if (!node || !definitionKinds.has(String(node.kind()))) continue;
      const inner = node.field('body');
      // doctest looks into the functions and classes of a module and the methods of classes, not deeper.
      if (inner && (titles.length === 0 || node.kind() === 'class_definition' || isClassBody(body))) {
        visit(inner, [...titles, node.field('name')?.text() ?? '']);
      }
    }
  };
  visit(root, []);
  return tests;
}

function isClassBody(body: SgNode): boolean {
  return body.parent()?.kind() === 'class_definition';
}

/** The string a module, class or function body starts with. */
function docstringOf(body: SgNode): SgNode | undefined {
  const first = body.children().find((child) => child.kind() !== 'comment');
  if (first?.kind() !== 'expression_statement') return undefined;
  const [only, ...rest] = first.children().filter((child) => child.isNamed());
  // An f-string or a bytes literal there is no docstring: Python leaves `__doc__` None, and doctest finds nothing.
  return only?.kind() === 'string' && rest.length === 0 && /^[rRuU]?["']/.test(only.text()) ? only : undefined;
}

function doctestOf(path: string, titles: string[], docstring: SgNode): TestCase | undefined {
  const text = docstring.text();
  if (!text.includes('>>>')) return undefined;
  // Without its quotes; the first line stays the docstring's first, so example lines count from it.
  const content = text.replace(/^[A-Za-z]{0,2}("""|'''|"|')/, '').replace(/("""|'''|"|')$/, '');
  const examples = examplesOf(content, lineOf(docstring));
  if (examples.length === 0) return undefined;
  const markers: TestMarker[] = examples
    .filter((example) => /\+SKIP\b/.test(example.options))
    .map((example) => ({ kind: 'skip', text: `# doctest: ${example.options}`, line: example.line }));
  const counted = examples.filter((example) => !/\+SKIP\b/.test(example.options));
  const fields = {
    path,
    titles: ['doctest', ...(titles.length > 0 ? titles : ['(module)'])],
    line: lineOf(docstring),
    source: sourceKey('python doctest', text, false),
    markers,
  };
  return withLazyForms(fields, () => {
    const assertions = counted.map(assertionOf);
    return { body: joinTokenForms(assertions), assertions };
  });
}

/** The examples of a docstring as doctest reads them: `>>>` and `...` lines, then the output up to a blank line. */
function examplesOf(docstring: string, firstLine: number): Example[] {
  const lines = docstring.split('\n');
  const examples: Example[] = [];
  for (let index = 0; index < lines.length; ) {
    const start = prompt.exec(lines[index] ?? '');
    if (!start) {
      index += 1;
      continue;
    }
    const indent = start[1] ?? '';
    const code = [start[2] ?? ''];
    const at = index;
    index += 1;
    const continued = new RegExp(`^${indent}\\.\\.\\.(?: |$)(.*)$`);
    for (let more = continued.exec(lines[index] ?? ''); more; more = continued.exec(lines[index] ?? '')) {
      code.push(more[1] ?? '');
      index += 1;
    }
    const want: string[] = [];
    for (let line = lines[index]; line !== undefined && line.trim() !== '' && !prompt.test(line); line = lines[index]) {
      want.push((line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()).trimEnd());
      index += 1;
    }
    const options = code
      .map((line) => directive.exec(line)?.[1]?.trim() ?? '')
      .filter(Boolean)
      .join(' ');
    examples.push({
      code: code.map((line) => line.replace(directive, '')).join('\n'),
      options,
      want: want.join('\n').trim(),
      text: lines.slice(at, index).join('\n').trim(),
      line: firstLine + at,
    });
  }
  return examples;
}

/** An example's code as Python tokens (so reformatting it is no change), then its expected output as a value. */
function formOf(example: Example): TokenForm {
  ensureTreeSitterLanguages();
  const code = tokenForm(parse(DynamicLanguages.python, example.code).root(), tokenRules);
  const expected = `${example.options} ${example.want}`.trim();
  return {
    key: `>>> ${code.key} \u21d2 ${JSON.stringify(expected)}`,
    skeleton: `>>> ${code.skeleton} \u21d2 \u2047`,
    literals: [...code.literals, expected],
  };
}

function assertionOf(example: Example): Assertion {
  return { ...formOf(example), text: example.text, line: example.line };
}
