import { shellTokens } from './shell-words.ts';

/** The arguments of one command, read without knowing the program: options by name, and the other words. */
export interface CommandArgs {
  /** The program after wrappers (`npx`, `python -m`, `uv run`) and `VAR=value` words. */
  program: string;
  options: Map<string, string[]>;
  /** Words that are no option nor option value: test files, directories, name filters, subcommands. */
  positionals: string[];
}

/**
 * Options of test runners (jest, vitest, mocha, ava, pytest, go test, cargo test, node --test) that leave tests
 * out, run only some, or let an empty or failing run pass. `narrows` says which values count (`-p no:x`).
 */
const narrowingOptions: Record<string, (value: string) => boolean> = Object.fromEntries([
  ...[
    '-t',
    '--testNamePattern',
    '--testPathPattern',
    '--testPathPatterns',
    '--testPathIgnorePatterns',
    '--grep',
    '--match',
    '-g',
    '--fgrep',
    '-f',
    '--invert',
    '--exclude',
    '--project',
    '--shard',
    '--passWithNoTests',
    '--onlyChanged',
    '-o',
    '--changed',
    '--changedSince',
    '--related',
    '--findRelatedTests',
    '--lastCommit',
    '--onlyFailures',
    '--test-name-pattern',
    '--test-skip-pattern',
    '--test-only',
    '-k',
    '-m',
    '--deselect',
    '--ignore',
    '--ignore-glob',
    '--collect-only',
    '--co',
    // pytest runs the fixtures' setup, or prints its plan, and no test; jest and mocha only list the tests.
    '--setup-only',
    '--setup-plan',
    '--listTests',
    '--dry-run',
    '--testFailureExitCode',
    '--dangerouslyIgnoreUnhandledErrors',
    '--continue-on-collection-errors',
    '--lf',
    '--last-failed',
    '--sw-skip',
    '--stepwise-skip',
    '--suppress-no-test-exit-code',
    '-run',
    '-skip',
    '-short',
    '--skip',
    '--exact',
    '--ignored',
    '--lib',
    '--bins',
    '--doc',
    '--ignore-errors',
    // Snapshots rewritten on every run (ava, jest, vitest; see `runnerOnly`): they can never fail.
    '-u',
    '--update-snapshots',
    '--updateSnapshot',
    '--update',
    // Python run with `-O` (or PYTHONOPTIMIZE set): `assert` statements are compiled out, so they check nothing
    // (pytest rewrites the asserts of its test modules, so see `notUnderPytest`).
    '-O',
    '-OO',
  ].map((name) => [name, () => true]),
  // Turning off the cache plugin changes no result; turning off any other plugin may drop checks.
  ['-p', (value: string) => value.startsWith('no:') && value !== 'no:cacheprovider'],
]);

/** Options whose value is the next word (when not written `--name=value`). */
const valueOptions = new Set([
  ...['-t', '--testNamePattern', '--testPathPattern', '--testPathPatterns', '--testPathIgnorePatterns', '--grep'],
  // ava's title filter.
  '--match',
  ...['-g', '--fgrep', '-f', '--exclude', '--project', '--shard', '--changedSince', '-k', '-m', '--deselect'],
  ...['--ignore', '--ignore-glob', '-p', '-o', '-run', '-skip', '--skip', '--test-name-pattern'],
  ...['--test-skip-pattern', '--reporter', '--config', '-c', '--environment', '--pool', '--maxWorkers'],
  ...['--testTimeout', '--timeout', '--outputFile', '--dir', '--root', '--workers', '-n', '--tb', '--cov'],
  ...['--cov-report', '--maxfail', '-j', '--jobs', '-timeout', '-count', '-parallel', '-coverprofile', '--features'],
  ...['--package', '--bin', '--target', '--test-threads', '-r', '--require', '--ui', '--spec'],
  // pytest and its common plugins (xdist, rerunfailures, cov, html): options whose value is no test path.
  ...['--dist', '--numprocesses', '--durations', '--junitxml', '--junit-xml', '--rootdir', '--basetemp', '-W'],
  ...['--log-level', '--color', '--capture', '--import-mode', '--reruns', '--cov-config', '--cov-fail-under', '--html'],
  // Options that preload code (judged by runner-code-loaded): their value is no test path.
  ...['--import', '--loader', '--experimental-loader', '--env-file', '--conditions', '--preload', '--file'],
  ...['--setupFiles', '--setupFilesAfterEnv', '--globalSetup', '--globalTeardown', '--testEnvironment'],
]);

/** Words that prefix the real program: `npx vitest`, `python -m pytest`, `uv run pytest`. */
const wrappers: readonly string[][] = [
  ['npx'],
  ['bunx'],
  ['env'],
  ['npm', 'exec'],
  ['pnpm', 'exec'],
  ['pnpm', 'dlx'],
  ['yarn', 'exec'],
  ['uv', 'run'],
  ['poetry', 'run'],
  ['pipenv', 'run'],
  ['hatch', 'run'],
  ['python', '-m'],
  ['python3', '-m'],
];

/** Subcommands that choose a mode, not tests: `vitest run`, `npm test`, `npm run`. */
const neutralWords = new Set(['run', 'test', 'exec', 'watch', '--']);

const redirection = /^\d*(?:[<>]|&>)/;

/** Parse the words of one simple command. */
export function commandArgs(words: readonly string[]): CommandArgs {
  const firstWord = words.findIndex((word) => !/^[A-Za-z_]\w*=/.test(word));
  const assignments = firstWord === -1 ? words : words.slice(0, firstWord);
  let rest = firstWord === -1 ? [] : words.slice(firstWord);
  // `python -O -m pytest`: the interpreter's own options come before `-m`.
  const interpreterOptions: string[] = [];
  for (let unwrapped = true; unwrapped; ) {
    unwrapped = false;
    if (/^python[\d.]*$/.test(rest[0] ?? '') && /^-O+$/.test(rest[1] ?? '')) {
      interpreterOptions.push(rest[1] ?? '');
      rest = [rest[0] ?? '', ...rest.slice(2)];
    }
    for (const prefix of wrappers) {
      if (prefix.every((word, index) => rest[index] === word) && rest.length > prefix.length) {
        rest = rest.slice(prefix.length);
        unwrapped = true;
      }
    }
  }
  const [program = '', ...commandWords] = rest;
  const args = [...interpreterOptions, ...environmentOptions(assignments), ...commandWords];
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  const addOption = (name: string, value: string) => options.set(name, [...(options.get(name) ?? []), value]);
  for (let index = 0; index < args.length; index++) {
    const word = args[index] ?? '';
    if (redirection.test(word)) {
      if (/^\d*(?:[<>]+|&>)&?$/.test(word)) index++;
    } else if (word.startsWith('-') && word !== '-' && word !== '--') {
      const [name, value] = splitOption(word, /(?:^|\/)go$/.test(program));
      if (value !== undefined) addOption(name, value);
      else if (valueOptions.has(name) && index + 1 < args.length) addOption(name, args[++index] ?? '');
      else addOption(name, '');
    } else if (!neutralWords.has(word)) {
      positionals.push(word);
    }
  }
  return { program, options, positionals };
}

/**
 * Options given through the environment of the command: `GOFLAGS=-run=X go test`, `PYTEST_ADDOPTS='-k x' pytest`
 * (the runner reads them as if written on its command line) and `PYTHONOPTIMIZE=1`, which is `python -O`.
 */
function environmentOptions(assignments: readonly string[]): string[] {
  return assignments.flatMap((word) => {
    const equals = word.indexOf('=');
    const name = word.slice(0, equals);
    const value = word.slice(equals + 1).trim();
    if (name === 'GOFLAGS' || name === 'PYTEST_ADDOPTS') {
      return shellTokens(value)
        .filter((token) => !token.operator)
        .map((token) => token.text);
    }
    if (name === 'PYTHONOPTIMIZE') return value !== '' && value !== '0' ? ['-O'] : [];
    return [];
  });
}

/** `--name=value` and `-kvalue` (a known short option glued to its value); a bare option has no value. */
function splitOption(word: string, go: boolean): [string, string | undefined] {
  const equals = word.indexOf('=');
  if (word.startsWith('--') && equals > 0) return [word.slice(0, equals), word.slice(equals + 1)];
  if (valueOptions.has(word) || word in narrowingOptions) return [word, undefined];
  // Go's flags have one dash: `-run=^TestAdd$` is `-run`, `-mod=mod` is `-mod`, not `-r`/`-m` glued to a value.
  if (go && equals > 0) return [word.slice(0, equals), word.slice(equals + 1)];
  const short = word.slice(0, 2);
  if (!word.startsWith('--') && word.length > 2 && valueOptions.has(short)) return [short, word.slice(2)];
  if (equals > 0) return [word.slice(0, equals), word.slice(equals + 1)];
  return [word, undefined];
}

/** Runners whose `-u` rewrites every snapshot to what the code does now, so snapshot assertions pass. */
const snapshotRunners = /(?:^|\/)(?:ava|jest|vitest)$/;
/** Options that mean something else to other programs (`python -u`): counted for the snapshot runners only. */
const runnerOnly = new Set(['-u', '--update']);

/** `python -O`: pytest still runs the asserts of test modules (it rewrites them), unittest and scripts do not. */
const notUnderPytest = new Set(['-O', '-OO']);

/** The values of the options in `args` that narrow the run, by option name. */
export function narrowingOptionsOf(args: CommandArgs): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [name, values] of args.options) {
    const narrows = narrowingOptions[name];
    if (!narrows || (runnerOnly.has(name) && !snapshotRunners.test(args.program))) continue;
    if (notUnderPytest.has(name) && /(?:^|\/)(?:pytest|py\.test)$/.test(args.program)) continue;
    const counted = values.filter(narrows);
    if (counted.length > 0) found.set(name, counted);
  }
  return found;
}
