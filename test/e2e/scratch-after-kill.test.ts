import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hookSessionsDir } from '../../src/hooks/hook-sessions.ts';
import { gitdir } from '../support/gitdir.ts';
import { isProcessAlive, waitFor } from '../support/process-state.ts';
import { runSluice, sluiceBin } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A pid no process has now: one that just exited. */
function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$']);
  return Number(child.stdout.toString().trim());
}

/**
 * A `git` first on PATH that hangs (recording its pid) when `hang` exists: Sluice is then in the middle of
 * a git call when it is killed.
 */
function hangingGit(hang: string, pidFile: string): string {
  const bin = tempDir('sluice-fake-git-');
  const real = spawnSync('sh', ['-c', 'command -v git']).stdout.toString().trim();
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh\nif [ -e '${hang}' ]; then echo $$ >> '${pidFile}'; exec sleep 60; fi\nexec '${real}' "$@"\n`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  return bin;
}

const scratchOf = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith('sluice-'));

describe('scratch left by a Sluice killed with -9 is gone after the next command', () => {
  it('removes the git scratch folders of dead owners, and only theirs', async () => {
    const repo = await gitdir({
      files: { 'sluice.yaml': 'gates:\n  unit:\n    run: "true"\n    inputs: ["*.yaml"]\n' },
    });
    const tmp = tempDir('sluice-tmpdir-');
    const hang = join(tmp, '..', `${tmp.split('/').at(-1)}.hang`);
    const gitPid = join(tempDir('sluice-git-pid-'), 'pid');
    writeFileSync(hang, '');
    onTestFinished(() => {
      spawnSync('rm', ['-f', hang]);
    });
    const bin = hangingGit(hang, gitPid);
    const env = { ...process.env, CI: '1', TMPDIR: tmp, PATH: `${bin}:${process.env.PATH}` };
    const sluice = spawn(process.execPath, [sluiceBin, 'check'], { cwd: repo, env, stdio: 'ignore' });
    const exited = new Promise((resolve) => sluice.once('exit', resolve));
    // Should an expectation fail first, nothing started here may outlive the test.
    onTestFinished(() => {
      sluice.kill('SIGKILL');
      const pids = existsSync(gitPid) ? readFileSync(gitPid, 'utf8').trim().split('\n').map(Number) : [];
      for (const pid of pids.filter(isProcessAlive)) process.kill(pid, 'SIGKILL');
    });
    // Mid-operation: a git call of this Sluice is under way.
    expect(await waitFor(() => existsSync(gitPid), 20_000)).toBe(true);
    sluice.kill('SIGKILL');
    await exited;
    // Every git call under way hangs: none may outlive the test (one just forked records itself late).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const gits = readFileSync(gitPid, 'utf8').trim().split('\n').map(Number);
    for (const git of gits) process.kill(git, 'SIGKILL');
    expect(await waitFor(() => gits.every((git) => !isProcessAlive(git)))).toBe(true);
    // git runs with pipes, no scratch folder: the kill left none.
    expect(scratchOf(tmp)).toEqual([]);

    // Someone alive (this test) keeps its scratch; the dead keep nothing, old-style names aside. A dead
    // Sluice of an earlier version left one per git call under way.
    mkdirSync(join(tmp, `sluice-git-${deadPid()}-Zx9Yw8`));
    const alive = join(tmp, `sluice-git-${process.pid}-abcdef`);
    const dead = join(tmp, `sluice-gh-${deadPid()}-ABC123`);
    mkdirSync(alive);
    mkdirSync(join(dead, 'inside'), { recursive: true });
    // Named before owners were: removed once a day old, kept while it could still be in use.
    const oldStyle = join(tmp, 'sluice-git-Q1w2E3');
    const recentOldStyle = join(tmp, 'sluice-gh-R4t5Y6');
    mkdirSync(oldStyle);
    mkdirSync(recentOldStyle);
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(oldStyle, twoDaysAgo, twoDaysAgo);
    spawnSync('rm', ['-f', hang]);
    const next = await runSluice(['check'], { cwd: repo, env: { TMPDIR: tmp } });
    expect(next.exitCode).toBe(0);
    expect(scratchOf(tmp).sort()).toEqual(['sluice-gh-R4t5Y6', `sluice-git-${process.pid}-abcdef`]);
  });

  it('removes the temp files of atomic writes whose writer died, in the gate cache and the hook sessions', async () => {
    const repo = await gitdir({
      files: {
        'sluice.yaml': 'gates:\n  unit:\n    run: "true"\n    inputs: ["*.yaml"]\n',
        '.gitignore': '.sluice/\n',
      },
    });
    const pid = deadPid();
    mkdirSync(join(repo, '.sluice', 'cache'), { recursive: true });
    mkdirSync(hookSessionsDir(repo), { recursive: true });
    const cacheTemp = join(repo, '.sluice', 'cache', `unit.json.${pid}.tmp`);
    const hookTemp = join(hookSessionsDir(repo), `s-1.json.${pid}.tmp`);
    const liveTemp = join(repo, '.sluice', 'cache', `other.json.${process.pid}.tmp`);
    for (const path of [cacheTemp, hookTemp, liveTemp]) writeFileSync(path, '{"torn":');
    expect((await runSluice(['check'], { cwd: repo })).exitCode).toBe(0);
    const stop = spawnSync(process.execPath, [sluiceBin, 'hook', 'pre-tool-use'], {
      cwd: repo,
      input: JSON.stringify({
        session_id: 's-2',
        cwd: repo,
        hook_event_name: 'PreToolUse',
        tool_name: 'Read',
        tool_input: {},
      }),
    });
    expect(stop.status).toBe(0);
    expect(existsSync(cacheTemp)).toBe(false);
    expect(existsSync(hookTemp)).toBe(false);
    expect(existsSync(liveTemp)).toBe(true);
  });
});
