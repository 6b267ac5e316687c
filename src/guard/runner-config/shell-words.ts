/** A word or a control operator of a shell command line, quotes removed. */
export interface ShellToken {
  text: string;
  operator: boolean;
}

/** One command of a command line, with what (if anything) keeps its failure from failing the whole line. */
export interface SimpleCommand {
  words: string[];
  /** `|| true`, `; echo done`, `| tee out.txt`, `the "-" prefix`: undefined when a failure still fails the line. */
  maskedBy: string | undefined;
}

// Longest first, so `||` is not read as two pipes.
const controlOperators = ['&&', '||', ';;', '|&', ';', '|', '&', '\n'];
const listSeparators = new Set([';', ';;', '&', '\n']);

/**
 * Split a command line into words and control operators the way a POSIX shell would, without expanding
 * anything: quotes and backslashes are honoured, `$(...)`, globs and variables stay as written.
 */
export function shellTokens(line: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) tokens.push({ text: word, operator: false });
    word = '';
    inWord = false;
  };
  for (let index = 0; index < line.length; index++) {
    const char = line.charAt(index);
    if (char === '\\') {
      if (line.charAt(index + 1) !== '\n') word += line.charAt(index + 1);
      inWord = true;
      index++;
    } else if (char === "'") {
      const end = line.indexOf("'", index + 1);
      const close = end === -1 ? line.length : end;
      word += line.slice(index + 1, close);
      inWord = true;
      index = close;
    } else if (char === '"') {
      index = readDoubleQuoted(line, index + 1, (text) => {
        word += text;
      });
      inWord = true;
    } else if (char === '#' && !inWord) {
      const end = line.indexOf('\n', index);
      index = end === -1 ? line.length : end - 1;
    } else if (char === '&' && (/[<>]$/.test(word) || line.charAt(index + 1) === '>')) {
      // `2>&1` and `&>file` are redirections, not a background `&`.
      word += char;
      inWord = true;
    } else if (/\s/.test(char) && char !== '\n') {
      endWord();
    } else {
      const operator = controlOperators.find((candidate) => line.startsWith(candidate, index));
      if (operator) {
        endWord();
        tokens.push({ text: operator, operator: true });
        index += operator.length - 1;
      } else {
        word += char;
        inWord = true;
      }
    }
  }
  endWord();
  return tokens;
}

/** Read a double-quoted string from `start` (after the quote); returns the index of the closing quote. */
function readDoubleQuoted(line: string, start: number, append: (text: string) => void): number {
  let index = start;
  while (index < line.length && line.charAt(index) !== '"') {
    const char = line.charAt(index);
    if (char === '\\' && '"\\$`'.includes(line.charAt(index + 1))) {
      append(line.charAt(index + 1));
      index += 2;
    } else {
      append(char);
      index++;
    }
  }
  return index;
}

/**
 * The simple commands of a tokenized line, each with what masks its failure: a later `||` in the same
 * and-or list, a `;` or `&` after it, or a pipe into another command. Commands after an `exit` never run
 * and are left out.
 */
export function simpleCommands(tokens: readonly ShellToken[]): SimpleCommand[] {
  const parts: { words: string[]; operator: string | undefined }[] = [{ words: [], operator: undefined }];
  for (const token of tokens) {
    const current = parts.at(-1);
    if (!current) continue;
    if (!token.operator) current.words.push(token.text);
    else if (current.words.length > 0) {
      current.operator = token.text;
      parts.push({ words: [], operator: undefined });
    }
  }
  const commands = parts.filter((part) => part.words.length > 0);
  const masked = commands.map((part, index) => {
    const next = commands[index + 1];
    if (!next || part.operator === undefined) return undefined;
    if (part.operator === '|' || part.operator === '|&') return `| ${next.words.join(' ')}`;
    if (listSeparators.has(part.operator)) return `${part.operator.trim() || ';'} ${next.words.join(' ')}`;
    return laterOrBranch(commands, index);
  });
  const exit = commands.findIndex((part) => part.words[0] === 'exit');
  const running = exit === -1 ? commands : commands.slice(0, exit + 1);
  return running.map((part, index) => ({ words: part.words, maskedBy: masked[index] }));
}

/** `|| next` when a `||` follows command `index` within its and-or list (before the next `;`, `&` or newline). */
function laterOrBranch(commands: readonly { words: string[]; operator: string | undefined }[], index: number) {
  for (let later = index; later < commands.length - 1; later++) {
    const operator = commands[later]?.operator;
    if (operator === undefined || listSeparators.has(operator)) return undefined;
    if (operator === '||') return `|| ${commands[later + 1]?.words.join(' ') ?? ''}`;
  }
  return undefined;
}

/** A word as a shell would need it written: quoted when it holds spaces or shell syntax. */
export function quoteWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
