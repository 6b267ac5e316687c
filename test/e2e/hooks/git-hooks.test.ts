import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { commitSrc, folderSnapshot, gatedRepo, push } from './git-hook-fixtures.ts';

/** A bare repository to push to. */
async function bareRemote(): Promise<string> {
  const remote = join(tempDir('sluice-remote-'), 'remote.git');
  await git(dirname(remote), 'init', '--bare', '--quiet', remote);
  return remote;
}

describe('sluice hooks install --git (real git, the real bin)', () => {
  it('refuses a commit while a cheap gate fails, with its feedback, and a push while any gate fails', async () => {
    const repo = await gatedRepo();
    const install = await runSluice(['hooks', 'install', '--git'], { cwd: repo });
    expect(install).toMatchObject({ exitCode: 0, stderr: '' });
    expect(install.stdout).toContain(`installed: ${join(repo, '.git/hooks/pre-commit')}`);
    expect(install.stdout).toContain(`installed: ${join(repo, '.git/hooks/pre-push')}`);
    const first = await git(repo, 'rev-parse', 'HEAD');

    writeFileSync(join(repo, 'src/app.js'), '// TODO: answer\nexport const answer = 41;\n');
    const refused = await commitSrc(repo, 'a TODO');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toContain('src/app.js:1: TODO left in the code');
    expect(await git(repo, 'rev-parse', 'HEAD')).toBe(first);

    // pre-commit runs the cheap tier only: a slow gate's failure waits for the push.
    writeFileSync(join(repo, 'src/app.js'), '// SLOW path\nexport const answer = 42;\n');
    const tidy = await commitSrc(repo, 'slow but tidy');
    expect(tidy.exitCode).toBe(0);
    expect(tidy.output).toContain('lint  passed');
    expect(tidy.output).not.toContain('slow');

    const remote = await bareRemote();
    await git(repo, 'remote', 'add', 'origin', remote);
    const pushRefused = await push(repo, 'origin', 'main');
    expect(pushRefused.exitCode).not.toBe(0);
    expect(pushRefused.output).toContain('src/app.js:1: SLOW left in the code');
    expect((await git(remote, 'for-each-ref')).trim()).toBe('');

    writeFileSync(join(repo, 'src/app.js'), 'export const answer = 42;\n');
    expect((await commitSrc(repo, 'fast')).exitCode).toBe(0);
    expect((await push(repo, 'origin', 'main')).exitCode).toBe(0);
    expect(await git(remote, 'rev-parse', 'main')).toBe(await git(repo, 'rev-parse', 'HEAD'));
  });

  it('judges the pushed commit as committed, not the working tree: an uncommitted fix does not let it through', async () => {
    const repo = await gatedRepo();
    expect((await runSluice(['hooks', 'install', '--git'], { cwd: repo })).exitCode).toBe(0);
    writeFileSync(join(repo, 'src/app.js'), '// SLOW path\nexport const answer = 42;\n');
    expect((await commitSrc(repo, 'slow')).exitCode).toBe(0);
    // The working tree is fine, and an ignored file is lying around: neither is what is pushed.
    writeFileSync(join(repo, 'src/app.js'), 'export const answer = 42;\n');
    const remote = await bareRemote();
    await git(repo, 'remote', 'add', 'origin', remote);
    const refused = await push(repo, 'origin', 'main');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toContain('src/app.js:1: SLOW left in the code');
    expect((await git(remote, 'for-each-ref')).trim()).toBe('');
    expect(await git(repo, 'worktree', 'list')).not.toContain('.judge');
  });

  it('chains to the user’s own hooks (same arguments, same stdin), fails when they fail, and uninstall leaves the hooks folder exactly as before', async () => {
    const repo = await gatedRepo();
    const hooksDir = join(repo, '.git/hooks');
    const log = join(dirname(repo), 'user-hooks.log');
    writeFileSync(
      join(hooksDir, 'pre-commit'),
      `#!/bin/sh\necho "user pre-commit ran" >> '${log}'\nif [ -f block-commit ]; then echo "the user's hook says no" >&2; exit 3; fi\n`,
    );
    chmodSync(join(hooksDir, 'pre-commit'), 0o750);
    writeFileSync(join(hooksDir, 'pre-push'), `#!/bin/sh\necho "user pre-push: $*" >> '${log}'\ncat >> '${log}'\n`, {
      mode: 0o755,
    });
    const before = folderSnapshot(hooksDir);

    const install = await runSluice(['hooks', 'install', '--git'], { cwd: join(repo, 'src') });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain(`chained: ${join(hooksDir, 'pre-commit')}`);
    expect(install.stdout).toContain(`chained: ${join(hooksDir, 'pre-push')}`);
    expect((await runSluice(['hooks', 'install', '--git'], { cwd: repo })).stdout).toContain('already installed');

    writeFileSync(join(repo, 'src/app.js'), 'export const answer = 43;\n');
    expect((await commitSrc(repo, 'change')).exitCode).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('user pre-commit ran\n');

    writeFileSync(join(repo, 'block-commit'), '');
    writeFileSync(join(repo, 'src/app.js'), 'export const answer = 44;\n');
    const refused = await commitSrc(repo, 'blocked by the user hook');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toContain("the user's hook says no");
    rmSync(join(repo, 'block-commit'));

    const remote = await bareRemote();
    await git(repo, 'remote', 'add', 'origin', remote);
    expect((await push(repo, 'origin', 'main')).exitCode).toBe(0);
    const head = await git(repo, 'rev-parse', 'HEAD');
    expect(readFileSync(log, 'utf8')).toContain(
      `user pre-push: origin ${remote}\nrefs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`,
    );

    const uninstall = await runSluice(['hooks', 'uninstall', '--git'], { cwd: repo });
    expect(uninstall.exitCode).toBe(0);
    expect(uninstall.stdout).toContain(`restored: ${join(hooksDir, 'pre-commit')}`);
    expect(folderSnapshot(hooksDir)).toEqual(before);
  });

  it('uninstall deletes what it created and leaves git’s sample hooks alone', async () => {
    const repo = await gatedRepo();
    const hooksDir = join(repo, '.git/hooks');
    const before = folderSnapshot(hooksDir);
    expect((await runSluice(['hooks', 'install', '--git'], { cwd: repo })).exitCode).toBe(0);
    expect((await runSluice(['hooks', 'uninstall', '--git'], { cwd: repo })).stdout).toBe(
      `removed: ${join(hooksDir, 'pre-commit')}\nremoved: ${join(hooksDir, 'pre-push')}\n`,
    );
    expect(folderSnapshot(hooksDir)).toEqual(before);
  });

  it('sluice check --max-tier runs the gates of the cheap tiers only, and refuses a tier with no gate', async () => {
    const repo = await gatedRepo();
    writeFileSync(join(repo, 'src/app.js'), '// SLOW\n');
    const cheap = await runSluice(['check', '--max-tier', '1', '--json'], { cwd: repo });
    expect(cheap.exitCode).toBe(0);
    expect(JSON.parse(cheap.stdout).gates.map((gate: { name: string }) => gate.name)).toEqual(['lint']);
    expect((await runSluice(['check', '--max-tier', '2'], { cwd: repo })).exitCode).toBe(1);

    const empty = await runSluice(['check', '--max-tier', '0'], { cwd: repo });
    expect(empty).toMatchObject({
      exitCode: 2,
      stderr: 'sluice: no gate in tier <= 0; the tiers of sluice.yaml are 1, 2\n',
    });
    const above = await runSluice(['check', '--max-tier', '1', '--gate', 'slow'], { cwd: repo });
    expect(above).toMatchObject({ exitCode: 2, stderr: 'sluice: gate "slow" is in tier 2, above --max-tier 1\n' });
    expect((await runSluice(['check', '--max-tier', 'x'], { cwd: repo })).exitCode).toBe(2);
  });

  it('refuses clearly outside a git repository, without a sluice.yaml, and without a target', async () => {
    const outside = await runSluice(['hooks', 'install', '--git'], { cwd: tempDir() });
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toContain('is not inside a git working tree');

    const repo = await gatedRepo();
    rmSync(join(repo, 'sluice.yaml'));
    const noConfig = await runSluice(['hooks', 'install', '--git', '--claude'], { cwd: repo });
    expect(noConfig.exitCode).toBe(2);
    expect(noConfig.stderr).toContain('no sluice.yaml');
    // Nothing was written for the other target either.
    expect(folderSnapshot(join(repo, '.claude'))).toEqual({});

    const noTarget = await runSluice(['hooks', 'install'], { cwd: repo });
    expect(noTarget.exitCode).toBe(2);
    expect(noTarget.stderr).toContain('--claude (Claude Code), --codex (Codex), --git (pre-commit and pre-push)');
  });
});
