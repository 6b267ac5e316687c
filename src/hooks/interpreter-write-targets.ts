import { posix } from 'node:path';

/**
 * The files a one-line program (Python, Node, Perl, Ruby, PHP, as in `python -c` or `node -e`) writes,
 * moves or deletes, where its calls name them with string literals, variables assigned a literal in the
 * same program, concatenations or path joins of those. Reading calls are not writes: `open('f')` and
 * `readFileSync('f')` name nothing.
 */
export function codeWriteTargets(code: string): string[] {
  const variables = literalAssignments(code);
  const targets: string[] = [];
  for (const writing of writingCalls) {
    for (const match of code.matchAll(writing.pattern)) {
      const args = callArguments(code, (match.index ?? 0) + match[0].length);
      const values = args.map((arg) => evaluate(arg, variables));
      targets.push(...writing.targets(values, args));
    }
  }
  for (const match of code.matchAll(receiverWrites)) {
    const file = evaluate(match[1] ?? '', variables);
    const args = callArguments(code, (match.index ?? 0) + match[0].length);
    const opens = match[0].replace(/\s/g, '').endsWith('.open(');
    if (file !== undefined && (!opens || writesMode(evaluate(args[0] ?? '', variables)))) targets.push(file);
  }
  return [...new Set(targets.filter((target) => target !== ''))];
}

type Value = string | undefined;

interface WritingCall {
  /** Matches up to the opening of the argument list (a `(` or the space after a Perl/Ruby function). */
  pattern: RegExp;
  targets(values: readonly Value[], args: readonly string[]): string[];
}

const defined = (values: readonly Value[]): string[] => values.filter((value): value is string => value !== undefined);
const writesMode = (mode: Value) => mode !== undefined && /[wax+>]/.test(mode);
/** `mode='w'` or `flag: 'a'` among the arguments, as Python and Node name it. */
const namedMode = (args: readonly string[], values: readonly Value[]) =>
  values.find((_, index) => /^\s*(?:mode|flags?)\s*[=:]/.test(args[index] ?? ''));

/** Receivers whose methods of these names touch files (`os.remove`, `fs.promises.rm`, `FileUtils.mv`). */
const fileModules = '(?:(?:fs|fsp|promises|os|shutil|Deno|Bun|File|IO|FileUtils|pathlib)\\.)*';
/** A call of one of `names`, bare or on a file module, not a method of some other object (`list.remove`). */
const call = (names: string) => new RegExp(`(?<![\\w$.])${fileModules}(?:${names})\\s*\\(`, 'g');
/** Names no other API uses: a call on any receiver counts. */
const distinctive = (names: string) => new RegExp(`(?<![\\w$])(?:${names})\\s*\\(`, 'g');
/** Either pattern. */
const either = (first: RegExp, second: RegExp) => new RegExp(`${first.source}|${second.source}`, 'g');
/** A Perl filehandle: `my $fh`, `$fh`, `FH`. */
const perlHandle = /^(?:(?:my|our|local)\s+)?\$\w+$|^[A-Z_]+$/;

const writingCalls: WritingCall[] = [
  {
    // open(f, 'w') in Python, fs.open/openSync(f, 'w') in Node, open(my $fh, '>', f) in Perl.
    pattern: either(call('open'), distinctive('openSync')),
    targets: (values, args) => {
      if (perlHandle.test(args[0] ?? '')) return perlTargets(values, args);
      const mode = namedMode(args, values) ?? values[1];
      const flags = /O_(?:WRONLY|RDWR|TRUNC|APPEND|CREAT)/.test(args[1] ?? '');
      return writesMode(mode) || flags ? defined([values[0]]) : [];
    },
  },
  {
    pattern: call('truncate|unlink|rmdir|rm_rf|rm_f|rm|rmtree|remove|delete|write'),
    targets: (values) => defined([values[0]]),
  },
  {
    pattern: distinctive(
      'writeFile|writeFileSync|appendFile|appendFileSync|writeTextFile|writeTextFileSync|truncateSync|unlinkSync|rmSync|rmdirSync|createWriteStream',
    ),
    targets: (values) => defined([values[0]]),
  },
  {
    // Moves write both ends.
    pattern: either(call('rename|replace|move|mv'), distinctive('renameSync')),
    targets: (values) => defined([values[0], values[1]]),
  },
  {
    // Copies and hard links write their destination.
    pattern: either(call('copyFile|copy|copy2|copyfile|copytree|cp|link'), distinctive('copyFileSync|cpSync|linkSync')),
    targets: (values) => defined([values[1]]),
  },
  {
    // Perl without parentheses: open my $fh, '>', 'f'; unlink 'f'; rename 'a', 'b'.
    pattern: /(?<![\w$.])open\s+(?=[$A-Z]|my\s|our\s)|(?<![\w$.])(?:unlink|rename)\s+(?=['"$])/g,
    targets: (values, args) => (perlHandle.test(args[0] ?? '') ? perlTargets(values, args) : defined(values)),
  },
];

/** pathlib and friends: the receiver is the file (`Path('f').write_text(s)`, `p.unlink()`). */
const receiverWrites =
  /(Path\s*\((?:[^()]|\([^()]*\))*\)|\$?[A-Za-z_]\w*)\s*\.\s*(?:write_text|write_bytes|unlink|rmdir|rename|replace|open)\s*\(/g;

function perlTargets(values: readonly Value[], args: readonly string[]): string[] {
  if (args.length >= 3) return writesMode(values[1]) ? defined([values[2]]) : [];
  if (args.length === 2) {
    const spec = values[1] ?? '';
    const file = /^\s*(?:\+?>>?|\+<)\s*(.+)$/.exec(spec)?.[1];
    return file ? [file.trim()] : [];
  }
  return defined(values);
}

/** `name = 'literal'` (Python, JS `const`/`let`/`var`, Perl `my $name`, Ruby) anywhere in the program. */
function literalAssignments(code: string): Map<string, string> {
  const variables = new Map<string, string>();
  const assignment = /(?:\b(?:const|let|var|my|our)\s+)?(\$?[A-Za-z_][\w]*)\s*=(?![=~>])\s*/g;
  for (const match of code.matchAll(assignment)) {
    const start = (match.index ?? 0) + match[0].length;
    const expression = expressionAt(code, start);
    const value = evaluate(expression, variables);
    if (value !== undefined && match[1]) variables.set(match[1], value);
  }
  return variables;
}

/** The arguments of a call whose list starts at `start` (after `(`, or after a Perl function's name). */
function callArguments(code: string, start: number): string[] {
  const parenthesised = code[start - 1] === '(';
  const args: string[] = [];
  let current = '';
  let depth = 0;
  for (let index = start; index < code.length; index++) {
    const char = code[index] ?? '';
    if (char === '"' || char === "'" || char === '`') {
      const end = stringEnd(code, index);
      current += code.slice(index, end + 1);
      index = end;
      continue;
    }
    if ('([{'.includes(char)) depth++;
    if (')]}'.includes(char)) {
      if (depth === 0) break;
      depth--;
    }
    if (
      depth === 0 &&
      !parenthesised &&
      (char === ';' || char === '\n' || /^\s+(?:or|and|\|\||&&)\b/.test(code.slice(index, index + 5)))
    )
      break;
    if (depth === 0 && char === ',') {
      args.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim() !== '') args.push(current.trim());
  return args;
}

/** The expression that starts at `start` and ends at a `;`, a newline or a comma outside brackets. */
function expressionAt(code: string, start: number): string {
  let depth = 0;
  for (let index = start; index < code.length; index++) {
    const char = code[index] ?? '';
    if (char === '"' || char === "'" || char === '`') index = stringEnd(code, index);
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) {
      if (depth === 0) return code.slice(start, index);
      depth--;
    } else if (depth === 0 && (char === ';' || char === '\n' || char === ',')) return code.slice(start, index);
  }
  return code.slice(start);
}

function stringEnd(code: string, open: number): number {
  const quote = code[open];
  for (let index = open + 1; index < code.length; index++) {
    if (code[index] === '\\') index++;
    else if (code[index] === quote) return index;
  }
  return code.length;
}

/** The string an expression stands for, when it is built from literals and known variables only. */
function evaluate(expression: string, variables: ReadonlyMap<string, string>): Value {
  const text = expression.trim().replace(/^(?:file|path|filename|mode|flags?)\s*[=:]\s*/, '');
  const literal = /^(?:[rbu]|rb|br)?(['"`])((?:\\.|(?!\1).)*)\1$/s.exec(text);
  if (literal) {
    const body = literal[2] ?? '';
    if (literal[1] === '`' && body.includes('${')) return undefined;
    return body.replace(/\\(.)/g, '$1');
  }
  if (/^\$?[A-Za-z_]\w*$/.test(text)) return variables.get(text);
  const wrapped = /^(?:(?:pathlib\.)?Path|String|str|resolve|(?:os\.)?path\.(?:join|resolve)|join)\s*\((.*)\)$/s.exec(
    text,
  );
  if (wrapped) {
    const parts = splitTopLevel(wrapped[1] ?? '', ',').map((part) => evaluate(part, variables));
    return parts.every((part) => part !== undefined) && parts.length > 0
      ? posix.join(...(parts as string[]))
      : undefined;
  }
  const pieces = splitTopLevel(text, '+');
  const dotted = pieces.length > 1 ? pieces : splitTopLevel(text, '.');
  if (dotted.length > 1) {
    const parts = dotted.map((part) => evaluate(part, variables));
    return parts.every((part) => part !== undefined) ? parts.join('') : undefined;
  }
  return undefined;
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (char === '"' || char === "'" || char === '`') {
      const end = stringEnd(text, index);
      current += text.slice(index, end + 1);
      index = end;
      continue;
    }
    if ('([{'.includes(char)) depth++;
    if (')]}'.includes(char)) depth--;
    if (depth === 0 && char === separator) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
