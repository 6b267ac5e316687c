import type { SgNode } from '@ast-grep/napi';
import type { Assertion } from '../tests/test-case.ts';

// As `go test` reads it: the last comment group of an example's body, when it starts with "Output:".
const outputHeader = /^\s*((?:unordered )?output:)/i;

/**
 * The `// Output:` comment of an example function as an assertion (the printed text is its expected value),
 * or undefined when the example has none: `go test` then only compiles it.
 */
export function exampleOutputOf(body: SgNode): Assertion | undefined {
  const source = body.getRoot().root().text();
  const group: SgNode[] = [];
  for (const comment of body.findAll({ rule: { kind: 'comment' } }).toReversed()) {
    const first = group[0];
    if (first && (comment.range().end.line + 1 < first.range().start.line || isTrailing(comment, source))) break;
    group.unshift(comment);
    if (isTrailing(comment, source)) break;
  }
  const lines = group.flatMap((comment) => commentLines(comment.text()));
  const header = outputHeader.exec(lines[0] ?? '');
  if (!header?.[1] || !group[0]) return undefined;
  const label = header[1].toLowerCase();
  const expected = [(lines[0] ?? '').slice(header[0].length), ...lines.slice(1)]
    .map((line) => line.trim())
    .join('\n')
    .trim();
  return {
    key: `${label} ${expected}`,
    skeleton: `${label} \u2047`,
    literals: [expected],
    text: group.map((comment) => comment.text()).join('\n'),
    line: group[0].range().start.line + 1,
  };
}

/** A comment after code on its line (`f() // note`) is a group of its own. */
function isTrailing(comment: SgNode, source: string): boolean {
  const start = comment.range().start.index;
  return source.slice(source.lastIndexOf('\n', start - 1) + 1, start).trim() !== '';
}

function commentLines(text: string): string[] {
  if (text.startsWith('//')) return [text.slice(2)];
  return text.slice(2, -2).split('\n');
}
