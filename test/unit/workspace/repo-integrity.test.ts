import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { commitTurn } from '../../../src/workspace/commits.ts';
import { runGit } from '../../../src/workspace/git.ts';
import { rebaseWorktree } from '../../../src/workspace/rebase-branch.ts';
import {
  compareRepository,
  type RepositorySnapshot,
  restoreRepository,
  snapshotRepository,
} from '../../../src/workspace/repo-integrity.ts';
import { createRunWorktree, defaultWorktreesDir, removeWorktree } from '../../../src/workspace/worktrees.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

/** Everything under `dir` (the folder itself included): type, mode, content or link target. */
function treeState(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  const visit = (path: string, name: string) => {
    if (!existsSync(path) && !isLink(path)) return;
    const stats = lstatSync(path);
    const mode = (stats.mode & 0o7777).toString(8);
    if (stats.isSymbolicLink()) state[name] = `link ${readlinkSync(path)}`;
    else if (stats.isFile()) state[name] = `file ${mode} ${readFileSync(path).toString('base64')}`;
    else if (stats.isDirectory()) {
      state[name] = `dir ${mode}`;
      for (const child of readdirSync(path)) visit(join(path, child), `${name}/${child}`);
    }
  };
  visit(dir, '.');
  return state;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The parts of a common dir an agent could plant something in, as bytes and modes. */
function commonDirState(root: string): Record<string, unknown> {
  const common = join(root, '.git');
  return {
    hooks: treeState(join(common, 'hooks')),
    info: treeState(join(common, 'info')),
    config: treeState(join(common, 'config')),
    worktrees: existsSync(join(common, 'worktrees'))
      ? readdirSync(join(common, 'worktrees')).map((name) =>
          treeState(join(common, 'worktrees', name, 'config.worktree')),
        )
      : [],
  };
}

/** A repository with the default sample hooks, and a run worktree, snapshotted as the loop would (persisted). */
async function watchedRepository(
  settings: Record<string, string> = {},
): Promise<{ root: string; run: string; snapshot: RepositorySnapshot }> {
  const root = await gitdir({ files: { 'a.txt': 'a\n' } });
  for (const [key, value] of Object.entries(settings)) await git(root, 'config', key, value);
  const run = await createRunWorktree({
    repoRoot: root,
    runId: 'r1',
    baseRef: 'main',
    worktreesDir: defaultWorktreesDir(root),
  });
  // Through JSON, as the lead persists it: a resumed run compares with what was written.
  const snapshot = JSON.parse(JSON.stringify(await snapshotRepository(root))) as RepositorySnapshot;
  return { root, run: run.path, snapshot };
}

function summary(changes: Awaited<ReturnType<typeof compareRepository>>) {
  return changes.map(({ change, restorable, description }) => ({ change, restorable, description }));
}

describe('snapshotRepository / compareRepository / restoreRepository', () => {
  it('reports nothing for what Sluice itself does while runs go on', async () => {
    const { root, run, snapshot } = await watchedRepository({ 'branch.autoSetupMerge': 'always' });
    expect(Object.keys(snapshot.entries).some((path) => path.endsWith('hooks/pre-commit.sample'))).toBe(true);

    const second = await createRunWorktree({
      repoRoot: root,
      runId: 'r2',
      baseRef: 'main',
      worktreesDir: defaultWorktreesDir(root),
    });
    writeFiles(run, { 'b.txt': 'b\n' });
    await commitTurn(run, 'turn');
    writeFiles(root, { 'c.txt': 'c\n' });
    await git(root, 'add', '-A');
    await git(root, 'commit', '--quiet', '-m', 'upstream');
    expect((await rebaseWorktree(run, 'main')).status).toBe('rebased');
    await removeWorktree(root, run);
    // Even with branch.autoSetupMerge=always, a run branch made from a commit id gets no tracking config.
    expect(await compareRepository(snapshot)).toEqual([]);
    const remote = join(dirname(root), 'remote.git');
    await git(dirname(root), 'init', '--quiet', '--bare', remote);
    await git(root, 'remote', 'add', 'origin', remote);
    const snapshotWithRemote = await snapshotRepository(root);
    await git(second.path, 'push', '--quiet', '--set-upstream', 'origin', second.branch);
    expect(await compareRepository(snapshotWithRemote)).toEqual([]);
    await git(root, 'gc', '--quiet');
    await removeWorktree(root, second.path, { keepBranch: false });

    expect(await compareRepository(snapshotWithRemote)).toEqual([]);
  });

  it('detects every file planted or changed in hooks/ and info/ and restores each byte-exactly', async () => {
    const { root, run, snapshot } = await watchedRepository();
    const before = commonDirState(root);
    const common = join(root, '.git');
    writeFileSync(join(common, 'hooks/post-commit'), '#!/bin/sh\ntouch /tmp/pwned\n', { mode: 0o755 });
    writeFileSync(join(common, 'hooks/pre-commit.sample'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(common, 'hooks/pre-push.sample'), 0o777);
    rmSync(join(common, 'hooks/update.sample'));
    mkdirSync(join(common, 'hooks/lib'));
    writeFileSync(join(common, 'hooks/lib/helper.sh'), 'echo\n');
    writeFileSync(join(common, 'info/exclude'), 'src/secret-helper.js\n', { flag: 'a' });
    writeFileSync(join(common, 'info/attributes'), '* filter=x\n');
    writeFiles(run, { 'ok.txt': 'still judged\n' });

    const changes = await compareRepository(snapshot);
    expect(summary(changes)).toEqual([
      { change: 'added', restorable: true, description: 'hook lib added' },
      { change: 'added', restorable: true, description: 'hook lib/helper.sh added' },
      { change: 'added', restorable: true, description: 'hook post-commit added' },
      { change: 'changed', restorable: true, description: 'hook pre-commit.sample changed' },
      { change: 'changed', restorable: true, description: 'hook pre-push.sample changed' },
      { change: 'removed', restorable: true, description: 'hook update.sample removed' },
      { change: 'added', restorable: true, description: 'info/attributes added' },
      { change: 'changed', restorable: true, description: 'info/exclude changed' },
    ]);
    expect(changes[0]?.path).toBe(join(common, 'hooks/lib'));

    expect(await restoreRepository(snapshot, changes)).toHaveLength(8);
    expect(commonDirState(root)).toEqual(before);
    expect(await compareRepository(snapshot)).toEqual([]);
  });

  it('names the settings changed in .git/config and restores its bytes exactly, keeping the tracking of run branches pushed meanwhile', async () => {
    const { root, snapshot } = await watchedRepository();
    const before = readFileSync(join(root, '.git/config'));
    await git(root, 'config', 'filter.x.clean', 'sh -c "touch /tmp/pwned; cat"');
    await git(root, 'config', 'core.hooksPath', '/tmp/elsewhere');
    await git(root, 'config', 'alias.st', '!touch /tmp/pwned');
    await git(root, 'config', 'include.path', '../../agent.gitconfig');
    await git(root, 'config', '--unset', 'user.email');
    // Another run's landing pushes its branch meanwhile: Sluice's own write, not the agent's.
    await git(root, 'config', 'branch.sluice/r9.remote', 'origin');
    await git(root, 'config', 'branch.sluice/r9.merge', 'refs/heads/sluice/r9');

    const changes = await compareRepository(snapshot);
    expect(summary(changes)).toEqual([
      {
        change: 'changed',
        restorable: true,
        description: 'config: alias.st set, core.hookspath set, filter.x.clean set, include.path set and 1 more',
      },
    ]);
    await restoreRepository(snapshot, changes);
    expect(await git(root, 'config', '--get-regexp', '^branch\\.sluice/')).toBe(
      'branch.sluice/r9.remote origin\nbranch.sluice/r9.merge refs/heads/sluice/r9',
    );
    await git(root, 'config', '--unset', 'branch.sluice/r9.remote');
    await git(root, 'config', '--unset', 'branch.sluice/r9.merge');
    expect(readFileSync(join(root, '.git/config'))).toEqual(before);
  });

  it('restores a config or hooks folder replaced by a symlink, and a config removed', async () => {
    const { root, snapshot } = await watchedRepository();
    const before = commonDirState(root);
    const common = join(root, '.git');
    const planted = join(dirname(root), 'agent-hooks');
    mkdirSync(planted);
    writeFileSync(join(planted, 'post-checkout'), '#!/bin/sh\n', { mode: 0o755 });
    renameSync(join(common, 'hooks'), join(dirname(root), 'moved-hooks'));
    symlinkSync(planted, join(common, 'hooks'));
    writeFileSync(join(dirname(root), 'agent.gitconfig'), '[core]\n\tfsmonitor = /tmp/x\n');
    rmSync(join(common, 'config'));
    symlinkSync(join(dirname(root), 'agent.gitconfig'), join(common, 'config'));

    const changes = await compareRepository(snapshot);
    expect(changes.map((change) => change.description)).toEqual(
      expect.arrayContaining([
        'config changed',
        'hooks folder changed',
        'hook post-checkout added',
        'hook pre-commit.sample removed',
      ]),
    );
    await restoreRepository(snapshot, changes);
    expect(commonDirState(root)).toEqual(before);
    expect(existsSync(join(planted, 'post-checkout'))).toBe(true); // the symlink went, not what it pointed to

    rmSync(join(common, 'config'));
    expect(summary(await compareRepository(snapshot))).toEqual([
      {
        change: 'removed',
        restorable: true,
        description: 'config removed',
      },
    ]);
    await restoreRepository(snapshot, await compareRepository(snapshot));
    expect(commonDirState(root)).toEqual(before);
  });

  it('watches config.worktree of the run and of worktrees made later, and a core.hooksPath folder outside every work tree', async () => {
    const root = await gitdir({ files: { 'a.txt': 'a\n' } });
    const outside = join(dirname(root), 'shared-hooks');
    mkdirSync(outside);
    writeFileSync(join(outside, 'pre-commit'), '#!/bin/sh\necho user hook\n', { mode: 0o750 });
    await git(root, 'config', 'core.hooksPath', outside);
    const run = await createRunWorktree({
      repoRoot: root,
      runId: 'r1',
      baseRef: 'main',
      worktreesDir: defaultWorktreesDir(root),
    });
    const snapshot = await snapshotRepository(root);
    const hooksBefore = treeState(outside);
    const configBefore = readFileSync(join(root, '.git/config'));

    writeFileSync(join(outside, 'post-checkout'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(outside, 'pre-commit'), '#!/bin/sh\necho planted\n', { mode: 0o750 });
    await git(run.path, 'config', 'extensions.worktreeConfig', 'true');
    await git(run.path, 'config', '--worktree', 'filter.x.smudge', 'touch /tmp/pwned');
    const other = join(dirname(root), 'agent-worktree');
    await git(root, 'worktree', 'add', '--quiet', '--detach', other, 'main');
    await git(other, 'config', '--worktree', 'core.fsmonitor', '/tmp/x');

    const changes = await compareRepository(snapshot);
    expect(summary(changes)).toEqual([
      { change: 'changed', restorable: true, description: 'config: extensions.worktreeconfig set' },
      { change: 'added', restorable: true, description: 'worktrees/agent-worktree/config.worktree added' },
      { change: 'added', restorable: true, description: 'worktrees/r1/config.worktree added: filter.x.smudge set' },
      { change: 'added', restorable: true, description: `hook post-checkout in core.hooksPath ${outside} added` },
      { change: 'changed', restorable: true, description: `hook pre-commit in core.hooksPath ${outside} changed` },
    ]);
    await restoreRepository(snapshot, changes);
    expect(treeState(outside)).toEqual(hooksBefore);
    expect(readFileSync(join(root, '.git/config'))).toEqual(configBefore);
    expect(existsSync(join(root, '.git/worktrees/r1/config.worktree'))).toBe(false);
    expect(await compareRepository(snapshot)).toEqual([]);
  });

  it('reports a change to the global git config as not restorable, and leaves it alone', async () => {
    const home = join(await gitdir(), '..', 'home');
    mkdirSync(home);
    const global = join(home, '.gitconfig');
    writeFileSync(global, '[user]\n\tname = Someone\n');
    vi.stubEnv('GIT_CONFIG_GLOBAL', global);
    try {
      const { snapshot } = await watchedRepository();
      writeFileSync(global, '[user]\n\tname = Someone\n[filter "x"]\n\tclean = touch /tmp/pwned\n');
      const changes = await compareRepository(snapshot);
      expect(summary(changes)).toEqual([
        { change: 'changed', restorable: false, description: `global git config ${global}: filter.x.clean set` },
      ]);
      expect(await restoreRepository(snapshot, changes)).toEqual([]);
      expect(readFileSync(global, 'utf8')).toContain('filter "x"');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('is not fooled by a config rewritten with the same settings', async () => {
    const { root, snapshot } = await watchedRepository();
    const config = join(root, '.git/config');
    writeFileSync(config, `# a comment\n${readFileSync(config, 'utf8')}`);
    expect(await compareRepository(snapshot)).toEqual([]);
    const asUserTypes = await runGit(root, ['config', 'core.fsmonitor', 'true'], { asConfigured: true });
    expect(asUserTypes.exitCode).toBe(0);
    expect(summary(await compareRepository(snapshot))).toEqual([
      { change: 'changed', restorable: true, description: 'config: core.fsmonitor set' },
    ]);
  });
});

describe('restoreRepository against an agent that locks things up', () => {
  it('restores a hooks folder and a config made unreadable', async () => {
    const { root, snapshot } = await watchedRepository();
    const before = commonDirState(root);
    const common = join(root, '.git');
    writeFileSync(join(common, 'hooks/post-merge'), '#!/bin/sh\n', { mode: 0o755 });
    chmodSync(join(common, 'hooks'), 0o000);
    chmodSync(join(common, 'config'), 0o000);
    try {
      const changes = await compareRepository(snapshot);
      // 'config changed' where the file cannot be read any more; root still reads it, and sees only the mode.
      expect(changes.map((change) => change.description)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^config(: mode)? changed$/), 'hooks folder changed']),
      );
      await restoreRepository(snapshot, changes);
      expect(commonDirState(root)).toEqual(before);
    } finally {
      chmodSync(join(common, 'hooks'), 0o755);
    }
  });
});

describe('config files the repository includes', () => {
  it('watches a file pulled in by include.path, restorable when it lies in the git dir', async () => {
    const root = await gitdir();
    const extra = join(root, '.git/extra.gitconfig');
    writeFileSync(extra, '[alias]\n\tlg = log --oneline\n');
    await git(root, 'config', 'include.path', 'extra.gitconfig');
    const snapshot = await snapshotRepository(root);
    const before = readFileSync(extra);

    writeFileSync(extra, '[core]\n\tfsmonitor = /tmp/planted\n', { flag: 'a' });
    const changes = await compareRepository(snapshot);
    expect(summary(changes)).toEqual([
      { change: 'changed', restorable: true, description: `included git config ${extra}: core.fsmonitor set` },
    ]);
    await restoreRepository(snapshot, changes);
    expect(readFileSync(extra)).toEqual(before);
  });
});
