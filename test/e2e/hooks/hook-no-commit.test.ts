import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliRun, runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** `sluice hook <event>` as Claude Code runs it: the hook JSON on stdin, in the project folder. */
function hook(event: 'stop' | 'pre-tool-use', stdin: unknown, cwd: string): Promise<CliRun> {
  return runSluice(['hook', event], { cwd, input: JSON.stringify(stdin) });
}

const session = (cwd: string) => ({
  session_id: 'a1b2c3',
  transcript_path: join(cwd, 'transcript.jsonl'),
  cwd,
});

const preToolUse = (cwd: string, toolName: string, toolInput: Record<string, unknown>) =>
  hook(
    'pre-tool-use',
    { ...session(cwd), hook_event_name: 'PreToolUse', tool_name: toolName, tool_input: toolInput },
    cwd,
  );

const stop = (cwd: string) => hook('stop', { ...session(cwd), hook_event_name: 'Stop', stop_hook_active: false }, cwd);

/** A gate that always fails: were the hook judging, it would block. */
const failingConfig = 'gates:\n  unit:\n    run: "exit 1"\n';

function freshRepository(): string {
  const repo = join(tempDir('sluice-unborn-'), 'repo');
  execFileSync('git', ['init', '--quiet', repo]);
  writeFileSync(join(repo, 'sluice.yaml'), failingConfig);
  writeFileSync(join(repo, 'add.test.js'), 'test\n');
  return repo;
}

function plainFolder(withConfig: boolean): string {
  const dir = tempDir('sluice-plain-');
  if (withConfig) writeFileSync(join(dir, 'sluice.yaml'), failingConfig);
  return dir;
}

const folders = {
  'a fresh git init without commits': { make: freshRepository, says: /has no commit yet/ },
  'a plain folder with a sluice.yaml': { make: () => plainFolder(true), says: /is not inside a git repository/ },
  'a plain folder': { make: () => plainFolder(false), says: /is not inside a git repository/ },
};

describe('agent hooks where there is nothing to measure a change from', () => {
  for (const [name, folder] of Object.entries(folders)) {
    it(`in ${name}: every tool call goes through, with one line saying why`, async () => {
      const dir = folder.make();
      const calls = [
        preToolUse(dir, 'Write', { file_path: join(dir, 'src/add.js'), content: 'x' }),
        preToolUse(dir, 'Edit', { file_path: join(dir, 'sluice.yaml'), old_string: 'a', new_string: 'b' }),
        preToolUse(dir, 'Edit', { file_path: join(dir, 'add.test.js'), old_string: 'a', new_string: 'b' }),
        preToolUse(dir, 'Bash', { command: 'echo hi > add.test.js' }),
        preToolUse(dir, 'Read', { file_path: join(dir, 'sluice.yaml') }),
      ];
      for (const call of await Promise.all(calls)) {
        expect(call.exitCode).toBe(0);
        expect(call.stdout).toBe('');
        expect(call.stderr.trim().split('\n')).toHaveLength(1);
        expect(call.stderr).toMatch(folder.says);
        expect(call.stderr).toMatch(/^sluice hook pre-tool-use: .*; letting the tool run\n$/);
      }
    });
  }

  for (const name of ['a fresh git init without commits', 'a plain folder with a sluice.yaml'] as const) {
    it(`in ${name}: the Stop hook lets the agent stop, with one line saying why`, async () => {
      const dir = folders[name].make();
      const run = await stop(dir);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(folders[name].says);
      expect(run.stderr).toMatch(/^sluice hook stop: .*; letting the agent stop\n$/);
    });
  }

  it('once the first commit is made, the same hooks guard and judge again', async () => {
    const repo = freshRepository();
    execFileSync('git', ['-C', repo, 'add', '-A']);
    execFileSync('git', ['-C', repo, '-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'first']);
    const denied = await preToolUse(repo, 'Edit', {
      file_path: join(repo, 'sluice.yaml'),
      old_string: 'a',
      new_string: 'b',
    });
    expect(denied.exitCode).toBe(2);
    expect(denied.stderr).toContain('sluice.yaml');
    const blocked = await stop(repo);
    expect(blocked.exitCode).toBe(2);
    expect(blocked.stderr).toContain('not done');
  });
});
