import { join } from 'node:path';
import type { GuardConfig } from '../config/guard-schema.ts';
import { blobMaterial } from '../gates/cache/git-blob-id.ts';
import type { Finding } from '../guard/finding.ts';
import { withRulePolicy } from '../guard/rule-policy.ts';
import { runGit } from '../workspace/git.ts';

/**
 * Files a test runner, a package manager or the language loads by their name alone, wherever they sit on
 * the way to the tests: pytest's conftest.py and ini files, Python's start-up hooks and test packages,
 * Node's package.json and .npmrc, the JS runners' configs and setup files, Make's GNUmakefile (read before
 * Makefile), Go's go.work, Cargo's config. git's pathspecs, matched at any depth.
 */
const loadedByName = [
  'conftest.py',
  '__init__.py',
  'pytest.ini',
  '.pytest.ini',
  'tox.ini',
  'setup.cfg',
  'pyproject.toml',
  'sitecustomize.py',
  'usercustomize.py',
  '*.pth',
  'package.json',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pnpmfile.cjs',
  'bunfig.toml',
  'deno.json',
  'deno.jsonc',
  '.mocharc*',
  'vitest.config.*',
  'vitest.workspace.*',
  'vitest.setup.*',
  'vite.config.*',
  'jest.config.*',
  'jest.setup.*',
  'jest.preset.*',
  'ava.config.*',
  'babel.config.*',
  '.babelrc*',
  '.swcrc',
  'tsconfig*.json',
  'GNUmakefile',
  'makefile',
  'go.work',
  '.cargo/config*',
];

/** Folders that resolution or a runner reads by name: Node's node_modules, Jest's __mocks__, Cargo's .cargo. */
const foldersLoadedByName = new Set(['node_modules', '__mocks__', '.cargo']);

const pathspecs = [...loadedByName, ...foldersLoadedByName, '*.py'].map((name) => `:(top,glob)**/${name}`);
const nameMatchers = loadedByName
  .filter((name) => !name.includes('/'))
  .map((name) => new RegExp(`^${name.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`));

/**
 * The ignored files and folders a session's hooks keep an eye on, by path: a file a runner loads by name
 * with its blob id (so a rewrite shows), any other entry (an ignored Python file, a folder) with ''.
 */
export type IgnoredEntries = Record<string, string>;

/**
 * What git ignores of what a runner could load, in the whole work tree `from` is in: one `ls-files`, paths from
 * the top. `--directory` names an ignored folder instead of walking it, so `node_modules` and `.venv` cost
 * nothing. Started by the Stop hook before it knows the top. Undefined when git cannot tell.
 */
export async function listIgnored(from: string): Promise<string[] | undefined> {
  const listed = await runGit(from, [
    'ls-files',
    '-z',
    '--others',
    '--ignored',
    '--exclude-standard',
    '--directory',
    '--full-name',
    '--',
    ...pathspecs,
  ]);
  if (listed.exitCode !== 0) return undefined;
  return listed.stdout.split('\0').filter((path) => path !== '');
}

/**
 * The entries of `listed` (`listIgnored`), those a runner loads by name with their `<mode> <blob id>`, hashed
 * here from the raw bytes (no git process: a file that is there costs a read).
 */
export async function ignoredEntries(repoRoot: string, listed: readonly string[]): Promise<IgnoredEntries> {
  const entries: IgnoredEntries = {};
  await Promise.all(
    listed.map(async (path) => {
      const named = !path.endsWith('/') && isLoadedByName(path);
      entries[path] = named ? ((await blobMaterial(join(repoRoot, path), 'sha1')) ?? 'gone') : '';
    }),
  );
  return entries;
}

/**
 * Guard findings for what git ignores, is new or rewritten since the session started (`atStart`), and a runner
 * would load: no diff shows such a file, yet the gates, which run in this working tree, load it. A planted
 * conftest.py hidden with `.git/info/exclude`, a `node_modules` beside the tests where no package.json was
 * committed, an ignored `calc.py` that Python finds before the committed one.
 */
export async function ignoredRunnerFindings(
  repoRoot: string,
  now: IgnoredEntries,
  atStart: IgnoredEntries,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const folders: string[] = [];
  const pythonNames = new Map<string, string[]>();
  for (const [path, id] of Object.entries(now)) {
    const before = atStart[path];
    if (before !== undefined && before === id) continue;
    const how = before === undefined ? 'new since this session started' : 'changed since this session started';
    const name = baseName(path);
    if (id !== '') {
      findings.push(
        finding(
          path,
          `\`${path}\` is ignored by git, so no diff shows it, ${how}, and a test runner loads a file of this name by itself.`,
        ),
      );
    } else if (path.endsWith('/') && foldersLoadedByName.has(name)) {
      if (name === 'node_modules') folders.push(path);
      else
        findings.push(
          finding(
            path,
            `\`${path}\` is a folder git ignores, ${how}, and a test runner reads a folder of this name by itself.`,
          ),
        );
    } else if (before === undefined && name !== '__pycache__') {
      const stem = path.endsWith('.py') ? name.slice(0, -3) : path.endsWith('/') ? name : '';
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(stem)) pythonNames.set(stem, [...(pythonNames.get(stem) ?? []), path]);
    }
  }
  const committed = await committedPaths(repoRoot, folders, [...pythonNames.keys()]);
  for (const folder of folders) {
    const beside = `${folder.slice(0, -'node_modules/'.length)}package.json`;
    if (committed.has(beside)) continue;
    findings.push(
      finding(
        folder,
        `\`${folder}\` is a folder git ignores, new since this session started, beside no committed package.json: Node resolves the imports of the files below it from there first.`,
      ),
    );
  }
  for (const [stem, paths] of pythonNames) {
    if (![...committed].some((path) => isModuleNamed(path, stem))) continue;
    for (const path of paths) {
      findings.push(
        finding(
          path,
          `\`${path}\` is ignored by git, new since this session started, and has the name of a committed Python module (\`${stem}\`): Python may import it instead.`,
        ),
      );
    }
  }
  return findings;
}

/** The committed (indexed) package.json beside each folder and Python modules of these names; one git call, none when there is nothing to ask. */
async function committedPaths(repoRoot: string, folders: string[], stems: string[]): Promise<Set<string>> {
  if (folders.length === 0 && stems.length === 0) return new Set();
  const asked = [
    ...folders.map((folder) => `:(literal)${folder.slice(0, -'node_modules/'.length)}package.json`),
    ...stems.flatMap((stem) => [`:(glob)**/${stem}.py`, `:(glob)**/${stem}/__init__.py`]),
  ];
  const listed = await runGit(repoRoot, ['ls-files', '-z', '--cached', '--full-name', '--', ...asked]);
  return new Set(listed.exitCode === 0 ? listed.stdout.split('\0').filter(Boolean) : []);
}

/** `calc.py` or `calc/__init__.py`, at any depth: what `import calc` may find. */
function isModuleNamed(path: string, stem: string): boolean {
  const file = `${stem}.py`;
  const init = `${stem}/__init__.py`;
  return path === file || path.endsWith(`/${file}`) || path === init || path.endsWith(`/${init}`);
}

function isLoadedByName(path: string): boolean {
  const name = baseName(path);
  if (/(?:^|\/)\.cargo\/config[^/]*$/.test(path)) return true;
  return nameMatchers.some((matcher) => matcher.test(name));
}

function baseName(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * `findings` under the policy of `ignored-runner-file` in `guard.rules`. `revert` blocks as `block` does: there is
 * nothing at the base to put back, and the gates have run with the file already.
 */
export function ignoredRunnerPolicy(findings: Finding[], rules: GuardConfig['rules']): Finding[] {
  return withRulePolicy(findings, rules, 'ignored-runner-file').map((finding) =>
    finding.severity === 'revert' ? { ...finding, severity: 'block' } : finding,
  );
}

/** When git cannot list the ignored files, nothing proves the gates ran on what the diff shows. */
export const unlistedIgnored: Finding = {
  rule: 'ignored-runner-file',
  path: '.',
  line: 1,
  severity: 'block',
  message:
    'git could not list the files it ignores here, so Sluice cannot tell whether one rigs the tests. Fix the repository (git ls-files --others --ignored --exclude-standard must work).',
};

function finding(path: string, message: string): Finding {
  return {
    rule: 'ignored-runner-file',
    path,
    line: 1,
    severity: 'block',
    message: `${message} Delete it; if the project needs it, commit it (and un-ignore it) so the guard judges it.`,
  };
}
