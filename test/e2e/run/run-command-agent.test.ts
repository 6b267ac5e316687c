import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('sluice run with a command agent', () => {
  it('feeds the failing test back and ends done once the checks pass, with receipts', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([
      { write: wrongAdd, usage: { input: 1000, output: 200, cost: 0.01 } },
      { write: rightAdd, usage: { input: 1500, output: 300, cost: 0.02 } },
    ]);
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      {
        cwd: repo,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
    );

    const prompts = agent.prompts();
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain('# Goal\n\nMake add() add');
    expect(prompts[0]).not.toContain('What the checks said');
    expect(prompts[1]).toContain('adds two numbers (test/add.test.js:6)');
    expect(prompts[1]).toContain('expected: 5  received: 6');

    // The user's checkout is untouched; the run's branch holds the two turns.
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toContain('a - b');
    const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
    expect(await git(repo, 'log', '--format=%s', `sluice/${runId}`, '-2')).toBe(
      `sluice: iteration 2 of run ${runId}\nsluice: iteration 1 of run ${runId}`,
    );
    expect(await git(repo, 'show', `sluice/${runId}:src/add.js`)).toBe(rightAdd.trim());

    const usage = await runSluice(['usage', '--json'], { cwd: repo });
    expect(JSON.parse(usage.stdout)).toEqual([
      expect.objectContaining({
        key: 'scripted-1',
        inputTokens: 2500,
        outputTokens: 500,
        costUsd: 0.03,
        records: 2,
        unknownCostRecords: 0,
      }),
    ]);
    const show = await runSluice(['show', runId], { cwd: repo });
    expect(show.stdout).toContain(`run ${runId}: done`);
    expect(show.stdout).toContain('iteration 1: agent finished · checks failed · 1 file +1 −1');
    expect(show.stdout).toMatch(/branch sluice\/\S+ from main \(/);
    expect(show.stdout).toMatch(/ {2}failed {4}unit \(\d+\.\ds\) · 1 of 1 tests failed/);
    expect(show.stdout).toContain('iteration 2: agent finished · checks passed');
    const evidence = readFileSync(join(repo, '.sluice/runs', runId, 'evidence.md'), 'utf8');
    expect(evidence).toContain(`# Sluice run ${runId}: done`);
    expect(evidence).toContain('| unit | passed |');
    const runs = await runSluice(['runs'], { cwd: repo });
    expect(runs.stdout).toContain(`${runId}  done  Make add() add`);
  });

  it('ends blocked when the agent keeps producing the same failure', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([
      { write: wrongAdd },
      { write: `${wrongAdd}// try again\n` },
      { write: `${wrongAdd}// and again\n` },
    ]);
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      {
        cwd: repo,
      },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'blocked: the same checks failed the same way in 3 iterations in a row (iterations 1–3) (3 iterations)',
    );
  });

  it('records an agent that exits non-zero and goes on', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: 'exit 7' }, { write: rightAdd }]);
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      {
        cwd: repo,
      },
    );
    expect(run.stdout).toContain('agent failed (the agent exited with 7)');
    expect(run.exitCode).toBe(0);
  });

  it('stops at the token budget and leaves no agent running', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: wrongAdd, usage: { input: 5000, output: 100, cost: null } }]);
    const run = await runSluice(
      [
        'run',
        'Make add() add',
        '--agent',
        'command',
        '--agent-command',
        agent.command,
        '--prompt-via',
        'stdin',
        '--max-tokens',
        '4000',
      ],
      { cwd: repo },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('budget-exhausted: used 5100 tokens of a 4000-token budget');
  });

  it('refuses a USD budget for an agent whose cost it cannot know', async () => {
    const repo = await brokenAdderRepo();
    const run = await runSluice(['run', 'g', '--agent', 'command', '--agent-command', 'true', '--max-usd', '1'], {
      cwd: repo,
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'Add a token budget (--max-tokens), price the model under pricing: in sluice.yaml, or drop --max-usd',
    );
  });

  it('judges with the sluice.yaml of the base commit: an agent that rewrites it does not change its judge', async () => {
    const repo = await brokenAdderRepo();
    const cheat = `printf 'gates:\\n  unit: { run: "true" }\\n' > sluice.yaml`;
    const run = await runSluice(
      [
        'run',
        'Make add() add',
        '--agent',
        'command',
        '--agent-command',
        cheat,
        '--prompt-via',
        'stdin',
        '--max-iterations',
        '2',
      ],
      {
        cwd: repo,
      },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('checks failed: unit (1 of 1 tests)');
    expect(run.stdout).toContain('budget-exhausted: reached the limit of 2 iterations');
    const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
    // The agent's edit is on the run branch for the reviewer to see; it judged nothing.
    expect(await git(repo, 'show', `sluice/${runId}:sluice.yaml`)).toBe('gates:\n  unit: { run: "true" }');
  });
});

/**
 * A shell agent that fixes add() in its worktree and then tries every way out of it it knows: a temp
 * folder, the user's checkout, $HOME, the shared git dir (hooks, config, info/exclude, main's ref), a
 * symlink from the worktree to outside, a remount of / as root, and a background process writing after
 * the turn. Each attempt that succeeds prints ESCAPED <what>.
 */
function escapingAgent(outside: string): string {
  const dir = tempDir('sluice-escaping-agent-');
  const script = join(dir, 'agent.sh');
  writeFileSync(
    script,
    `cat > src/add.js <<'EOF'
${rightAdd}EOF
common=$(git rev-parse --path-format=absolute --git-common-dir)
main=$(dirname "$common")
try() { what=$1; shift; if ( "$@" ) 2>/dev/null; then echo "ESCAPED $what"; fi; }
try temp sh -c 'echo x > "$0/temp.txt"' "${outside}"
try checkout sh -c 'echo x > "$0/src/add.js"' "$main"
try home sh -c 'echo x > "$HOME/.profile"'
try hook sh -c 'echo "#!/bin/sh" > "$0/hooks/post-commit"' "$common"
try config git config --file "$common/config" core.hooksPath /tmp
try exclude sh -c 'echo src > "$0/info/exclude"' "$common"
try main-ref sh -c 'git update-ref refs/heads/main $(git commit-tree "HEAD^{tree}" -p HEAD -m moved)'
ln -s "${outside}/symlinked.txt" escape-link 2>/dev/null
try symlink sh -c 'echo x > escape-link'
rm -f escape-link
# Only where / is read-only: remounting the real root of the machine running the tests is not the point.
if ! (echo > "${outside}/probe") 2>/dev/null; then
  try remount sh -c 'mount -o remount,rw,bind / / && echo x > "$0/remount.txt"' "${outside}"
fi
rm -f "${outside}/probe"
(sleep 1; echo x > "${outside}/late.txt") > /dev/null 2>&1 &
git add src/add.js && git commit -q -m "the agent's own commit" && echo "COMMITTED"
`,
  );
  return `sh '${script}'`;
}

describe('the sandbox of a command agent', () => {
  it('is on by default: the agent writes its worktree and commits on its branch, and nowhere else', async () => {
    const repo = await brokenAdderRepo();
    const outside = tempDir('sluice-outside-');
    const home = tempDir('sluice-home-');
    const mainBefore = await git(repo, 'rev-parse', 'main');
    const configBefore = readFileSync(join(repo, '.git/config'), 'utf8');
    const run = await runSluice(
      [
        'run',
        'Make add() add',
        '--agent',
        'command',
        '--agent-command',
        escapingAgent(outside),
        '--prompt-via',
        'stdin',
      ],
      // Sluice keeps its config cache in the user's cache folder: outside HOME here, so HOME shows the agent's writes alone.
      { cwd: repo, env: { HOME: home, XDG_CACHE_HOME: tempDir('sluice-cache-') } },
    );
    expect(run.stdout).toContain('agent sandbox: bubblewrap: everything read-only except the worktree');
    expect(run.exitCode).toBe(0);
    const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
    const log = readFileSync(join(repo, '.sluice/runs', runId, 'iteration-1/agent.log'), 'utf8');
    expect(log).not.toContain('ESCAPED');
    expect(log).toContain('COMMITTED');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the background writer's second
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(home)).toEqual([]);
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toContain('return a - b;');
    expect(existsSync(join(repo, '.git/hooks/post-commit'))).toBe(false);
    expect(readFileSync(join(repo, '.git/config'), 'utf8')).toBe(configBefore);
    expect(
      existsSync(join(repo, '.git/info/exclude')) ? readFileSync(join(repo, '.git/info/exclude'), 'utf8') : '',
    ).not.toContain('src');
    expect(await git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    // Its own commit landed on its branch: the git parts a commit needs are writable.
    expect(await git(repo, 'log', '--format=%s', `sluice/${runId}`)).toContain("the agent's own commit");
    expect(await git(repo, 'show', `sluice/${runId}:src/add.js`)).toBe(rightAdd.trim());
  });

  it('--sandbox off lets the same agent write outside its worktree, and says the run was not sandboxed', async () => {
    const repo = await brokenAdderRepo();
    const outside = tempDir('sluice-outside-');
    const home = tempDir('sluice-home-');
    const run = await runSluice(
      [
        'run',
        'Make add() add',
        '--agent',
        'command',
        '--agent-command',
        escapingAgent(outside),
        '--prompt-via',
        'stdin',
        '--sandbox',
        'off',
      ],
      { cwd: repo, env: { HOME: home } },
    );
    expect(run.stdout).toContain('agent sandbox: not sandboxed: agent.sandbox is off');
    expect(readFileSync(join(outside, 'temp.txt'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(outside, 'symlinked.txt'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(home, '.profile'), 'utf8')).toBe('x\n');
  });

  it('lets the agent write the folders agent.sandbox_writable names, and only those', async () => {
    const allowed = tempDir('sluice-allowed-');
    const other = tempDir('sluice-other-');
    const repo = await brokenAdderRepo(`agent:\n  sandbox_writable: ["${allowed}"]\n`);
    const agent = `sh -c 'echo a > "${allowed}/a.txt"; echo b > "${other}/b.txt"; cat > src/add.js <<EOF\n${rightAdd}EOF'`;
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent, '--prompt-via', 'stdin'],
      { cwd: repo },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`a private TMPDIR, and ${allowed}`);
    expect(readFileSync(join(allowed, 'a.txt'), 'utf8')).toBe('a\n');
    expect(readdirSync(other)).toEqual([]);
  });

  it('takes the sandboxed agent down with a Sluice killed -9: nothing of it outlives Sluice', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: 'hang' }]);
    const sluice = startSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent.command, '--prompt-via', 'stdin'],
      repo,
    );
    expect(await waitFor(() => agent.prompts().length === 1 && agent.lastPid() > 0, 20_000)).toBe(true);
    const hanging = agent.lastPid();
    expect(isProcessAlive(hanging)).toBe(true);
    const tempOf = (pid: number | undefined) =>
      readdirSync(tmpdir()).filter((name) => name.startsWith(`sluice-agent-tmp-${pid}-`));
    expect(tempOf(sluice.child.pid)).toHaveLength(1);
    sluice.child.kill('SIGKILL');
    await sluice.exited;
    expect(await waitFor(() => !isProcessAlive(hanging))).toBe(true);
    // The killed Sluice could not remove the agent's private TMPDIR: the next run's first turn does.
    expect(tempOf(sluice.child.pid)).toHaveLength(1);
    const next = await runSluice(
      ['run', 'Make add() add', '--agent', 'command', '--agent-command', 'true', '--max-iterations', '1'],
      { cwd: repo },
    );
    expect(next.stdout).toContain('iteration 1');
    expect(tempOf(sluice.child.pid)).toEqual([]);
  });

  it('on a machine without bubblewrap: required refuses to start, auto runs unsandboxed and says why', async () => {
    const repo = await brokenAdderRepo();
    const outside = tempDir('sluice-outside-');
    const env = { PATH: pathWithout('bwrap'), HOME: tempDir('sluice-home-') };
    const agent = escapingAgent(outside);
    const args = ['run', 'Make add() add', '--agent', 'command', '--agent-command', agent, '--prompt-via', 'stdin'];

    const required = await runSluice([...args, '--sandbox', 'required'], { cwd: repo, env });
    expect(required.exitCode).toBe(2);
    expect(required.stderr).toContain('agent.sandbox is "required", but the command agent cannot be sandboxed here');
    expect(required.stderr).toContain('bubblewrap (bwrap) is not installed');
    expect(existsSync(join(repo, '.sluice/runs'))).toBe(false);
    expect(readdirSync(outside)).toEqual([]);

    const auto = await runSluice(args, { cwd: repo, env });
    expect(auto.stdout).toContain('agent sandbox: not sandboxed: bubblewrap (bwrap) is not installed');
    expect(readFileSync(join(outside, 'temp.txt'), 'utf8')).toBe('x\n');
  });
});

/** A PATH like this machine's, minus one tool: every other program of PATH linked into one folder. */
function pathWithout(tool: string): string {
  const bin = tempDir(`sluice-path-without-${tool}-`);
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir || !existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name === tool || existsSync(join(bin, name))) continue;
      symlinkSync(join(dir, name), join(bin, name));
    }
  }
  return bin;
}
