import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { goal, reviewItems, sluiceRunDone } from './review-fixtures.ts';

/** A fake `gh` on PATH: it records its argv and the body file, prints a PR URL, or fails when told to. */
function fakeGh(options: { fail?: boolean } = {}) {
  const bin = tempDir('sluice-fake-gh-');
  const record = join(bin, 'calls.json');
  writeFileSync(
    join(bin, 'gh'),
    `#!${process.execPath}
const { readFileSync, writeFileSync } = require('node:fs');
const args = process.argv.slice(2);
const body = readFileSync(args[args.indexOf('--body-file') + 1], 'utf8');
writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args, body, cwd: process.cwd() }));
${options.fail ? "console.error('GraphQL: base branch does not exist'); process.exit(1);" : "console.log('https://github.example/acme/adder/pull/7');"}
`,
  );
  chmodSync(join(bin, 'gh'), 0o755);
  return {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    call: () => JSON.parse(readFileSync(record, 'utf8')) as { args: string[]; body: string; cwd: string },
  };
}

async function repoWithRemote() {
  const repo = await brokenAdderRepo('review: { pull_request: true }\n');
  const remote = join(tempDir('sluice-remote-'), 'adder.git');
  await git(repo, 'init', '--quiet', '--bare', remote);
  await git(repo, 'remote', 'add', 'origin', remote);
  return { repo, remote };
}

describe('sluice review approve with review.pull_request', () => {
  it('pushes the rebased branch and opens a pull request with the evidence as its body', async () => {
    const { repo, remote } = await repoWithRemote();
    const { runId } = await sluiceRunDone(repo, [{ write: rightAdd }]);
    const main = await git(repo, 'rev-parse', 'main');
    const gh = fakeGh();

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo, env: gh.env });
    expect(approve.stderr).toBe('');
    expect(approve.exitCode).toBe(0);
    expect(approve.stdout).toBe(`pull request https://github.example/acme/adder/pull/7 (sluice/${runId} onto main)\n`);
    const call = gh.call();
    expect(call.args.slice(0, -2)).toEqual([
      'pr',
      'create',
      '--base',
      'main',
      '--head',
      `sluice/${runId}`,
      '--title',
      goal,
    ]);
    expect(call.body).toContain(`# Sluice run ${runId}: done`);
    expect(await git(remote, 'rev-parse', `sluice/${runId}`)).toBe(await git(repo, 'rev-parse', `sluice/${runId}`));
    expect(await git(repo, 'rev-parse', 'main')).toBe(main);
    expect(await reviewItems(repo, true)).toEqual([
      expect.objectContaining({
        status: 'landed',
        decisionNote: 'pull request https://github.example/acme/adder/pull/7',
      }),
    ]);
  });

  it('records land-failed with gh complaint when no pull request could be opened', async () => {
    const { repo } = await repoWithRemote();
    const { runId } = await sluiceRunDone(repo, [{ write: rightAdd }]);
    const gh = fakeGh({ fail: true });

    const approve = await runSluice(['review', 'approve', runId], { cwd: repo, env: gh.env });
    expect(approve.exitCode).toBe(1);
    expect(approve.stderr).toBe(
      `sluice: no pull request: gh pr create exited with 1: GraphQL: base branch does not exist; branch sluice/${runId} keeps the change\n`,
    );
    expect((await reviewItems(repo, true))[0]?.status).toBe('land-failed');
  });
});
