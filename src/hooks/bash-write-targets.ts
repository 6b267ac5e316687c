import { posix } from 'node:path';
import { type GitTreeChange, gitCommandWrites } from './git-command-writes.ts';
import { codeWriteTargets } from './interpreter-write-targets.ts';
import { controlOperators, type ShellToken, shellTokens, type WordPart, wordText } from './shell-tokens.ts';

/**
 * What a shell command would write, best effort. `files`: paths it writes, moves or deletes (relative to
 * where it starts, or absolute; a directory stands for every file in it). `trees`: git commands that rewrite
 * every tracked file differing between two revisions (`git reset --hard`, `git stash`); `to` absent means
 * the working tree. The caller resolves those against the repository.
 */
export interface ShellWrites {
  files: string[];
  trees: GitTreeChange[];
  /** `cp`/`mv`/`install`/`ln` destinations: into the folder if `destination` is one, else the file itself. */
  copies: Copy[];
}

export interface Copy {
  destination: string;
  sources: string[];
}

export type { GitTreeChange } from './git-command-writes.ts';

/**
 * Seen: redirections however they are spelled (`>f`, `1>>f`, `&>f`, `>|f`), `tee`, `cp`, `mv`, `rm`,
 * `truncate`, `dd of=`, `install`, `ln`, in-place editors (`sed -i`, `perl -pi`), git commands that rewrite
 * files (`checkout -- f`, `restore`, `reset --hard`, `stash`), interpreter one-liners (`python -c`,
 * `node -e`, here-documents fed to them) and nested shells (`bash -c`, `eval`, `$(...)`). Paths are
 * followed through variables assigned in the same command (`f=x; echo > "$f"`, `for f in ...`) and
 * `cd`. A determined agent gets around this (a script file, a variable from outside); the diff guard
 * behind it is the authority.
 */
export function shellWrites(command: string): ShellWrites {
  const scan = new ShellScan();
  scan.run(command);
  const files = [...new Set(scan.files.filter((target) => target !== '' && !target.startsWith('/dev/')))];
  return { files, trees: scan.trees, copies: scan.copies };
}

/** The files of `shellWrites` (copies' destinations taken as files), for callers that do not look at the disk. */
export function bashWriteTargets(command: string): string[] {
  const writes = shellWrites(command);
  return [...new Set([...writes.files, ...writes.copies.map((copy) => copy.destination)])];
}

const nestingLimit = 8;
const writingRedirects = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const overwriting = new Set(['tee', 'rm', 'unlink', 'truncate', 'shred']);
const inPlaceEditors = new Set(['sed', 'perl', 'ruby']);
const shells = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'busybox']);
/** Keywords in front of the real program. */
const prefixes = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', '}', 'done', 'fi']);
const declarations = new Set(['export', 'local', 'declare', 'readonly', 'typeset']);

/** Options whose next word is their value, not a file, by program. */
const scriptOptions = new Set(['-e', '-f', '--expression', '--file', '-E']);
const valueOptions: Record<string, ReadonlySet<string>> = {
  sed: scriptOptions,
  perl: scriptOptions,
  ruby: scriptOptions,
  truncate: new Set(['-s', '--size', '-r', '--reference']),
  install: new Set(['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory']),
  cp: new Set(['-t', '--target-directory']),
  mv: new Set(['-t', '--target-directory']),
  ln: new Set(['-t', '--target-directory']),
};

interface SimpleCommand {
  words: WordPart[][];
  redirects: { operator: string; target?: WordPart[]; body?: string }[];
}

class ShellScan {
  readonly files: string[] = [];
  readonly trees: GitTreeChange[] = [];
  readonly copies: Copy[] = [];
  private readonly variables = new Map<string, string[]>([['PWD', ['.']]]);
  private directory = '';

  private readonly depth: number;

  constructor(depth = 0) {
    this.depth = depth;
  }

  run(command: string): void {
    for (const simple of simpleCommands(shellTokens(command))) this.simple(simple);
  }

  private nested(command: string): void {
    if (this.depth >= nestingLimit) return;
    const inner = new ShellScan(this.depth + 1);
    for (const [name, values] of this.variables) inner.variables.set(name, values);
    inner.directory = this.directory;
    inner.run(command);
    this.files.push(...inner.files);
    this.trees.push(...inner.trees);
    this.copies.push(...inner.copies);
  }

  private write(...paths: string[]): void {
    for (const path of paths) if (path !== '' && !path.startsWith('~')) this.files.push(this.located(path));
  }

  /** A path as seen from where the command started, after the `cd`s before it. */
  private located(path: string): string {
    return this.directory && !posix.isAbsolute(path) ? posix.join(this.directory, path) : path;
  }

  /** Every way a word can expand, given the variables known so far. A substitution is scanned for writes. */
  private expand(parts: readonly WordPart[]): string[] {
    let results = [''];
    for (const part of parts) {
      if (part.kind === 'text') results = results.map((result) => result + part.text);
      else if (part.kind === 'substitution') {
        this.nested(part.command);
        results = results.map((result) => `${result}$(${part.command})`);
      } else {
        const values = this.variables.get(part.name) ?? [`$${part.name}`];
        results = results.flatMap((result) => values.map((value) => result + value));
      }
      if (results.length > 64) results = results.slice(0, 64);
    }
    return results;
  }

  private simple(command: SimpleCommand): void {
    let stdin: string | undefined;
    for (const redirect of command.redirects) {
      if (redirect.body !== undefined) stdin = redirect.body;
      if (!redirect.target) continue;
      const targets = this.expand(redirect.target);
      if (redirect.operator === '<<<') stdin = targets.join(' ');
      else if (writingRedirects.has(redirect.operator)) this.write(...targets);
      else if (redirect.operator === '>&') this.write(...targets.filter((target) => !/^(\d+|-)$/.test(target)));
    }
    const words = [...command.words];
    // Assignments and keywords in front of the program; `for f in a b` assigns every value it loops over.
    while (words.length > 0) {
      const text = wordText(words[0] ?? []);
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(text);
      if (text === 'for' && words.length >= 3 && wordText(words[2] ?? []) === 'in') {
        const name = wordText(words[1] ?? []);
        this.variables.set(
          name,
          words.slice(3).flatMap((word) => this.expand(word)),
        );
        return;
      }
      if (assignment?.[1] && words[0]?.[0]?.kind === 'text') {
        this.assign(assignment[1], words[0], assignment[0].length);
        words.shift();
      } else if (prefixes.has(text) || declarations.has(text)) words.shift();
      else break;
    }
    const args = words.flatMap((word) => this.expand(word));
    this.program(args, stdin);
  }

  private assign(name: string, word: readonly WordPart[], prefixLength: number): void {
    const [first, ...rest] = word;
    const value =
      first?.kind === 'text' ? [{ kind: 'text' as const, text: first.text.slice(prefixLength) }, ...rest] : rest;
    this.variables.set(name, this.expand(value));
  }

  private program(words: string[], stdin: string | undefined): void {
    const args = withoutRunners(words);
    const [name = '', ...rest] = args;
    const program = name.split('/').at(-1) ?? name;
    if (program === 'cd' || program === 'pushd') {
      const to = rest.find((word) => !word.startsWith('-')) ?? '';
      if (to && !to.startsWith('~')) this.directory = posix.isAbsolute(to) ? to : posix.join(this.directory, to);
      return;
    }
    if (program === 'eval') {
      this.nested(rest.join(' '));
      return;
    }
    if (shells.has(program)) {
      const code = optionValue(rest, ['-c']);
      if (code !== undefined) this.nested(code);
      else if (stdin !== undefined && !rest.some((word) => !word.startsWith('-'))) this.nested(stdin);
      return;
    }
    const code = interpreterCode(program, rest, stdin);
    if (code !== undefined) this.write(...codeWriteTargets(code));
    if (program === 'git') {
      const writes = gitCommandWrites(rest);
      this.write(...writes.files);
      this.trees.push(...writes.trees);
      return;
    }
    if (program === 'find') {
      this.write(...findTargets(rest));
      return;
    }
    const copy = copyOperands(program, rest);
    if (copy) this.copies.push({ destination: this.located(copy.destination), sources: copy.sources });
    this.write(...fileCommandTargets(program, rest));
  }
}

/** Programs that run the rest of their line: `sudo -u x rm f`, `env -i rm f`, `nice -n 5 rm f`. */
const runners = new Set(['sudo', 'env', 'nice', 'nohup', 'command', 'exec', 'builtin', 'time', 'doas', 'xargs']);
const runnerValueOptions = new Set(['-u', '-g', '-n', '-C', '--user', '--group', '--chdir']);

function withoutRunners(words: string[]): string[] {
  let start = 0;
  while (runners.has(words[start]?.split('/').at(-1) ?? '')) {
    start++;
    while ((words[start] ?? '').startsWith('-') || /^[A-Za-z_]\w*=/.test(words[start] ?? '')) {
      start += runnerValueOptions.has(words[start] ?? '') ? 2 : 1;
    }
  }
  return words.slice(start);
}

/** The files a file utility (`cp`, `sed -i`, `dd`, ...) writes, from its arguments. */
function fileCommandTargets(program: string, rest: string[]): string[] {
  const takesValue = valueOptions[program];
  const operands = rest.filter((word, index) => !word.startsWith('-') && !takesValue?.has(rest[index - 1] ?? ''));
  const targetDirectory = optionValue(rest, ['-t', '--target-directory']);
  if (overwriting.has(program)) return operands;
  // A move writes its sources away; a hard link shares the source's content, so writing it writes the source.
  if (program === 'mv') return targetDirectory === undefined ? operands.slice(0, -1) : operands;
  if (program === 'ln' && !rest.some((word) => /^-[A-Za-z]*s/.test(word) || word === '--symbolic')) {
    return targetDirectory === undefined ? operands.slice(0, -1) : operands;
  }
  if (program === 'dd') return rest.filter((word) => word.startsWith('of=')).map((word) => word.slice(3));
  if (
    inPlaceEditors.has(program) &&
    rest.some((word) => /^-[A-Za-z0-9]*i/.test(word) || word.startsWith('--in-place'))
  ) {
    // sed -i 's/a/b/' file…: without -e the first operand is the script.
    const scripted = rest.some((word) => scriptOptions.has(word) || /^-[A-Za-z0-9]*e$/.test(word));
    return scripted ? operands : operands.slice(1);
  }
  return [];
}

/**
 * `find` that deletes (`-delete`) or runs a writer on what it finds (`-exec sed -i ... {} +`): the files it
 * finds, as globs under its starting folders (`test/**` + `/*.test.js` with `-name '*.test.js'`).
 */
function findTargets(rest: string[]): string[] {
  const firstTest = rest.findIndex((word) => word.startsWith('-') || word === '(' || word === '!');
  const starts = firstTest === -1 ? rest : rest.slice(0, firstTest);
  const exec = rest.findIndex((word) => word === '-exec' || word === '-execdir' || word === '-ok');
  const execWords =
    exec === -1
      ? []
      : rest.slice(
          exec + 1,
          rest.findIndex((word, index) => index > exec && (word === ';' || word === '+')),
        );
  const [program = '', ...execArgs] = withoutRunners(execWords);
  const writes =
    rest.includes('-delete') || fileCommandTargets(program.split('/').at(-1) ?? program, execArgs).includes('{}');
  if (!writes) return [];
  const nameAt = rest.findIndex((word) => word === '-name' || word === '-path' || word === '-iname');
  const name = nameAt === -1 ? undefined : rest[nameAt + 1];
  const globbed = name === undefined ? '**' : rest[nameAt] === '-path' ? name : `**/${name}`;
  return (starts.length > 0 ? starts : ['.']).map((start) =>
    rest[nameAt] === '-path' ? globbed : posix.join(start, globbed),
  );
}

/** Where `cp`, `mv`, `install` and `ln` put their sources. */
function copyOperands(program: string, rest: string[]): Copy | undefined {
  if (!['cp', 'mv', 'install', 'ln'].includes(program)) return undefined;
  const takesValue = valueOptions[program];
  const operands = rest.filter((word, index) => !word.startsWith('-') && !takesValue?.has(rest[index - 1] ?? ''));
  const targetDirectory = optionValue(rest, ['-t', '--target-directory']);
  if (targetDirectory !== undefined) return { destination: `${targetDirectory}/`, sources: operands };
  const destination = operands.at(-1);
  return destination === undefined || operands.length < 2 ? undefined : { destination, sources: operands.slice(0, -1) };
}

const codeOptions: Record<string, readonly string[]> = {
  python: ['-c'],
  node: ['-e', '--eval', '-p', '--print'],
  bun: ['-e', '--eval', '-p', '--print'],
  deno: ['eval'],
  perl: ['-e', '-E'],
  ruby: ['-e'],
  php: ['-r'],
};

/** The program text an interpreter runs from its command line or a here-document, if that is where it is. */
function interpreterCode(program: string, rest: string[], stdin: string | undefined): string | undefined {
  const family = /^python[0-9.]*$/.test(program) ? 'python' : program === 'nodejs' ? 'node' : program;
  const options = codeOptions[family];
  if (!options) return undefined;
  const inline = optionValue(rest, options);
  if (inline !== undefined) return inline;
  // perl -pie 's/../../' or -ne: the code follows a bundle of single-letter flags ending in e.
  const bundled = rest.findIndex((word) => (family === 'perl' || family === 'ruby') && /^-[A-Za-z0-9]*e$/.test(word));
  if (bundled !== -1) return rest[bundled + 1];
  const script = rest.find((word) => !word.startsWith('-'));
  return script === undefined || script === '-' ? stdin : undefined;
}

/** The word after the first of `options` (`-c code`), or glued to it (`--eval=code`). */
function optionValue(words: readonly string[], options: readonly string[]): string | undefined {
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    if (options.includes(word)) return words[index + 1];
    const glued = options.find((option) => option.startsWith('--') && word.startsWith(`${option}=`));
    if (glued) return word.slice(glued.length + 1);
  }
  return undefined;
}

/** Group tokens into simple commands: the words and redirections between control operators. */
function simpleCommands(tokens: readonly ShellToken[]): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let current: SimpleCommand = { words: [], redirects: [] };
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token) continue;
    if (token.kind === 'word') current.words.push(token.parts);
    else if (controlOperators.has(token.operator)) {
      commands.push(current);
      current = { words: [], redirects: [] };
    } else {
      const next = tokens[index + 1];
      const target = next?.kind === 'word' ? next.parts : undefined;
      if (target) index++;
      current.redirects.push({ operator: token.operator, target, body: token.body });
    }
  }
  commands.push(current);
  return commands.filter((command) => command.words.length > 0 || command.redirects.length > 0);
}

/** Split like a POSIX shell would, without expanding anything: quotes group, backslashes escape. */
export function shellWords(text: string): string[] {
  return shellTokens(text).flatMap((token) => (token.kind === 'word' ? [wordText(token.parts)] : []));
}
