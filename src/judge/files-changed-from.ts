import { basename, join } from 'node:path';
import { blobMaterial, type ObjectFormat } from '../gates/cache/git-blob-id.ts';
import type { CheckResult } from '../gates/gate-results.ts';
import { runGitChecked } from '../workspace/git.ts';
import { judgeFailure } from './unjudged-check.ts';

/** Files hashed at once: enough to keep the disk busy, few enough to stay under the open-files limit. */
const hashedAtOnce = 32;

/**
 * The files of `commit` that `checkout` no longer holds as the commit does, after the gates ran there:
 * rewritten, removed, or replaced by a link or a folder. The gates run the commit's own code, which can
 * write the judged tree: a new test file that writes the fix into `src/` before the other files run, a
 * setup script that patches what it installs beside. What passed was then not the commit. Hashed from the
 * bytes on disk against the commit's tree, not asked of git's index, which that same code can rewrite.
 * Submodules (gitlinks) are left out, and so are lockfiles, which installers and build tools rewrite as
 * they resolve (`npm install`, `cargo test`): they hold versions, not code.
 */
export async function filesChangedFrom(checkout: string, commit: string): Promise<string[]> {
  const format: ObjectFormat = commit.length === 64 ? 'sha256' : 'sha1';
  const listing = await runGitChecked(checkout, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries = listing
    .split('\0')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const tab = entry.indexOf('\t');
      const [mode = '', , id = ''] = entry.slice(0, tab).split(' ');
      return { mode, id, path: entry.slice(tab + 1) };
    })
    .filter((entry) => entry.mode !== '160000' && !lockfiles.has(basename(entry.path)));
  const changed: string[] = [];
  for (let start = 0; start < entries.length; start += hashedAtOnce) {
    const batch = entries.slice(start, start + hashedAtOnce);
    const materials = await Promise.all(batch.map((entry) => blobMaterial(join(checkout, entry.path), format)));
    batch.forEach((entry, at) => {
      const id = materials[at]?.split(' ')[1];
      if (id !== entry.id) changed.push(entry.path);
    });
  }
  return changed;
}

const lockfiles = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'Cargo.lock',
  'go.sum',
  'poetry.lock',
  'uv.lock',
  'Pipfile.lock',
  'pdm.lock',
  'Gemfile.lock',
  'composer.lock',
]);

const namedAtMost = 5;

/** A passing check of a tree its gates changed: failed, naming what they changed. */
export function checkOfChangedTree(check: CheckResult, changed: readonly string[]): CheckResult {
  const named = changed.slice(0, namedAtMost).join(', ');
  const more = changed.length > namedAtMost ? ` and ${changed.length - namedAtMost} more` : '';
  const reason =
    `the checks changed files of the commit they judged (${named}${more}): what passed is not what was ` +
    'committed. Tests and setup must not write the code under test';
  return { ...check, verdict: 'failed', gates: [...check.gates, judgeFailure('judged-tree', 'other', reason)] };
}
