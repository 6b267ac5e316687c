import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { advanceBranch } from '../../../src/workspace/advance-branch.ts';
import { commitTurn } from '../../../src/workspace/commits.ts';
import { runGit } from '../../../src/workspace/git.ts';
import { reattachWorktree } from '../../../src/workspace/reattach-worktree.ts';
import { rebaseWorktree, restoreBranchHead } from '../../../src/workspace/rebase-branch.ts';
import { restorePaths } from '../../../src/workspace/restore-paths.ts';
import { restoreTree } from '../../../src/workspace/restore-tree.ts';
import { listWorktrees } from '../../../src/workspace/worktree-list.ts';
import { createRunWorktree, defaultWorktreesDir, removeWorktree } from '../../../src/workspace/worktrees.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

/** Every hook git knows (githooks(5)), so a hook git adds to a command Sluice runs is caught too. */
const hookNames = [
  'applypatch-msg',
  'pre-applypatch',
  'post-applypatch',
  'pre-commit',
  'pre-merge-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'pre-rebase',
  'post-checkout',
  'post-merge',
  'pre-push',
  'pre-receive',
  'update',
  'proc-receive',
  'post-receive',
  'post-update',
  'reference-transaction',
  'push-to-checkout',
  'pre-auto-gc',
  'post-rewrite',
  'sendemail-validate',
  'fsmonitor-watchman',
  'p4-changelist',
  'p4-prepare-changelist',
  'p4-post-changelist',
  'p4-pre-submit',
  'post-index-change',
];

/** An executable that appends its name to `marker` and succeeds. */
function plantProgram(path: string, marker: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `#!/bin/sh\necho "$(basename "$0")" >> '${marker}'\nexit 0\n`);
  chmodSync(path, 0o755);
}

function plantHooks(dir: string, marker: string): void {
  for (const name of hookNames) plantProgram(join(dir, name), marker);
}

function fired(marker: string): string[] {
  return existsSync(marker) ? readFileSync(marker, 'utf8').trim().split('\n') : [];
}

/** Every git operation of src/workspace that Sluice runs on a repository during a run and its landing. */
async function sluiceOperations(root: string): Promise<void> {
  const run = await createRunWorktree({
    repoRoot: root,
    runId: 'r1',
    baseRef: 'main',
    worktreesDir: defaultWorktreesDir(root),
  });
  writeFiles(run.path, { 'agent.txt': 'work\n' });
  const turn = await commitTurn(run.path, 'turn 1');
  expect(turn.commit).not.toBeNull();
  await listWorktrees(root); // runs git status in each worktree
  writeFiles(root, { 'upstream.txt': 'moved on\n' });
  await git(root, 'add', '-A');
  await git(root, 'commit', '--quiet', '-m', 'upstream');
  const mainTip = await git(root, 'rev-parse', 'main');
  const rebased = await rebaseWorktree(run.path, 'main');
  expect(rebased.status).toBe('rebased');
  if (rebased.status !== 'rebased') return;
  await restoreBranchHead(run.path, rebased.head);
  const landed = await advanceBranch(root, 'main', { from: mainTip, to: rebased.head, reason: 'land r1' });
  expect(landed).toMatchObject({ status: 'advanced', via: 'checkout' });
  await git(root, 'branch', 'side', mainTip);
  const moved = await advanceBranch(root, 'side', { from: mainTip, to: rebased.head, reason: 'move side' });
  expect(moved).toMatchObject({ status: 'advanced', via: 'ref' });
  await restorePaths(run.path, run.baseCommit, ['agent.txt']);
  await restoreTree(run.path, run.baseCommit);
  await removeWorktree(root, run.path, { force: true });
  await reattachWorktree(root, run.path, run.branch);
  await removeWorktree(root, run.path, { keepBranch: false });
}

describe("Sluice's own git calls run no program the repository's config or hooks name", () => {
  it.each([
    ['.git/hooks', async (root: string, marker: string) => plantHooks(join(root, '.git/hooks'), marker)],
    [
      'core.hooksPath in .git/config',
      async (root: string, marker: string) => {
        const hooks = join(dirname(root), 'planted-hooks');
        plantHooks(hooks, marker);
        await git(root, 'config', 'core.hooksPath', hooks);
      },
    ],
    [
      'core.hooksPath relative to the work tree',
      async (root: string, marker: string) => {
        plantHooks(join(root, '.hooks'), marker);
        await git(root, 'config', 'core.hooksPath', '.hooks');
      },
    ],
    [
      'core.hooksPath in config.worktree',
      async (root: string, marker: string) => {
        const hooks = join(dirname(root), 'planted-hooks');
        plantHooks(hooks, marker);
        await git(root, 'config', 'extensions.worktreeConfig', 'true');
        await git(root, 'config', '--worktree', 'core.hooksPath', hooks);
      },
    ],
    [
      'core.hooksPath in the global config',
      async (root: string, marker: string) => {
        const hooks = join(dirname(root), 'planted-hooks');
        plantHooks(hooks, marker);
        const global = join(dirname(root), 'global.gitconfig');
        writeFileSync(global, `[core]\n\thooksPath = ${hooks}\n`);
        vi.stubEnv('GIT_CONFIG_GLOBAL', global);
      },
    ],
  ])('hooks planted in %s do not run', async (_where, plant) => {
    try {
      const root = await gitdir();
      const marker = join(dirname(root), 'fired.log');
      await plant(root, marker);

      await sluiceOperations(root);
      expect(fired(marker)).toEqual([]);

      // The hooks are live: the same repository runs them for a command typed as the user types it.
      await runGit(root, ['commit', '--quiet', '--allow-empty', '-m', 'by hand'], { asConfigured: true });
      expect(fired(marker)).toEqual(expect.arrayContaining(['prepare-commit-msg', 'post-commit']));
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a core.fsmonitor program does not run', async () => {
    const root = await gitdir();
    const marker = join(dirname(root), 'fired.log');
    const monitor = join(dirname(root), 'monitor');
    plantProgram(monitor, marker);
    await git(root, 'config', 'core.fsmonitor', monitor);

    await sluiceOperations(root);
    expect(fired(marker)).toEqual([]);

    await runGit(root, ['status', '--porcelain'], { asConfigured: true });
    expect(fired(marker)).toContain('monitor');
  });

  it('a gpg.program asked to verify signatures on merge or log does not run', async () => {
    const root = await gitdir();
    const marker = join(dirname(root), 'fired.log');
    const gpg = join(dirname(root), 'gpg');
    plantProgram(gpg, marker);
    await git(root, 'config', 'gpg.program', gpg);
    await git(root, 'config', 'merge.verifySignatures', 'true');
    await git(root, 'config', 'log.showSignature', 'true');
    const base = await git(root, 'rev-parse', 'HEAD');
    const signed = await signedCommit(root, base);

    const landed = await advanceBranch(root, 'main', { from: base, to: signed, reason: 'land a signed commit' });
    expect(landed).toMatchObject({ status: 'advanced', via: 'checkout' });
    await git(root, 'log', '-1');
    expect(fired(marker)).toEqual([]);

    await runGit(root, ['log', '-1'], { asConfigured: true });
    expect(fired(marker)).toContain('gpg');
  });
});

/** A commit on `parent` carrying a (fake) PGP signature: what makes git call gpg.program to verify. */
async function signedCommit(root: string, parent: string): Promise<string> {
  const tree = await git(root, 'rev-parse', `${parent}^{tree}`);
  const stamp = 'Signer <signer@sluice.invalid> 1700000000 +0000';
  const body = [
    `tree ${tree}`,
    `parent ${parent}`,
    `author ${stamp}`,
    `committer ${stamp}`,
    'gpgsig -----BEGIN PGP SIGNATURE-----',
    ' ',
    ' iQEzBAABCAAdFiEEAAAAAAAAAAAAAAAAAAAAAAAAAAAFAmVVVVUACgkQAAAAAAAAAAA=',
    ' -----END PGP SIGNATURE-----',
    '',
    'signed',
    '',
  ].join('\n');
  const result = await runGit(root, ['hash-object', '-t', 'commit', '-w', '--stdin'], { input: body });
  return result.stdout.trim();
}
