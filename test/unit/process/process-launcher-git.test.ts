import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type GitOptions, type GitResult, runGit } from '../../../src/workspace/git.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { launcherOnForThisFile, withoutLauncher } from '../../support/process-launcher-on.ts';
import { tempDir } from '../../support/temp-dir.ts';

// Fixed dates, so that a commit written twice is the same object both ways.
launcherOnForThisFile({
  GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
  GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
  GIT_AUTHOR_NAME: 'Launcher Test',
  GIT_COMMITTER_NAME: 'Launcher Test',
});

type Outcome = Omit<GitResult, 'durationMs'> | { error: unknown };

/** runGit through the launcher, then through Node's own spawn. */
async function bothWays(cwd: string, args: string[], options: GitOptions = {}): Promise<Outcome[]> {
  const run = async (): Promise<Outcome> => {
    try {
      const { durationMs: _, ...result } = await runGit(cwd, args, options);
      return result;
    } catch (error) {
      return { error };
    }
  };
  const launched = await run();
  return [launched, await withoutLauncher(run)];
}

describe('runGit through the process launcher', () => {
  it('returns what the direct spawn returns for reads, writes with stdin, failures and a missing folder', async () => {
    const root = await gitdir({ files: { 'a.txt': 'one\r\ntwo', 'dir/b.txt': 'b\n' } });
    const binary = randomBytes(300_000);
    writeFileSync(join(root, 'blob.bin'), binary);
    writeFileSync(join(root, 'a.txt'), 'changed\n');
    writeFileSync(join(root, 'untracked ü.txt'), 'new\n');
    await git(root, 'add', 'blob.bin');
    const head = await git(root, 'rev-parse', 'HEAD');
    const tree = await git(root, 'write-tree');
    const calls: Array<[string, string[], GitOptions?]> = [
      [root, ['rev-parse', 'HEAD']],
      [root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']],
      [root, ['ls-files', '-z', '--stage']],
      [root, ['diff', '--binary', 'HEAD']],
      [root, ['diff', '--cached', '--stat']],
      [root, ['show', ':blob.bin']],
      [root, ['log', '--format=%H%x00%s%x00%an', '-n', '5']],
      [root, ['cat-file', '--batch'], { input: `${head}\n${head}:a.txt\nno-such-object\n` }],
      [root, ['hash-object', '-w', '--stdin'], { input: 'stored through stdin\n' }],
      [root, ['commit-tree', tree, '-p', head], { input: 'a message\n\nwith a body ü\n' }],
      [root, ['rev-parse', '--verify', 'no-such-ref']],
      [root, ['checkout', 'no-such-branch']],
      [root, ['status'], { asConfigured: true }],
      [tempDir(), ['log']],
      [join(tempDir(), 'missing'), ['log']],
    ];
    for (const [cwd, args, options] of calls) {
      const [launched, direct] = await bothWays(cwd, args, options);
      expect(launched, args.join(' ')).toEqual(direct);
    }
    const [shown] = await bothWays(root, ['show', ':blob.bin']);
    expect(shown && 'stdoutBytes' in shown && shown.stdoutBytes.equals(binary)).toBe(true);
  });

  it('times out and cancels as the direct spawn does', async () => {
    const root = await gitdir();
    // A shell alias stands in for a git that hangs (run as configured: the alias is the repository's).
    await git(root, 'config', 'alias.wait', '!sleep 300');
    const timedOut = await bothWays(root, ['wait'], { asConfigured: true, timeoutMs: 300 });
    expect(timedOut.map((outcome) => 'error' in outcome && (outcome.error as { code: string }).code)).toEqual([
      'GIT_TIMED_OUT',
      'GIT_TIMED_OUT',
    ]);
    const cancelled = await bothWays(root, ['wait'], { asConfigured: true, signal: AbortSignal.timeout(200) });
    expect(cancelled.map((outcome) => 'error' in outcome && (outcome.error as { code: string }).code)).toEqual([
      'GIT_CANCELLED',
      'GIT_CANCELLED',
    ]);
  });
});
