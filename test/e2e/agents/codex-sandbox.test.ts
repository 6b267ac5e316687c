import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCodexAdapter } from '../../../src/agents/codex/codex-adapter.ts';
import type { SandboxPolicy } from '../../../src/process/sandbox/sandbox-policy.ts';
import { type FakeResponse, startFakeResponsesServer } from '../../support/fake-openai-responses-server.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** A Codex turn in a fresh git worktree (as Sluice runs it) that plays `script` against a fake model. */
async function codexTurn(
  script: (paths: { outside: string; common: string }) => FakeResponse[],
  sandbox?: SandboxPolicy,
) {
  const outside = tempDir('sluice-codex-outside-');
  const repo = tempDir('sluice-codex-repo-');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'T');
  git(repo, 'config', 'user.email', 't@t.invalid');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'init');
  const worktree = join(tempDir('sluice-codex-worktrees-'), 'run');
  git(repo, 'worktree', 'add', '-q', '-b', 'sluice/run', worktree);
  const common = join(repo, '.git');
  const fake = await startFakeResponsesServer(script({ outside, common }));
  onTestFinished(() => fake.close());
  const adapter = createCodexAdapter({
    codexHome: tempDir('sluice-codex-home-'),
    provider: { name: 'fake', baseUrl: fake.baseUrl, envKey: 'FAKE_KEY', wireApi: 'responses' },
    ...(sandbox ? { sandbox } : {}),
  });
  const result = await adapter.runTurn({
    prompt: 'write files',
    cwd: worktree,
    logPath: join(tempDir('sluice-codex-logs-'), 'turn.log'),
    timeoutMs: 30_000,
    model: 'gpt-5',
    // HOME without the machine's dotfiles (Codex runs commands in a login shell).
    env: { FAKE_KEY: 'x', HOME: tempDir('sluice-codex-shell-home-') },
  });
  // What each command printed, as Codex sent it back to the model.
  const last = fake.responseRequests().at(-1)?.body as { input?: Array<{ type: string; output?: string }> } | undefined;
  const outputs = (last?.input ?? [])
    .filter((item) => item.type === 'function_call_output')
    .map((item) => item.output ?? '');
  return { result, outside, worktree, repo, outputs, git };
}

/** Writes inside the worktree, then out of it in every way a shell offers, then a patch to outside. */
function escapes({ outside, common }: { outside: string; common: string }): FakeResponse[] {
  return [
    {
      kind: 'exec',
      cmd: 'echo in > inside.txt && git add inside.txt && git commit -qm "agent commit" && echo COMMITTED',
    },
    { kind: 'exec', cmd: `echo x > ${outside}/shell.txt` },
    { kind: 'exec', cmd: `ln -s ${outside}/symlinked.txt link.txt; echo x > link.txt; rm -f link.txt` },
    { kind: 'exec', cmd: `echo '#!/bin/sh' > ${common}/hooks/post-commit` },
    {
      kind: 'exec',
      cmd: 'git update-ref refs/heads/main $(git commit-tree "HEAD^{tree}" -p HEAD -m moved) && echo MOVED',
    },
    { kind: 'exec', cmd: `echo x > /tmp/$(basename ${outside})-slash-tmp.txt` },
    {
      kind: 'exec',
      cmd: `apply_patch <<'PATCH'\n*** Begin Patch\n*** Add File: ${outside}/patched.txt\n+x\n*** End Patch\nPATCH`,
    },
    { kind: 'text', text: 'Done.' },
  ];
}

describe("Codex's own sandbox, on by default", () => {
  it('lets Codex write and commit in its worktree, and refuses every write outside it', async () => {
    const { result, outside, worktree, repo, outputs, git } = await codexTurn(escapes);
    expect(result.status).toBe('finished');
    expect(result.sandbox).toMatchObject({ kind: 'codex-sandbox' });
    expect(result.sandbox?.description).toContain('Codex sandbox (workspace-write)');
    expect(readFileSync(join(worktree, 'inside.txt'), 'utf8')).toBe('in\n');
    expect(outputs[0]).toContain('COMMITTED');
    expect(git(repo, 'log', '--format=%s', 'sluice/run')).toContain('agent commit');
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(`/tmp/${outside.split('/').at(-1)}-slash-tmp.txt`)).toBe(false);
    expect(existsSync(join(repo, '.git/hooks/post-commit'))).toBe(false);
    expect(git(repo, 'rev-parse', 'main')).toBe(git(repo, 'rev-parse', 'sluice/run~1'));
    // The refusals reached the model as such.
    expect(outputs[1]).toContain('Read-only file system');
    expect(outputs).toHaveLength(7);
    expect(outputs[4]).not.toContain('MOVED');
  });

  it('with agent.sandbox off, the same turn writes outside (the check above can fail)', async () => {
    const { result, outside } = await codexTurn(escapes, { mode: 'off', writablePaths: [] });
    expect(result.sandbox).toEqual({ kind: 'none', description: 'not sandboxed: agent.sandbox is off' });
    expect(readFileSync(join(outside, 'shell.txt'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(outside, 'patched.txt'), 'utf8')).toBe('x\n');
    // The one stray file outside any test folder goes.
    execFileSync('rm', ['-f', `/tmp/${outside.split('/').at(-1)}-slash-tmp.txt`]);
  });

  it('lets Codex write the extra writable paths it is given', async () => {
    const allowed = tempDir('sluice-codex-allowed-');
    const { result } = await codexTurn(
      () => [
        { kind: 'exec', cmd: `echo a > ${allowed}/a.txt` },
        { kind: 'text', text: 'Done.' },
      ],
      { mode: 'auto', writablePaths: [allowed] },
    );
    expect(result.sandbox?.description).toContain(allowed);
    expect(readFileSync(join(allowed, 'a.txt'), 'utf8')).toBe('a\n');
  });
});
