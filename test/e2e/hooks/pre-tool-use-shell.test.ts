import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitdir } from '../../support/gitdir.ts';
import { type CliRun, runSluice } from '../../support/sluice-cli.ts';

/** `sluice hook pre-tool-use` as Claude Code runs it: a Bash tool call's JSON on stdin, in the project. */
function bashHook(cwd: string, command: string): Promise<CliRun> {
  const input = {
    session_id: 's-shell',
    cwd,
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command },
  };
  return runSluice(['hook', 'pre-tool-use'], { cwd, input: JSON.stringify(input) });
}

const files = {
  'package.json': '{ "type": "module" }\n',
  'src/add.js': 'export const add = (a, b) => a - b;\n',
  'test/add.test.js': "import { test } from 'node:test';\ntest('adds', () => {});\n",
  'sluice.yaml': 'gates:\n  unit:\n    run: node --test\n',
};

describe('sluice hook pre-tool-use on shell commands', () => {
  it('refuses writes hidden by spelling, variables, symlinks, git and interpreters, and lets reads run', async () => {
    const repo = await gitdir({ files });
    symlinkSync('sluice.yaml', join(repo, 'settings.yaml'));
    const refused: [string, string][] = [
      ['echo x>sluice.yaml', 'sluice.yaml'],
      ['f=sluice.yaml; echo x > "$f"', 'sluice.yaml'],
      ['echo x >> settings.yaml', 'sluice.yaml (through settings.yaml)'],
      ['git checkout HEAD -- test/add.test.js', 'test/add.test.js'],
      [`python3 -c "open('test/add.test.js', 'w').write('')"`, 'test/add.test.js'],
    ];
    for (const [command, file] of refused) {
      const run = await bashHook(repo, command);
      expect(run.exitCode, command).toBe(2);
      expect(run.stderr, command).toContain(`Bash on ${file} is not allowed`);
      expect(run.stderr, command).toContain('the diff guard on your changes is the authority');
    }
    for (const command of [
      'cat sluice.yaml settings.yaml',
      'grep -n adds test/add.test.js',
      'echo x > test/new.test.js',
    ]) {
      const run = await bashHook(repo, command);
      expect(run.exitCode, command).toBe(0);
      expect(run.stderr, command).toBe('');
    }
  });
});
