import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

const runArgs = ['run', 'a goal', '--agent', 'command', '--agent-command', 'true'];

describe('sluice run refuses clearly', () => {
  it('outside a git repository, and in one without a commit', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  a: { run: "true" }\n' });
    const outside = await runSluice(runArgs, { cwd: dir });
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toContain('is not inside a git repository: a run needs one for its worktree');
    await git(dir, 'init', '--quiet');
    const empty = await runSluice(runArgs, { cwd: dir });
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toContain('the repository has no commit yet: commit your code and sluice.yaml');
  });

  it('a USD budget for a Codex model that has no price, before starting anything', async () => {
    const repo = await brokenAdderRepo();
    const unpriced = await runSluice(['run', 'g', '--agent', 'codex', '--model', 'mystery-model-1', '--max-usd', '1'], {
      cwd: repo,
    });
    expect(unpriced.exitCode).toBe(2);
    expect(unpriced.stderr).toContain("a USD budget needs a known cost, and this agent's cannot be known");
    expect((await runSluice(['runs', '--json'], { cwd: repo })).stdout.trim()).toBe('[]');
  });

  it('when sluice.yaml is not committed at the base, and for an unknown base ref', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'README.md': 'x\n' });
    await git(dir, 'init', '--quiet');
    await git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A');
    await git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'i');
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  a: { run: "true" }\n' });
    const uncommitted = await runSluice(runArgs, { cwd: dir });
    expect(uncommitted.exitCode).toBe(2);
    expect(uncommitted.stderr).toContain(
      'sluice.yaml is not committed at HEAD: commit it first, the judge of a run comes from its base',
    );
    const badBase = await runSluice([...runArgs, '--base', 'no-such-branch'], { cwd: dir });
    expect(badBase.exitCode).toBe(2);
    expect(badBase.stderr).toContain("Ref 'no-such-branch' does not name a commit");
  });
});
