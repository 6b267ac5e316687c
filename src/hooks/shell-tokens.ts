/**
 * A shell command cut into words and operators the way sh would cut it, without running or expanding
 * anything. Words keep where `$name`, `${name}` and `$(...)` stood, so a caller that knows the variables
 * can expand them; operators are cut out wherever they stand (`echo x>f` is `echo`, `x`, `>`, `f`).
 */

/** A piece of a word: literal text, a variable to expand, or a command substitution (`$(...)`, backticks). */
export type WordPart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: string }
  | { kind: 'substitution'; command: string };

export type ShellToken =
  | { kind: 'word'; parts: WordPart[] }
  /** `body`: the text of a here-document, on its `<<` operator. */
  | { kind: 'operator'; operator: string; body?: string };

/** Control operators: they end a simple command. */
export const controlOperators = new Set([';', '&&', '||', '|', '|&', '&', '\n', '(', ')', ';;']);

const operators = [
  '&>>',
  '<<-',
  '<<<',
  '&&',
  '||',
  '|&',
  ';;',
  '>>',
  '>|',
  '>&',
  '&>',
  '<<',
  '<&',
  '<>',
  ';',
  '|',
  '&',
  '>',
  '<',
  '(',
  ')',
  '\n',
];

export function shellTokens(text: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  const pendingHereDocuments: { token: ShellToken & { kind: 'operator' }; stripTabs: boolean; delimiter?: string }[] =
    [];
  let parts: WordPart[] = [];
  let literal = '';
  let inWord = false;
  let index = 0;

  const flushLiteral = () => {
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  const endWord = () => {
    flushLiteral();
    if (inWord) {
      tokens.push({ kind: 'word', parts });
      const waiting = pendingHereDocuments.find((pending) => pending.delimiter === undefined);
      if (waiting) waiting.delimiter = wordText(parts);
    }
    parts = [];
    inWord = false;
  };
  /** `$name`, `${name...}`, `$(...)` at `index` (on the `$`); returns the index after it. */
  const dollar = (at: number): number => {
    const next = text[at + 1] ?? '';
    if (next === '(') {
      const end = closing(text, at + 1, '(', ')');
      flushLiteral();
      parts.push({ kind: 'substitution', command: text.slice(at + 2, end) });
      return end + 1;
    }
    if (next === '{') {
      const end = closing(text, at + 1, '{', '}');
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at + 2, end))?.[0];
      flushLiteral();
      parts.push(name ? { kind: 'variable', name } : { kind: 'text', text: text.slice(at, end + 1) });
      return end + 1;
    }
    const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(text.slice(at + 1))?.[0];
    if (!name) {
      literal += '$';
      return at + 1;
    }
    flushLiteral();
    parts.push({ kind: 'variable', name });
    return at + 1 + name.length;
  };

  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === "'") {
      const end = text.indexOf("'", index + 1);
      const stop = end === -1 ? text.length : end;
      literal += text.slice(index + 1, stop);
      inWord = true;
      index = stop + 1;
    } else if (char === '"') {
      inWord = true;
      index++;
      while (index < text.length && text[index] !== '"') {
        const inner = text[index] ?? '';
        if (inner === '\\' && index + 1 < text.length && '"\\$`\n'.includes(text[index + 1] ?? '')) {
          literal += text[index + 1];
          index += 2;
        } else if (inner === '$') index = dollar(index);
        else if (inner === '`') index = backtick(index);
        else {
          literal += inner;
          index++;
        }
      }
      index++;
    } else if (char === '\\' && index + 1 < text.length) {
      if (text[index + 1] !== '\n') literal += text[index + 1];
      inWord = true;
      index += 2;
    } else if (char === '$') {
      inWord = true;
      index = dollar(index);
    } else if (char === '`') {
      inWord = true;
      index = backtick(index);
    } else if (char === '#' && !inWord) {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end;
    } else if (char === ' ' || char === '\t' || char === '\r') {
      endWord();
      index++;
    } else {
      const operator = operators.find((candidate) => text.startsWith(candidate, index));
      if (!operator) {
        literal += char;
        inWord = true;
        index++;
        continue;
      }
      // `2>f`: a word of digits right before a redirection is the file descriptor, not an argument.
      if ((operator.startsWith('>') || operator.startsWith('<')) && parts.length === 0 && /^\d+$/.test(literal)) {
        literal = '';
        inWord = false;
      }
      endWord();
      const token: ShellToken & { kind: 'operator' } = { kind: 'operator', operator };
      tokens.push(token);
      index += operator.length;
      if (operator === '<<' || operator === '<<-') pendingHereDocuments.push({ token, stripTabs: operator === '<<-' });
      if (operator === '\n') index = readHereDocuments(index);
    }
  }
  endWord();
  return tokens;

  function backtick(at: number): number {
    const end = text.indexOf('`', at + 1);
    const stop = end === -1 ? text.length : end;
    flushLiteral();
    parts.push({ kind: 'substitution', command: text.slice(at + 1, stop) });
    return stop + 1;
  }

  /** After a newline: the bodies of the here-documents opened on the line before, up to their delimiters. */
  function readHereDocuments(from: number): number {
    let at = from;
    for (const pending of pendingHereDocuments.splice(0)) {
      const delimiter = pending.delimiter ?? '';
      const lines: string[] = [];
      while (at < text.length) {
        const end = text.indexOf('\n', at);
        const line = text.slice(at, end === -1 ? text.length : end);
        at = end === -1 ? text.length : end + 1;
        if ((pending.stripTabs ? line.replace(/^\t+/, '') : line) === delimiter) break;
        lines.push(line);
      }
      pending.token.body = lines.join('\n');
    }
    return at;
  }
}

/** The literal text of a word, with variables and substitutions written back as `$name` / `$(...)`. */
export function wordText(parts: readonly WordPart[]): string {
  return parts
    .map((part) =>
      part.kind === 'text' ? part.text : part.kind === 'variable' ? `$${part.name}` : `$(${part.command})`,
    )
    .join('');
}

/** The index of the bracket that closes the one at `open`, counting nesting; the end of the text if none. */
function closing(text: string, open: number, opening: string, closer: string): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text[index] === opening) depth++;
    else if (text[index] === closer && --depth === 0) return index;
  }
  return text.length;
}
