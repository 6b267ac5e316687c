import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installGitHooks, locateGitHooks, uninstallGitHooks } from '../../../src/hooks/git-hooks.ts';
import type { SluiceInvocation } from '../../../src/hooks/sluice-hook-commands.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';

const invocation: SluiceInvocation = { node: '/usr/bin/node', bin: '/opt/sluice/bin/sluice.js' };
const options = { invocation, cheapTier: 1 };
const userHook = '#!/bin/sh\necho "the user\'s pre-commit"\n';

/** Every entry of a folder: name, content (or link target) and mode, to compare before and after. */
function snapshot(dir: string): Record<string, { content: string; mode: number }> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir).map((name) => {
      const stats = lstatSync(join(dir, name));
      return [name, { content: readFileSync(join(dir, name), 'utf8'), mode: stats.mode }];
    }),
  );
}

async function located(repo: string) {
  const location = await locateGitHooks(repo);
  if (!location) throw new Error(`${repo} is not a repository`);
  return location;
}

describe('installGitHooks / uninstallGitHooks', () => {
  it('writes an executable pre-commit (cheap tiers and guard) and pre-push (all gates), and uninstall leaves the folder as it was', async () => {
    const repo = await gitdir();
    const location = await located(repo);
    expect(location).toEqual({ top: repo, hooksDir: join(repo, '.git', 'hooks') });
    const before = snapshot(location.hooksDir);

    const installed = await installGitHooks(location, options);
    expect(installed.map(({ name, outcome }) => [name, outcome])).toEqual([
      ['pre-commit', 'installed'],
      ['pre-push', 'installed'],
    ]);
    const preCommit = readFileSync(join(location.hooksDir, 'pre-commit'), 'utf8');
    expect(preCommit).toMatch(/^#!\/bin\/sh\n# installed by sluice hooks install --git\n/);
    expect(preCommit).toContain('/usr/bin/node /opt/sluice/bin/sluice.js check --max-tier 1 </dev/null || exit $?');
    expect(preCommit).toContain('/usr/bin/node /opt/sluice/bin/sluice.js guard </dev/null || exit $?');
    const prePush = readFileSync(join(location.hooksDir, 'pre-push'), 'utf8');
    expect(prePush).toContain('refs=$(cat)');
    expect(prePush).toContain('/usr/bin/node /opt/sluice/bin/sluice.js check --commit "$sha" </dev/null || exit $?');
    expect(prePush).not.toContain('guard');
    expect(lstatSync(join(location.hooksDir, 'pre-push')).mode & 0o777).toBe(0o755);

    expect((await installGitHooks(location, options)).map(({ outcome }) => outcome)).toEqual([
      'unchanged',
      'unchanged',
    ]);
    expect((await installGitHooks(location, { ...options, cheapTier: 0 }))[0]?.outcome).toBe('updated');

    const removed = await uninstallGitHooks(location);
    expect(removed.map(({ outcome }) => outcome)).toEqual(['removed', 'removed']);
    expect(snapshot(location.hooksDir)).toEqual(before);
    expect((await uninstallGitHooks(location)).map(({ outcome }) => outcome)).toEqual([
      'not-installed',
      'not-installed',
    ]);
  });

  it('moves a hook that was there aside, runs it first, and puts it back with its content and mode', async () => {
    const repo = await gitdir();
    const location = await located(repo);
    writeFileSync(join(location.hooksDir, 'pre-commit'), userHook);
    chmodSync(join(location.hooksDir, 'pre-commit'), 0o750);
    const before = snapshot(location.hooksDir);

    const installed = await installGitHooks(location, options);
    expect(installed.map(({ outcome }) => outcome)).toEqual(['chained', 'installed']);
    expect(readFileSync(join(location.hooksDir, 'pre-commit.sluice-chained'), 'utf8')).toBe(userHook);
    expect(readFileSync(join(location.hooksDir, 'pre-commit'), 'utf8')).toContain('chained="$0.sluice-chained"');
    // A second install must not chain Sluice's hook to itself.
    expect((await installGitHooks(location, options)).map(({ outcome }) => outcome)).toEqual([
      'unchanged',
      'unchanged',
    ]);

    expect((await uninstallGitHooks(location)).map(({ outcome }) => outcome)).toEqual(['restored', 'removed']);
    expect(snapshot(location.hooksDir)).toEqual(before);
  });

  it('installs into core.hooksPath, creating it, and uninstall removes the folders it created', async () => {
    const repo = await gitdir();
    await git(repo, 'config', 'core.hooksPath', '.husky/_');
    const location = await located(join(repo));
    expect(location.hooksDir).toBe(join(repo, '.husky', '_'));
    await installGitHooks(location, options);
    expect(readdirSync(location.hooksDir).sort()).toEqual(['pre-commit', 'pre-push']);
    // Installing again (say, after Sluice moved) still knows which folders were Sluice's.
    await installGitHooks(location, { ...options, invocation: { ...invocation, node: '/usr/local/bin/node' } });
    await uninstallGitHooks(location);
    expect(existsSync(join(repo, '.husky'))).toBe(false);
  });

  it('keeps a created hooks folder that holds something else by the time of uninstall', async () => {
    const repo = await gitdir();
    await git(repo, 'config', 'core.hooksPath', 'hooks');
    const location = await located(repo);
    await installGitHooks(location, options);
    writeFileSync(join(location.hooksDir, 'commit-msg'), '#!/bin/sh\n');
    await uninstallGitHooks(location);
    expect(readdirSync(location.hooksDir)).toEqual(['commit-msg']);
  });

  it('leaves alone a hook that replaced Sluice’s since install, and the hook Sluice had moved aside', async () => {
    const repo = await gitdir();
    const location = await located(repo);
    writeFileSync(join(location.hooksDir, 'pre-commit'), userHook, { mode: 0o755 });
    await installGitHooks(location, options);
    writeFileSync(join(location.hooksDir, 'pre-commit'), '#!/bin/sh\n# a tool reinstalled its hook\n');
    const removed = await uninstallGitHooks(location);
    expect(removed.map(({ outcome }) => outcome)).toEqual(['replaced', 'removed']);
    expect(readFileSync(join(location.hooksDir, 'pre-commit'), 'utf8')).toContain('a tool reinstalled');
    expect(readFileSync(join(location.hooksDir, 'pre-commit.sluice-chained'), 'utf8')).toBe(userHook);
    // Installing now would chain to the new hook and lose the old one: refused, nothing moved.
    const before = snapshot(location.hooksDir);
    await expect(installGitHooks(location, options)).rejects.toThrow('pre-commit.sluice-chained');
    expect(snapshot(location.hooksDir)).toEqual(before);
  });

  it('puts the moved-aside hook back even when Sluice’s own was deleted by hand', async () => {
    const repo = await gitdir();
    const location = await located(repo);
    writeFileSync(join(location.hooksDir, 'pre-push'), userHook, { mode: 0o700 });
    const before = snapshot(location.hooksDir);
    await installGitHooks(location, options);
    rmSync(join(location.hooksDir, 'pre-push'));
    expect((await uninstallGitHooks(location)).map(({ outcome }) => outcome)).toEqual(['removed', 'restored']);
    expect(snapshot(location.hooksDir)).toEqual(before);
  });

  it('finds no hooks folder outside a git working tree', async () => {
    expect(await locateGitHooks(tempDir())).toBeUndefined();
    const bare = join(tempDir(), 'bare.git');
    mkdirSync(bare);
    await git(bare, 'init', '--bare', '--quiet');
    expect(await locateGitHooks(bare)).toBeUndefined();
  });
});
