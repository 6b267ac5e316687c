import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { fakeGithub } from '../../support/fake-github.ts';
import { git } from '../../support/gitdir.ts';
import { waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd, type ScriptedTurn, scriptedAgent } from '../../support/run-fixtures.ts';
import { runSluice, sluiceBin } from '../../support/sluice-cli.ts';
import { writeFiles } from '../../support/write-files.ts';

// The pull_request step against a local fake GitHub: a bare remote and a fake `gh` (test/support/fake-gh.mjs).

async function prRepo(turns: ScriptedTurn[], follow = 'poll: 300ms, rounds: 4', pullRequest = true) {
  const writer = scriptedAgent(turns);
  // review.pull_request decides where a pull_request step sends the change: a PR, or the review queue.
  const repo = await brokenAdderRepo(`review: { pull_request: ${pullRequest} }\n`);
  writeFiles(repo, {
    'writer.sh': `#!/bin/sh\nexec ${writer.command}\n`,
    '.gitignore': '.sluice/\n',
    '.sluice/workflows/ship.yaml': `steps:
  write:
    agent: { goal: Make add() add, agent: command, command: ./writer.sh, prompt_via: stdin, max_iterations: 2 }
  pr:
    needs: [write]
    pull_request: { of: write, ${follow} }
`,
  });
  await git(repo, 'add', '-A');
  await git(repo, 'update-index', '--chmod=+x', 'writer.sh');
  await git(repo, 'commit', '-q', '-m', 'workflow');
  return { repo, writer };
}

/** Another developer lands `files` on the remote's main. */
async function landElsewhere(remote: string, files: Record<string, string>) {
  const other = mkdtempSync(join(tmpdir(), 'sluice-other-'));
  onTestFinished(() => rmSync(other, { recursive: true, force: true }));
  await git(other, 'clone', '--quiet', remote, 'clone');
  const clone = join(other, 'clone');
  await git(clone, 'config', 'user.email', 'o@sluice.invalid');
  await git(clone, 'config', 'user.name', 'Other');
  writeFiles(clone, files);
  await git(clone, 'add', '-A');
  await git(clone, 'commit', '-q', '-m', 'theirs');
  await git(clone, 'push', '--quiet', 'origin', 'main');
}

async function showOf(repo: string, stdout: string) {
  const id = /workflow ship (w-\S+)/.exec(stdout)?.[1] ?? '';
  return (await runSluice(['workflow', 'show', id], { cwd: repo })).stdout;
}

describe('pull_request steps', () => {
  it('without review.pull_request, puts the done change in the review queue instead, one item, and touches no GitHub', async () => {
    const { repo } = await prRepo([{ write: rightAdd }], 'poll: 300ms, rounds: 4', false);
    const github = await fakeGithub(repo, { checks: [[{ name: 'ci', bucket: 'pass' }]] });
    const run = await runSluice(['workflow', 'run', 'ship'], { cwd: repo, env: github.env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.state().calls).toEqual([]);
    expect(github.state().prs).toHaveLength(0);
    const show = await showOf(repo, run.stdout);
    expect(show).toContain('state=queued');
    const runId = /review_run=(\S+)/.exec(show)?.[1] ?? '';
    expect((await runSluice(['review', 'list'], { cwd: repo })).stdout).toContain(runId);
    const store = await RunStore.open(runStorePath(repo));
    try {
      const items = await store.queue.listReviewItems();
      expect(items.map((item) => [item.runId, item.status])).toEqual([[runId, 'waiting']]);
      expect(items[0]?.headCommit).toBe((await git(repo, 'rev-parse', `sluice/${runId}`)).trim());
    } finally {
      await store.close();
    }
  });

  it('with review.pull_request, opens the PR and puts nothing in the review queue', async () => {
    const { repo } = await prRepo([{ write: rightAdd }]);
    const github = await fakeGithub(repo, { checks: [[{ name: 'ci', bucket: 'pass' }]] });
    const run = await runSluice(['workflow', 'run', 'ship'], { cwd: repo, env: github.env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(github.state().prs).toHaveLength(1);
    // Any later command (it queues runs left due) still finds nothing to queue: the run went to the PR.
    await runSluice(['review', 'list'], { cwd: repo });
    const store = await RunStore.open(runStorePath(repo));
    try {
      expect(await store.queue.listReviewItems()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('pushes the branch, opens the PR, and is done once the required checks go green', async () => {
    const { repo } = await prRepo([{ write: rightAdd }]);
    const github = await fakeGithub(repo, {
      checks: [[{ name: 'ci', bucket: 'pending' }], [{ name: 'ci', bucket: 'pass' }]],
    });
    const run = await runSluice(['workflow', 'run', 'ship'], { cwd: repo, env: github.env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const state = github.state();
    expect(state.prs).toHaveLength(1);
    const head = state.prs[0]?.head ?? '';
    expect(state.prs[0]).toMatchObject({ base: 'main', title: 'Make add() add' });
    expect(await git(state.remote, 'show', `refs/heads/${head}:src/add.js`)).toContain('return a + b;');
    expect(state.polls).toBe(2);
    const show = await showOf(repo, run.stdout);
    expect(show).toContain('state=mergeable');
    expect(show).toContain('url=https://github.invalid/acme/repo/pull/1');
  });

  it('hands a new review comment to the writing agent, pushes its fix, then is done', async () => {
    const { repo, writer } = await prRepo([{ write: rightAdd }, { write: `${rightAdd}// sum\n` }]);
    const github = await fakeGithub(repo, {
      checks: [[{ name: 'ci', bucket: 'pass' }]],
      comments: [
        {
          id: 101,
          body: 'name the result sum',
          path: 'src/add.js',
          line: 2,
          user: { login: 'octocat' },
          after_poll: 1,
        },
      ],
    });
    const run = await runSluice(['workflow', 'run', 'ship'], { cwd: repo, env: github.env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const prompts = writer.prompts();
    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toContain('octocat on src/add.js:2: name the result sum');
    const state = github.state();
    expect(state.prs).toHaveLength(1);
    expect(await git(state.remote, 'show', `refs/heads/${state.prs[0]?.head}:src/add.js`)).toContain('// sum');
    const show = await showOf(repo, run.stdout);
    expect(show).toContain('state=mergeable');
    expect(show).toContain('comments_sent=1');
  });

  it('is blocked naming the conflict when the base moved under the change, and never green on its own', async () => {
    const { repo, writer } = await prRepo([{ write: rightAdd }]);
    const github = await fakeGithub(repo, { checks: [[{ name: 'ci', bucket: 'pass' }]] });
    // Someone else lands a change of the same line on the remote's main.
    await landElsewhere(github.remote, { 'src/add.js': 'export function add(a, b) {\n  return b + a + 0;\n}\n' });

    const run = await runSluice(['workflow', 'run', 'ship'], { cwd: repo, env: github.env });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('blocked: waiting for a human to resolve the conflict with main in src/add.js');
    expect(writer.prompts()).toHaveLength(1);
    // The rebase was aborted: the branch is still the agent's, and the remote still has it as pushed.
    const head = github.state().prs[0]?.head ?? '';
    expect(await git(github.remote, 'show', `refs/heads/${head}:src/add.js`)).toContain('return a + b;');
    const show = await showOf(repo, run.stdout);
    expect(show).toContain('state=blocked');
  });

  it('rebases a branch that fell behind its base, pushes it, then is done', async () => {
    const { repo } = await prRepo([{ write: rightAdd }]);
    const github = await fakeGithub(repo, { checks: [[{ name: 'ci', bucket: 'pass' }]] });
    await landElsewhere(github.remote, { 'NOTES.md': 'theirs\n' });
    const run = await runSluice(['workflow', 'run', 'ship'], { cwd: repo, env: github.env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const head = `refs/heads/${github.state().prs[0]?.head}`;
    expect(await git(github.remote, 'show', `${head}:NOTES.md`)).toBe('theirs');
    expect(await git(github.remote, 'show', `${head}:src/add.js`)).toContain('return a + b;');
    await git(github.remote, 'merge-base', '--is-ancestor', 'refs/heads/main', head);
  });

  it('names the reviewer who requested changes, or the checks still pending, or the failed check, when blocked', async () => {
    const waiting = await prRepo([{ write: rightAdd }]);
    const alice = await fakeGithub(waiting.repo, {
      checks: [[{ name: 'ci', bucket: 'pass' }]],
      reviewDecision: 'CHANGES_REQUESTED',
      reviews: [
        { author: { login: 'bob' }, state: 'APPROVED' },
        { author: { login: 'alice' }, state: 'CHANGES_REQUESTED' },
      ],
    });
    const run = await runSluice(['workflow', 'run', 'ship'], { cwd: waiting.repo, env: alice.env });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('blocked: waiting for alice, who requested changes');
    expect(alice.state().polls).toBe(4);

    const slow = await prRepo([{ write: rightAdd }], 'poll: 100ms, rounds: 2');
    const pending = await fakeGithub(slow.repo, { checks: [[{ name: 'e2e', bucket: 'pending' }]] });
    const stuck = await runSluice(['workflow', 'run', 'ship'], { cwd: slow.repo, env: pending.env });
    expect(stuck.exitCode).toBe(1);
    expect(stuck.stdout).toContain('blocked: waiting for checks pending: e2e');

    const red = await prRepo([{ write: rightAdd }]);
    const failing = await fakeGithub(red.repo, {
      checks: [
        [
          { name: 'ci', bucket: 'pass' },
          { name: 'lint', bucket: 'fail' },
        ],
      ],
    });
    const failed = await runSluice(['workflow', 'run', 'ship'], { cwd: red.repo, env: failing.env });
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toContain('required checks failed: lint');
  });

  it('a kill -9 while it waits on checks resumes at its round, and opens no second PR', async () => {
    const { repo } = await prRepo([{ write: rightAdd }], 'poll: 1s, rounds: 8');
    const pendingCi = [{ name: 'ci', bucket: 'pending' }];
    const github = await fakeGithub(repo, {
      checks: [pendingCi, pendingCi, pendingCi, [{ name: 'ci', bucket: 'pass' }]],
    });
    const child = spawn(process.execPath, [sluiceBin, 'workflow', 'run', 'ship'], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '1', ...github.env },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    expect(await waitFor(() => github.state().polls >= 2, 30_000), stdout).toBe(true);
    child.kill('SIGKILL');
    await exited;

    const id = /workflow ship (w-\S+)/.exec(stdout)?.[1] ?? '';
    const resumed = await runSluice(['workflow', 'resume', id], { cwd: repo, env: github.env });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    const state = github.state();
    expect(state.calls.filter((call) => call.startsWith('pr create'))).toHaveLength(1);
    expect(state.prs).toHaveLength(1);
    const show = (await runSluice(['workflow', 'show', id], { cwd: repo })).stdout;
    // One look per round: the resumed step went on counting rounds (a look a kill cut short is redone).
    const round = Number(/pr \[pull_request\]: succeeded \(round (\d+), attempt 2\)/.exec(show)?.[1]);
    expect(round, show).toBeGreaterThanOrEqual(state.polls - 1);
  });
});
