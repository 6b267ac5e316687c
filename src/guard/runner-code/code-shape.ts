import { parse, type SgNode } from '@ast-grep/napi';
import { languageOf } from '../js/test-files.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';

/** One token of code as it counts for a change: comments dropped, strings by content. */
interface CodeToken {
  text: string;
  line: number;
}

/**
 * The tokens of a source file, so that reformatting, comments, quote style and trailing commas change
 * nothing: JS/TS and Python by their syntax tree, other files (`.pth`, `.json`) by their non-comment words.
 */
export function codeTokens(path: string, source: string): CodeToken[] {
  if (path.endsWith('.py')) {
    ensureTreeSitterLanguages();
    return treeTokens(parse(DynamicLanguages.python, source).root());
  }
  if (/\.[cm]?[jt]sx?$/.test(path)) return treeTokens(parse(languageOf(path), source).root());
  return source.split(/\r?\n/).flatMap((text, index) =>
    text
      .replace(/(?:^|\s)#.*$/, '')
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => ({ text: word, line: index + 1 })),
  );
}

function treeTokens(root: SgNode): CodeToken[] {
  const tokens: CodeToken[] = [];
  const visit = (node: SgNode) => {
    const kind = node.kind();
    if (kind === 'comment') return;
    const children = node.children();
    if (kind === 'string' || kind === 'template_string' || children.length === 0) {
      const text = kind === 'string' ? stringContent(node.text()) : node.text();
      if (text !== '') tokens.push({ text, line: node.range().start.line + 1 });
      return;
    }
    for (const child of children) visit(child);
  };
  visit(root);
  // A trailing comma before a closing bracket is formatting, and so are semicolons (JS inserts them itself).
  return tokens.filter(
    (token, index) => token.text !== ';' && !(token.text === ',' && /^[)\]}]$/.test(tokens[index + 1]?.text ?? '')),
  );
}

function stringContent(text: string): string {
  const match = /^([A-Za-z]{0,2})("""|'''|["'])([\s\S]*)\2$/.exec(text);
  return match ? `${match[1]?.toLowerCase() ?? ''}"${match[3] ?? ''}"` : text;
}

/** The first line of `after` whose code differs from `before`; undefined when only formatting changed. */
export function firstCodeChange(path: string, before: string, after: string): number | undefined {
  const was = codeTokens(path, before);
  const now = codeTokens(path, after);
  const length = Math.max(was.length, now.length);
  for (let index = 0; index < length; index++) {
    if (was[index]?.text !== now[index]?.text) return now[index]?.line ?? now.at(-1)?.line ?? 1;
  }
  return undefined;
}
