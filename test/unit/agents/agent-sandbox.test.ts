import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentTurn } from '../../../src/agents/agent-adapter.ts';
import { buildClaudeCommand } from '../../../src/agents/claude-code/claude-command.ts';
import { codexArgs } from '../../../src/agents/codex/codex-command.ts';
import { bubblewrapArgs } from '../../../src/process/sandbox/bubblewrap.ts';
import { gitWritableParts } from '../../../src/process/sandbox/git-writable-paths.ts';
import { assertSandboxAllowed, expandWritablePath } from '../../../src/process/sandbox/sandbox-policy.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('sandbox arguments', () => {
  it('runs Codex in workspace-write, never asking, with /tmp excluded and the extra roots writable', () => {
    const args = codexArgs({ sandbox: { writableRoots: ['/repo/.git/objects'] } });
    expect(args).not.toContain('--dangerously-bypass-approvals-and-sandbox');
    expect(args.slice(0, 6)).toEqual(['exec', '--json', '--skip-git-repo-check', '--sandbox', 'workspace-write', '-c']);
    expect(args).toContain('approval_policy="never"');
    expect(args).toContain('sandbox_workspace_write.exclude_slash_tmp=true');
    expect(args).toContain('sandbox_workspace_write.writable_roots=["/repo/.git/objects"]');
    // `exec resume` has no --sandbox flag: the same mode goes in as config.
    const resumed = codexArgs({ sessionId: 'abc', sandbox: { writableRoots: [] } });
    expect(resumed).toContain('sandbox_mode="workspace-write"');
    expect(resumed).not.toContain('--sandbox');
  });

  it('never skips Claude Code permissions in a sandboxed turn, and drops unscoped Write/Edit allow rules', () => {
    const turn: AgentTurn = { prompt: 'p', cwd: '/repo', logPath: '/l', timeoutMs: 1 };
    const sandbox = {
      settings: { enabled: true },
      addDirs: ['/cache'],
      report: { kind: 'none' as const, description: '' },
    };
    const { args, env } = buildClaudeCommand(
      turn,
      { allowedTools: ['Bash', 'Write', 'Edit', 'Read'] },
      'claude',
      true,
      sandbox,
    );
    expect(args).not.toContain('--dangerously-skip-permissions');
    expect(env).not.toHaveProperty('IS_SANDBOX');
    expect(args.slice(args.indexOf('--permission-mode'), args.indexOf('--permission-mode') + 2)).toEqual([
      '--permission-mode',
      'acceptEdits',
    ]);
    expect(args[args.indexOf('--allowedTools') + 1]).toBe('Bash,Read');
    expect(args[args.indexOf('--add-dir') + 1]).toBe('/cache');
    expect(JSON.parse(args[args.indexOf('--settings') + 1] ?? '{}')).toEqual({ sandbox: { enabled: true } });
  });

  it('drops every capability and binds the read-only exceptions after the writable folders', () => {
    const args = bubblewrapArgs({ writable: ['/wt/a/b', '/wt'], readOnly: ['/wt/a/b/c'], cwd: '/wt' }, ['sh']);
    expect(args.slice(0, 3)).toEqual(['--ro-bind', '/', '/']);
    expect(args.join(' ')).toContain('--cap-drop ALL');
    expect(args.join(' ')).toContain(
      '--bind /wt /wt --bind /wt/a/b /wt/a/b --ro-bind /wt/a/b/c /wt/a/b/c --chdir /wt -- sh',
    );
  });
});

describe('what of the git dir a sandboxed agent may write', () => {
  it("is the worktree's admin folder, the objects and its own branch's ref folder, never refs/heads itself", () => {
    const repo = tempDir('sluice-sandbox-repo-');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=T', '-c', 'user.email=t@t.invalid', 'commit', '-q', '--allow-empty', '-m', 'init');
    const worktree = join(tempDir('sluice-sandbox-worktrees-'), 'r1');
    git('worktree', 'add', '-q', '-b', 'sluice/r1', worktree);
    const parts = gitWritableParts(worktree);
    const common = join(repo, '.git');
    expect(parts.writable.sort()).toEqual(
      [
        join(common, 'worktrees', 'r1'),
        join(common, 'objects'),
        join(common, 'refs', 'heads', 'sluice'),
        join(common, 'logs', 'refs', 'heads', 'sluice'),
      ].sort(),
    );
    expect(parts.readOnly).toEqual([join(common, 'objects', 'info')]);
  });

  it('in a repository whose .git folder is the worktree, keeps hooks, config and info/ read-only', () => {
    const repo = tempDir('sluice-sandbox-plain-');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const parts = gitWritableParts(repo);
    expect(parts.writable).toEqual([]);
    expect(parts.readOnly).toEqual(
      expect.arrayContaining(['hooks', 'info', 'config'].map((p) => join(repo, '.git', p))),
    );
  });
});

describe('sandbox policy', () => {
  it('refuses `required` without a sandbox, naming why and what to do; lets auto run', () => {
    const none = { kind: 'none' as const, description: 'not sandboxed: bubblewrap (bwrap) is not installed' };
    expect(() => assertSandboxAllowed({ mode: 'required', writablePaths: [] }, none, 'command')).toThrow(
      /"required", but the command agent cannot be sandboxed here: not sandboxed: bubblewrap \(bwrap\) is not installed.*apt-get install bubblewrap/,
    );
    expect(() => assertSandboxAllowed({ mode: 'auto', writablePaths: [] }, none, 'command')).not.toThrow();
  });

  it('takes absolute and ~/ paths only', () => {
    expect(expandWritablePath('/var/cache/x/')).toBe('/var/cache/x');
    expect(expandWritablePath('~/.npm')).toMatch(/\/\.npm$/);
    expect(() => expandWritablePath('cache')).toThrow(/absolute or start with ~\//);
  });
});
