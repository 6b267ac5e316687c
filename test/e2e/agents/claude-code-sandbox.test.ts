import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SandboxPolicy } from '../../../src/process/sandbox/sandbox-policy.ts';
import { claudeAgent, claudeTestEnv } from '../../support/claude-code.ts';
import {
  type FakeStep,
  lastUserText,
  startFakeAnthropicServer,
  textReply,
  toolUseReply,
} from '../../support/fake-anthropic-server.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** A Claude Code turn in a fresh git worktree (as Sluice runs it) that plays `script` against a fake model. */
async function claudeTurn(script: (paths: { outside: string; common: string }) => FakeStep[], sandbox?: SandboxPolicy) {
  const outside = tempDir('sluice-claude-outside-');
  writeFileSync(join(outside, 'existing.txt'), 'before\n');
  const repo = tempDir('sluice-claude-repo-');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'T');
  git(repo, 'config', 'user.email', 't@t.invalid');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'init');
  const mainBefore = git(repo, 'rev-parse', 'main');
  const worktree = join(tempDir('sluice-claude-worktrees-'), 'run');
  git(repo, 'worktree', 'add', '-q', '-b', 'sluice/run', worktree);
  const server = await startFakeAnthropicServer(script({ outside, common: join(repo, '.git') }));
  const repoBefore = listRepo(repo);
  onTestFinished(() => server.close());
  const home = tempDir('sluice-claude-home-');
  const result = await claudeAgent(sandbox ? { sandbox } : {}).runTurn({
    prompt: 'write files',
    cwd: worktree,
    logPath: join(home, 'logs', 'turn.log'),
    timeoutMs: 30_000,
    env: claudeTestEnv(server.url, home),
  });
  // What each tool call answered, in order, as Claude Code sent it back to the model.
  const answers = server
    .messageRequests()
    .slice(1)
    .map((request) => lastUserText(request));
  return { result, outside, worktree, repo, answers, git, mainBefore, repoBefore };
}

/** Every path of the user's checkout and its git dir but objects, refs and logs (which a turn may add to). */
function listRepo(repo: string): string[] {
  return execFileSync(
    'find',
    [
      repo,
      '-path',
      `${repo}/.git/objects`,
      '-prune',
      '-o',
      '-path',
      `${repo}/.git/refs`,
      '-prune',
      '-o',
      '-path',
      `${repo}/.git/logs`,
      '-prune',
      '-o',
      '-print',
    ],
    { encoding: 'utf8' },
  )
    .split('\n')
    .sort();
}

/** Bash and Write inside the worktree, then every way out with Bash, Write and Edit. */
function escapes({ outside, common }: { outside: string; common: string }): FakeStep[] {
  const bash = (command: string, extra: Record<string, unknown> = {}) =>
    toolUseReply('Bash', { command, description: 'try', ...extra });
  return [
    bash('echo in > inside.txt && git add inside.txt && echo ADDED'),
    toolUseReply('Write', { file_path: 'written.txt', content: 'in\n' }),
    bash(`echo x > ${outside}/bash.txt`),
    bash(`echo x > ${outside}/unsandboxed.txt`, { dangerouslyDisableSandbox: true }),
    bash(`echo '#!/bin/sh' > ${common}/hooks/post-commit`),
    bash('git update-ref refs/heads/main $(git commit-tree "HEAD^{tree}" -p HEAD -m moved) && echo MOVED'),
    toolUseReply('Write', { file_path: join(outside, 'write.txt'), content: 'x\n' }),
    toolUseReply('Read', { file_path: join(outside, 'existing.txt') }),
    toolUseReply('Edit', { file_path: join(outside, 'existing.txt'), old_string: 'before', new_string: 'after' }),
    bash(`ln -s ${outside} dirlink`),
    toolUseReply('Write', { file_path: 'dirlink/via-link.txt', content: 'x\n' }),
    textReply('Done.'),
  ];
}

describe("Claude Code's sandbox, on by default", () => {
  it('lets Claude Code write in its worktree, and refuses writes outside by Bash, Write and Edit', async () => {
    const { result, outside, worktree, repo, answers, git, mainBefore, repoBefore } = await claudeTurn(escapes);
    // Nothing new in the user's checkout or git dir: not even the placeholders Claude Code's sandbox mounts over.
    expect(listRepo(repo)).toEqual(repoBefore);
    expect(result.status).toBe('finished');
    expect(result.sandbox?.kind).toBe('claude-code-sandbox');
    // `git add` writes objects, which it may; refs it may not (moving `main` is a ref write like a commit).
    expect(answers[0]).toContain('ADDED');
    expect(readFileSync(join(worktree, 'inside.txt'), 'utf8')).toBe('in\n');
    expect(readFileSync(join(worktree, 'written.txt'), 'utf8')).toBe('in\n');
    expect(readdirSync(outside)).toEqual(['existing.txt']);
    expect(readFileSync(join(outside, 'existing.txt'), 'utf8')).toBe('before\n');
    expect(existsSync(join(repo, '.git/hooks/post-commit'))).toBe(false);
    expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    expect(answers[5]).not.toContain('MOVED');
    expect(answers[2]).toContain('Read-only file system');
    expect(answers[6]).toMatch(/requested permissions to write/);
    expect(answers[8]).toMatch(/requested permissions to write/);
  });

  it('with agent.sandbox off, the same turn writes outside (the check above can fail)', async () => {
    const { result, outside, repo, git, mainBefore } = await claudeTurn(escapes, { mode: 'off', writablePaths: [] });
    expect(result.sandbox).toEqual({ kind: 'none', description: 'not sandboxed: agent.sandbox is off' });
    expect(readFileSync(join(outside, 'bash.txt'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(outside, 'write.txt'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(outside, 'existing.txt'), 'utf8')).toBe('after\n');
    expect(git(repo, 'rev-parse', 'main')).not.toBe(mainBefore);
  });

  it('lets Bash and Write change the extra writable paths it is given', async () => {
    const allowed = tempDir('sluice-claude-allowed-');
    const { result } = await claudeTurn(
      () => [
        toolUseReply('Bash', { command: `echo a > ${allowed}/bash.txt`, description: 'try' }),
        toolUseReply('Write', { file_path: join(allowed, 'write.txt'), content: 'w\n' }),
        textReply('Done.'),
      ],
      { mode: 'auto', writablePaths: [allowed] },
    );
    expect(result.sandbox?.description).toContain(allowed);
    expect(readFileSync(join(allowed, 'bash.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(allowed, 'write.txt'), 'utf8')).toBe('w\n');
  });
});
