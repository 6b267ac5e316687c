import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { git } from '../../support/gitdir.ts';
import { waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

/**
 * A scripted reviewer: prints the next scripted answer. Like the scripted writer it writes nothing
 * outside its checkout: it hands each prompt to the test over a unix socket and gets its turn number.
 */
function scriptedReviewer(answers: string[]) {
  const dir = tempDir('sluice-reviewer-');
  const socket = join(dir, 'reviewer.sock');
  const prompts: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      prompts.push(body);
      response.end(String(prompts.length));
    });
  });
  server.listen(socket);
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const script = join(dir, 'reviewer.mjs');
  writeFileSync(
    script,
    `import { readFileSync } from 'node:fs';
import { request } from 'node:http';
const prompt = readFileSync(0, 'utf8');
const count = await new Promise((resolve, reject) => {
  const sent = request({ socketPath: ${JSON.stringify(socket)}, method: 'POST' }, (response) => {
    let body = '';
    response.on('data', (chunk) => (body += chunk));
    response.on('end', () => resolve(Number(body)));
  });
  sent.on('error', reject);
  sent.end(prompt);
});
const answers = ${JSON.stringify(answers)};
console.log(answers[Math.min(count, answers.length) - 1]);
`,
  );
  return { command: `${process.execPath} ${script}`, prompts: () => [...prompts] };
}

async function reviewRepo(writerCommand: string, reviewerCommand: string, extra = '') {
  const repo = await brokenAdderRepo();
  writeFiles(repo, {
    'writer.sh': `#!/bin/sh\nexec ${writerCommand}\n`,
    '.gitignore': '.sluice/\n',
    '.sluice/workflows/change.yaml': `steps:
  write:
    agent: { goal: Make add() add, agent: command, command: ./writer.sh, prompt_via: stdin, max_iterations: 2 }${extra}
  review:
    needs: [write]
    review: { of: write, agent: command, command: "${reviewerCommand}", prompt_via: stdin, rounds: 2 }
`,
  });
  await git(repo, 'add', '-A');
  await git(repo, 'update-index', '--chmod=+x', 'writer.sh');
  await git(repo, 'commit', '-q', '-m', 'workflow');
  return repo;
}

const changes = JSON.stringify({
  verdict: 'changes',
  findings: [{ severity: 'blocking', area: 'simplicity', file: 'src/add.js', message: 'call the result sum' }],
});
const approve = JSON.stringify({ verdict: 'approve', findings: [{ severity: 'minor', area: 'tests', message: 'ok' }] });

describe('review steps', () => {
  it("sends a reviewer's blocking findings back to the writer, asks again on a malformed answer, passes on approval", async () => {
    const writer = scriptedAgent([{ write: rightAdd }, { write: `${rightAdd}// sum\n` }]);
    const reviewer = scriptedReviewer(['looks fine to me!', changes, approve]);
    const repo = await reviewRepo(writer.command, reviewer.command);
    const run = await runSluice(['workflow', 'run', 'change'], { cwd: repo });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);

    const reviews = reviewer.prompts();
    expect(reviews).toHaveLength(3);
    expect(reviews[0]).toContain('judge\nwhat they cannot: correctness, tests, types, scope, simplicity');
    expect(reviews[0]).toContain('+  return a + b;');
    expect(reviews[1]).toContain('Your last answer was not valid: no JSON object found in the answer');
    // The second review sees the fix.
    expect(reviews[2]).toContain('+// sum');

    const writes = writer.prompts();
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain('[simplicity] src/add.js: call the result sum');
    const id = /workflow change (w-\S+)/.exec(run.stdout)?.[1] ?? '';
    const show = await runSluice(['workflow', 'show', id], { cwd: repo });
    expect(show.stdout).toContain('review [review]: succeeded (round 2)');
    expect(show.stdout).toContain('verdict=approve');

    // The reviewer's changes were recorded on a round of the run; when the workflow ended, the fixed
    // change was queued for a human: one waiting item.
    const store = await RunStore.open(runStorePath(repo));
    try {
      const items = await store.queue.listReviewItems();
      expect(items.map((item) => [item.round, item.status])).toEqual([
        [1, 'changes-requested'],
        [2, 'waiting'],
      ]);
      const runId = items[0]?.runId ?? '';
      expect(items[1]?.headCommit).toBe((await git(repo, 'rev-parse', `sluice/${runId}`)).trim());
    } finally {
      await store.close();
    }
  });

  it("counts the reviewer's spend against the writer's run: a fix past the run's budget is not made", async () => {
    const writer = scriptedAgent([
      { write: rightAdd, usage: { input: 1000, output: 100, cost: 0.1 } },
      { write: `${rightAdd}// sum\n`, usage: { input: 1000, output: 100, cost: 0.1 } },
    ]);
    const spend = (cost: number) =>
      `SLUICE_USAGE ${JSON.stringify({ model: 'reviewer-1', input_tokens: 5000, output_tokens: 200, cost_usd: cost })}\n`;
    const reviewer = scriptedReviewer([`${spend(0.45)}${changes}`, `${spend(0.01)}${approve}`]);
    const repo = await reviewRepo(writer.command, reviewer.command);
    // The writer's run may spend 3,000 tokens: 1,100 of its own turn and 5,200 of the reviewer's leave no room.
    writeFiles(repo, {
      '.sluice/workflows/change.yaml': readFileSync(join(repo, '.sluice/workflows/change.yaml'), 'utf8').replace(
        'max_iterations: 2 }',
        'max_iterations: 2, max_tokens: 3000 }',
      ),
    });
    const run = await runSluice(['workflow', 'run', 'change'], { cwd: repo });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/step review: failed — the reviewed run \S+ is budget-exhausted, not done/);
    expect(writer.prompts()).toHaveLength(1);
    expect(reviewer.prompts()).toHaveLength(1);
    const usage = JSON.parse((await runSluice(['usage', '--json'], { cwd: repo })).stdout) as Array<{ key: string }>;
    expect(usage.map((entry) => entry.key).sort()).toEqual(['reviewer-1', 'scripted-1']);
  });

  it('never reviews, let alone passes, a change whose gates are red', async () => {
    const writer = scriptedAgent([{ write: wrongAdd }]);
    const reviewer = scriptedReviewer([approve]);
    const repo = await reviewRepo(writer.command, reviewer.command, '\n    continue_on_error: true');
    const run = await runSluice(['workflow', 'run', 'change'], { cwd: repo });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/step review: failed — the reviewed run \S+ is budget-exhausted, not done/);
    expect(reviewer.prompts()).toHaveLength(0);
  });

  it('fails when the reviewer keeps finding blocking problems, and refuses a review of a non-agent step', async () => {
    const writer = scriptedAgent([{ write: rightAdd }]);
    const reviewer = scriptedReviewer([changes]);
    const repo = await reviewRepo(writer.command, reviewer.command);
    const run = await runSluice(['workflow', 'run', 'change'], { cwd: repo });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('step review: failed — the reviewer still had blocking findings after 2 rounds');
    expect(reviewer.prompts()).toHaveLength(2);

    writeFiles(repo, {
      '.sluice/workflows/bad.yaml':
        'steps:\n  build:\n    run: make\n  review:\n    needs: [build]\n    review: { of: build }\n',
    });
    const bad = await runSluice(['workflow', 'run', 'bad'], { cwd: repo });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('steps.review.review.of: "build" is not an agent step');
  });

  it('a kill -9 while the writer fixes findings resumes that fix, then asks the reviewer again', async () => {
    const writer = scriptedAgent([{ write: rightAdd }, { write: 'hang' }, { write: `${rightAdd}// sum\n` }]);
    const reviewer = scriptedReviewer([changes, approve]);
    const repo = await reviewRepo(writer.command, reviewer.command);
    const sluice = startSluice(['workflow', 'run', 'change'], repo);
    expect(await waitFor(() => writer.prompts().length === 2, 30_000), sluice.stdout()).toBe(true);
    const id = /workflow change (w-\S+)/.exec(sluice.stdout())?.[1] ?? '';
    sluice.child.kill('SIGKILL');
    await sluice.exited;

    const resumed = await runSluice(['workflow', 'resume', id], { cwd: repo });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    const writes = writer.prompts();
    expect(writes).toHaveLength(3);
    expect(writes[2]).toContain('call the result sum');
    expect(reviewer.prompts()).toHaveLength(2);
    const runs = (await runSluice(['runs'], { cwd: repo })).stdout;
    expect(runs.split('\n').filter((line) => line.includes('Make add() add'))).toHaveLength(1);
    const show = await runSluice(['workflow', 'show', id], { cwd: repo });
    expect(show.stdout).toContain('review [review]: succeeded (round 2, attempt 2)');
  });
});
