import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { formatGitCommand, runGit, runGitChecked } from '../../../src/workspace/git.ts';
import { GitError } from '../../../src/workspace/git-error.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('runGit', () => {
  it('returns stdout byte for byte and stderr apart from it', async () => {
    const root = await gitdir();
    writeFileSync(join(root, 'crlf.txt'), 'one\r\ntwo');
    await git(root, 'add', 'crlf.txt');
    const blob = await git(root, 'rev-parse', ':crlf.txt');
    const shown = await runGit(root, ['cat-file', 'blob', blob]);
    expect(shown).toMatchObject({ exitCode: 0, stdout: 'one\r\ntwo', stderr: '' });

    const failed = await runGit(root, ['rev-parse', '--verify', 'no-such-ref']);
    expect(failed.exitCode).toBe(128);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('fatal: Needed a single revision');
  });

  it('throws a GitError with the command and the stderr when a checked command fails', async () => {
    const root = await gitdir();
    const error = await runGitChecked(root, ['checkout', 'no-such-branch']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    expect(error).toMatchObject({ code: 'GIT_FAILED', exitCode: 1, command: 'git checkout no-such-branch' });
    expect((error as GitError).stderr).toContain("pathspec 'no-such-branch' did not match");
    expect((error as GitError).message).toContain("pathspec 'no-such-branch' did not match");
  });

  it('says when a folder is not a repository', async () => {
    const dir = tempDir();
    await expect(runGitChecked(dir, ['log'])).rejects.toMatchObject({ code: 'GIT_NOT_A_REPOSITORY' });
    await expect(runGit(join(dir, 'missing'), ['log'])).rejects.toMatchObject({ code: 'GIT_NOT_A_REPOSITORY' });
  });

  it('ignores GIT_DIR and GIT_INDEX_FILE inherited from a git hook', async () => {
    const root = await gitdir();
    const other = await gitdir({ name: 'other', files: { 'other.txt': 'x\n' } });
    vi.stubEnv('GIT_DIR', join(other, '.git'));
    vi.stubEnv('GIT_INDEX_FILE', join(other, '.git', 'index'));
    try {
      expect(await git(root, 'ls-files')).toBe('README.md');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('runs git with no terminal prompt, the C locale and no optional locks', async () => {
    const root = await gitdir();
    vi.stubEnv('LC_ALL', 'de_DE.UTF-8');
    try {
      const env = await runGit(root, ['-c', 'alias.env=!env', 'env']);
      expect(env.stdout).toMatch(/^GIT_TERMINAL_PROMPT=0$/m);
      expect(env.stdout).toMatch(/^LC_ALL=C$/m);
      expect(env.stdout).toMatch(/^GIT_OPTIONAL_LOCKS=0$/m);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('stops git at its timeout with a GitError', async () => {
    const root = await gitdir();
    const pending = runGit(root, ['-c', 'alias.hang=!sleep 30', 'hang'], { timeoutMs: 200 });
    await expect(pending).rejects.toMatchObject({
      code: 'GIT_TIMED_OUT',
      command: "git -c 'alias.hang=!sleep 30' hang",
    });
  });

  it('kills what a hanging git started along with it', async () => {
    const root = await gitdir();
    const pidFile = join(root, '.git', 'hang.pid');
    const pending = runGit(root, ['-c', `alias.hang=!echo $$ > '${pidFile}'; exec sleep 30`, 'hang'], {
      timeoutMs: 500,
    });
    await expect(pending).rejects.toMatchObject({ code: 'GIT_TIMED_OUT' });
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !isProcessAlive(sleeper))).toBe(true);
  });

  it('says git is unavailable when it is not on PATH, and cancels on abort', async () => {
    const root = await gitdir();
    vi.stubEnv('PATH', tempDir());
    try {
      await expect(runGit(root, ['status'])).rejects.toMatchObject({ code: 'GIT_UNAVAILABLE' });
    } finally {
      vi.unstubAllEnvs();
    }
    const controller = new AbortController();
    const pending = runGit(root, ['-c', 'alias.hang=!sleep 30', 'hang'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ code: 'GIT_CANCELLED' });
  });

  it('quotes arguments in the command it reports', () => {
    expect(formatGitCommand(['commit', '-m', "it's done", '--file=-'])).toBe("git commit -m 'it'\\''s done' --file=-");
  });
});
