/**
 * The files a shell command would write, best effort: redirections (`> f`, `>> f`), in-place editors
 * (`sed -i`, `perl -pi`), and commands that overwrite, move or delete their arguments (`tee`, `cp`, `mv`,
 * `rm`, `truncate`, `git rm`, `git mv`). A determined agent gets around this (an interpreter, a script
 * file); the diff guard behind it is the real defence.
 */
export function bashWriteTargets(command: string): string[] {
  const targets: string[] = [];
  for (const segment of command.split(/&&|\|\||[;|\n&]/)) {
    const words = shellWords(segment);
    targets.push(...redirectTargets(words));
    const args = words.filter(
      (word, index) => !isRedirect(word) && !isGluedRedirect(word) && !isRedirect(words[index - 1] ?? ''),
    );
    targets.push(...commandTargets(withoutPrefix(args)));
  }
  return [...new Set(targets.filter((target) => target !== '' && !target.startsWith('/dev/')))];
}

const overwriting = new Set(['tee', 'rm', 'unlink', 'truncate', 'shred']);
const inPlaceEditors = new Set(['sed', 'perl', 'ruby']);

/** Options whose next word is their value, not a file, by program. */
const scriptOptions = new Set(['-e', '-f', '--expression', '--file']);
const valueOptions: Record<string, ReadonlySet<string>> = {
  sed: scriptOptions,
  perl: scriptOptions,
  ruby: scriptOptions,
  truncate: new Set(['-s', '--size', '-r', '--reference']),
};

function commandTargets(words: string[]): string[] {
  const [name = '', ...rest] = words;
  const program = name.split('/').at(-1) ?? name;
  const takesValue = valueOptions[program];
  const operands = rest.filter((word, index) => !word.startsWith('-') && !takesValue?.has(rest[index - 1] ?? ''));
  if (overwriting.has(program)) return operands;
  if (program === 'mv') return operands;
  if (program === 'cp' || program === 'install' || program === 'ln') return operands.slice(-1);
  if (program === 'dd') return rest.filter((word) => word.startsWith('of=')).map((word) => word.slice(3));
  if (inPlaceEditors.has(program) && rest.some((word) => /^-[A-Za-z]*i/.test(word) || word.startsWith('--in-place'))) {
    // sed -i 's/a/b/' file…: without -e the first operand is the script.
    const scripted = rest.some((word) => word === '-e' || word === '--expression');
    return scripted ? operands : operands.slice(1);
  }
  if (program === 'git' && (rest[0] === 'rm' || rest[0] === 'mv')) return operands.slice(1);
  return [];
}

function redirectTargets(words: string[]): string[] {
  const targets: string[] = [];
  words.forEach((word, index) => {
    if (isRedirect(word)) targets.push(words[index + 1] ?? '');
    const glued = /^\d*>>?([^>&].*)$/.exec(word);
    if (glued?.[1]) targets.push(glued[1]);
  });
  return targets;
}

function isGluedRedirect(word: string): boolean {
  return /^\d*>>?[^>&]/.test(word);
}

function isRedirect(word: string): boolean {
  return /^\d*>>?$/.test(word) || word === '>|';
}

/** Drop `sudo`, `env`, `VAR=value` and `command` in front of the real program. */
function withoutPrefix(words: string[]): string[] {
  let start = 0;
  while (start < words.length) {
    const word = words[start] ?? '';
    if (word === 'sudo' || word === 'env' || word === 'command' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) start++;
    else break;
  }
  return words.slice(start);
}

/** Split like a POSIX shell would, without expanding anything: quotes group, backslashes escape. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < text.length) current += text[++index];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < text.length) {
      current += text[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}
