import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The corpus of test/fixtures/real-world: one small project per runner, each with one seeded bug.

const corpusRoot = fileURLToPath(new URL('../fixtures/real-world/', import.meta.url));
const sluiceNodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url));

export const corpusRunners = ['vitest', 'jest', 'ava', 'mocha', 'node-test', 'pytest', 'go', 'cargo'] as const;
export type CorpusRunner = (typeof corpusRunners)[number];

/** A failing test the seeded bug causes, as the feedback must name it. */
export interface SeededFailure {
  /** The test's name, or the end of it, as the feedback writes it. */
  test: string;
  /** `file:line` of the failing assertion, relative to the project. */
  at: string;
  expected: string;
  received: string;
}

export interface SeededBug {
  /** The runner's own command with its default reporter: what a user (or a naive loop) reads. */
  rawCommand: string;
  bug: string;
  failures: SeededFailure[];
}

export function readSeeded(runner: CorpusRunner): SeededBug {
  return JSON.parse(readFileSync(join(corpusRoot, runner, 'seeded.json'), 'utf8')) as SeededBug;
}

/** The JS runners the projects use, borrowed from Sluice's own devDependencies: no install at test time. */
const borrowedPackages = ['vitest', 'jest', 'ava', 'mocha'];

/**
 * Copies a corpus project into `dir` as a fresh git repository, with `node_modules` made of links to Sluice's
 * devDependencies for the JS runners. The links are per package, so an `npm install` run in the copy could only
 * ever remove links, never Sluice's own packages. Returns whether the project ships its own sluice.yaml.
 */
export function prepareCorpusProject(runner: CorpusRunner, dir: string): { hasConfig: boolean } {
  cpSync(join(corpusRoot, runner), dir, { recursive: true, filter: (path) => !path.endsWith('seeded.json') });
  const ignored = ['target/', '__pycache__/', '.pytest_cache/'];
  if (existsSync(join(dir, 'package.json'))) {
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    for (const name of borrowedPackages) {
      symlinkSync(join(sluiceNodeModules, name), join(dir, 'node_modules', name));
      symlinkSync(join(sluiceNodeModules, '.bin', name), join(dir, 'node_modules', '.bin', name));
    }
    ignored.push('node_modules/');
  }
  writeFileSync(join(dir, '.gitignore'), `${ignored.join('\n')}\n`);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '--quiet');
  git('symbolic-ref', 'HEAD', 'refs/heads/main');
  git('add', '-A');
  git('-c', 'user.name=Corpus', '-c', 'user.email=corpus@sluice.invalid', 'commit', '--quiet', '-m', 'corpus');
  return { hasConfig: existsSync(join(dir, 'sluice.yaml')) };
}

/** The program a runner's project needs beyond Node, when it is not on PATH. */
export function missingProgram(runner: CorpusRunner): string | undefined {
  const program = { go: 'go', cargo: 'cargo', pytest: 'python3' }[runner as string];
  if (program === undefined) return undefined;
  const found = (process.env.PATH ?? '').split(delimiter).some((folder) => existsSync(join(folder, program)));
  return found ? undefined : program;
}

/** The feedback's failure entries: a line starting "- " and the indented lines under it. */
export function feedbackEntries(feedback: string): string[] {
  const entries: string[][] = [];
  let current: string[] | undefined;
  for (const line of feedback.split('\n')) {
    if (line.startsWith('- ')) {
      current = [line];
      entries.push(current);
    } else if (current && line.startsWith('  ')) current.push(line);
    else current = undefined;
  }
  return entries.map((lines) => lines.join('\n'));
}

/** What the feedback gets wrong about one seeded failure: nothing when it names the test, its place and values. */
export function seededFailureProblems(feedback: string, failure: SeededFailure): string[] {
  const entry = feedbackEntries(feedback).find((candidate) => (candidate.split('\n')[0] ?? '').includes(failure.test));
  if (entry === undefined) return [`"${failure.test}" is not named`];
  const problems: string[] = [];
  const title = entry.split('\n')[0] ?? '';
  if (!title.includes(`(${failure.at})`)) problems.push(`"${failure.test}" is not placed at ${failure.at}: ${title}`);
  // Multi-line values (a snapshot) are joined with ⏎: the seeded value is the start of its side.
  const [expected, received] = [`expected: ${failure.expected}`, `  received: ${failure.received}`];
  const valuesLine = entry.split('\n').find((line) => line.trim().startsWith('expected: '));
  const receivedAt = valuesLine?.indexOf(received) ?? -1;
  if (!valuesLine?.trim().startsWith(expected) || receivedAt < 0) {
    problems.push(`"${failure.test}" lacks "${expected}${received}": ${JSON.stringify(entry)}`);
  }
  return problems;
}
