import { join } from 'node:path';
import { gitdir } from '../../support/gitdir.ts';
import { type CliRun, runSluice } from '../../support/sluice-cli.ts';

/** `sluice hook stop` or `sluice hook pre-tool-use` as Claude Code runs them: the hook JSON on stdin. */
export function hook(event: 'stop' | 'pre-tool-use', stdin: object, repo: string): Promise<CliRun> {
  return runSluice(['hook', event], { cwd: repo, env: { CLAUDE_PROJECT_DIR: repo }, input: JSON.stringify(stdin) });
}

export const stop = (repo: string) =>
  hook('stop', { session_id: 'ign-1', cwd: repo, hook_event_name: 'Stop', stop_hook_active: false }, repo);

/** The agent's first tool call (a read): the session starts here, before anything is planted. */
export const firstToolCall = (repo: string) =>
  hook(
    'pre-tool-use',
    {
      session_id: 'ign-1',
      cwd: repo,
      hook_event_name: 'PreToolUse',
      tool_name: 'Read',
      tool_input: { file_path: join(repo, 'calc.py') },
    },
    repo,
  );

/** A pytest project whose `add` is wrong; git ignores bytecode, as Python projects do. */
export function brokenCalcRepo(): Promise<string> {
  return gitdir({
    files: {
      '.gitignore': '__pycache__/\n.sluice/\n',
      'calc.py': 'def add(a, b):\n    return a - b\n',
      'tests/test_calc.py': 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n',
      'sluice.yaml':
        'gates:\n  unit:\n    run: python3 -m pytest -q -p no:cacheprovider tests\n    kind: test\n    inputs: ["*.py", "tests/**"]\n',
    },
  });
}
