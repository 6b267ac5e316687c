import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitdir } from '../../support/gitdir.ts';
import { brokenCalcRepo, firstToolCall, stop } from './hook-calc-fixtures.ts';

// The Stop hook measures the change from the base its session recorded, in the work tree git names as the top
// (not the folder that holds sluice.yaml, nor one that merely holds a `.git`). In both cases the weakened test
// passes against the broken code, so only the guard can block.

const weakened = 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == -1\n';
const commitAll = 'git add -A && git -c user.name=a -c user.email=a@b commit -qm weak';

describe('sluice hook stop: the recorded base and the top of the work tree', () => {
  it('blocks a weakened test the agent committed after the session started (HEAD is no longer the base)', async () => {
    const repo = await brokenCalcRepo();
    expect((await firstToolCall(repo)).exitCode).toBe(0);
    writeFileSync(join(repo, 'tests/test_calc.py'), weakened);
    execSync(commitAll, { cwd: repo, stdio: 'ignore' });
    const stopped = await stop(repo);
    expect(stopped.exitCode).toBe(2);
    expect(stopped.stderr).toContain('expected-value-changed');
  });

  it('blocks it when the judged folder is below the top and holds a `.git` that is not a repository', async () => {
    const repo = await gitdir({
      files: {
        '.gitignore': '__pycache__/\n.sluice/\n',
        'README.md': 'the top of the work tree\n',
        'app/calc.py': 'def add(a, b):\n    return a - b\n',
        'app/tests/test_calc.py': 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n',
        'app/sluice.yaml':
          'gates:\n  unit:\n    run: python3 -m pytest -q -p no:cacheprovider tests\n    kind: test\n    inputs: ["*.py", "tests/**"]\n',
      },
    });
    const app = join(repo, 'app');
    expect((await firstToolCall(app)).exitCode).toBe(0);
    writeFileSync(join(app, 'tests/test_calc.py'), weakened);
    execSync(commitAll, { cwd: repo, stdio: 'ignore' });
    // Not a repository, so git's search for one goes on: the folder above is the top.
    mkdirSync(join(app, '.git'));
    const stopped = await stop(app);
    expect(stopped.exitCode).toBe(2);
    expect(stopped.stderr).toContain('app/tests/test_calc.py');
    expect(stopped.stderr).toContain('expected-value-changed');
  });
});
