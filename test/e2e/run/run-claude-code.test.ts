import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pidsWithEnv } from '../../support/claude-code.ts';
import {
  type ClaudeRun,
  conversation,
  type ModelReply,
  model,
  claudeRun as startClaudeRun,
  toolResults,
} from '../../support/claude-run.ts';
import { type FakeUsage, type MessagesRequest, textReply, toolUseReply } from '../../support/fake-anthropic-server.ts';
import { git } from '../../support/gitdir.ts';
import { rightAdd, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** Sonnet 4.5 list prices, USD per million tokens: what Claude Code charges for it, and Sluice's table too. */
const sonnetPrices = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

const listPrice = (usage: FakeUsage) =>
  (usage.input_tokens * sonnetPrices.input +
    usage.output_tokens * sonnetPrices.output +
    usage.cache_read_input_tokens * sonnetPrices.cacheRead +
    usage.cache_creation_input_tokens * sonnetPrices.cacheWrite) /
  1_000_000;

/** What Sluice feeds back after iteration 1 wrote `wrongAdd` (2 * 3 = 6): the test, where, expected, received. */
const feedbackOfIteration1 = ['adds two numbers (test/add.test.js:6)', 'expected: 5  received: 6'];

const claudeRun = (usages: FakeUsage[], reply: ModelReply = fixingAgent): Promise<ClaudeRun> =>
  startClaudeRun(usages, reply);

const startsTurn = (request: MessagesRequest) => toolResults(request) === 0;

/** A fresh-context turn: read src/add.js, write it (fixed once the prompt carries the feedback), say so. */
function fixingAgent(request: MessagesRequest, usage: FakeUsage | undefined) {
  switch (toolResults(request)) {
    case 0:
      return toolUseReply('Read', { file_path: 'src/add.js' }, usage);
    case 1: {
      const fed = feedbackOfIteration1.every((part) => conversation(request).includes(part));
      return toolUseReply('Write', { file_path: 'src/add.js', content: fed ? rightAdd : wrongAdd }, usage);
    }
    default:
      return textReply('I changed src/add.js.', usage);
  }
}

/** One session: the same, and when the Stop hook sends it back with the feedback, it writes the fix. */
function sessionAgent(request: MessagesRequest, usage: FakeUsage | undefined) {
  const text = conversation(request);
  const fed = feedbackOfIteration1.every((part) => text.includes(part));
  if (fed && !text.includes('a + b'))
    return toolUseReply('Write', { file_path: 'src/add.js', content: rightAdd }, usage);
  if (toolResults(request) < 2) return fixingAgent(request, usage);
  return textReply('Done, I think.', usage);
}

const runIdOf = (stdout: string) => /run (\S+) on branch/.exec(stdout)?.[1] ?? '';

describe('sluice run with the real Claude Code against a scripted model', () => {
  it('feeds the failing test back into the next turn and ends done once it passes', async () => {
    const { server, repo } = await claudeRun([
      { input_tokens: 1203, output_tokens: 87, cache_read_input_tokens: 4111, cache_creation_input_tokens: 519 },
    ]);
    const run = await runSluice(['run', 'Make add() add', '--agent', 'claude-code', '--max-iterations', '4'], {
      cwd: repo,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
    );
    expect(run.exitCode).toBe(0);

    // Two turns (two Claude Code processes) of three requests each, all for the configured model.
    const requests = server.messageRequests();
    expect(requests.map(toolResults)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(new Set(requests.map((request) => request.model))).toEqual(new Set([model]));
    // The first turn got the goal and no feedback; the first request of the second names the failing test.
    const firstTurn = conversation(requests[0] as MessagesRequest);
    expect(firstTurn).toContain('Make add() add');
    expect(firstTurn).not.toContain('What the checks said');
    const secondTurn = conversation(requests[3] as MessagesRequest);
    expect(secondTurn).toContain('What the checks said about the last attempt (iteration 1)');
    expect(secondTurn).toContain('adds two numbers (test/add.test.js:6)');
    expect(secondTurn).toContain('expected: 5  received: 6');
    expect(run.stdout).toMatch(
      /iteration 1\n {2}agent finished .*\n {2}checks failed: unit\b.*\n {2}feedback to the agent:\n( {2}│.*\n)* {2}│ - adds two numbers \(test\/add\.test\.js:6\)\n( {2}│.*\n)*iteration 2\n {2}agent finished .*\n {2}checks passed\n/,
    );

    // The run's branch holds both turns and the fix; the user's checkout is untouched.
    const id = runIdOf(run.stdout);
    expect(await git(repo, 'log', '--format=%s', `sluice/${id}`, '-2')).toBe(
      `sluice: iteration 2 of run ${id}\nsluice: iteration 1 of run ${id}`,
    );
    expect(await git(repo, 'show', `sluice/${id}~1:src/add.js`)).toBe(wrongAdd.trim());
    expect(await git(repo, 'show', `sluice/${id}:src/add.js`)).toBe(rightAdd.trim());
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toContain('a - b');
    expect(await git(repo, 'status', '--porcelain', '--untracked-files=no')).toBe('');
    expect(await git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');

    const show = await runSluice(['show', id, '--json'], { cwd: repo });
    expect(JSON.parse(show.stdout)).toMatchObject({ run: { id, status: 'done', agent: 'claude-code', model } });
  });

  it('records exactly the tokens the model server reported, by model, with a cost, within a USD budget', async () => {
    const { server, repo } = await claudeRun([
      { input_tokens: 1203, output_tokens: 87, cache_read_input_tokens: 4111, cache_creation_input_tokens: 519 },
      { input_tokens: 1377, output_tokens: 41, cache_read_input_tokens: 4629, cache_creation_input_tokens: 233 },
      { input_tokens: 1459, output_tokens: 93, cache_read_input_tokens: 4862, cache_creation_input_tokens: 371 },
      { input_tokens: 1621, output_tokens: 29, cache_read_input_tokens: 5233, cache_creation_input_tokens: 157 },
      { input_tokens: 1783, output_tokens: 67, cache_read_input_tokens: 5591, cache_creation_input_tokens: 83 },
      { input_tokens: 1949, output_tokens: 13, cache_read_input_tokens: 5867, cache_creation_input_tokens: 61 },
    ]);
    // A USD budget the run stays within (it costs about $0.05) does not stop it.
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'claude-code', '--max-iterations', '4', '--max-usd', '1'],
      { cwd: repo },
    );
    expect(run.stdout).toContain('done: every blocking gate and acceptance check passed on the final tree');
    expect(run.exitCode).toBe(0);
    expect(server.messageRequests()).toHaveLength(6);

    const reported = server.reportedUsage();
    // Sums of distinct, non-round numbers: no request was dropped or counted twice.
    expect(reported).toEqual({
      input_tokens: 9392,
      output_tokens: 330,
      cache_read_input_tokens: 30293,
      cache_creation_input_tokens: 1424,
    });
    const usage = await runSluice(['usage', '--json'], { cwd: repo });
    expect(usage.exitCode).toBe(0);
    const totals = JSON.parse(usage.stdout);
    expect(totals).toEqual([
      {
        key: model,
        inputTokens: reported.input_tokens,
        outputTokens: reported.output_tokens,
        cacheReadTokens: reported.cache_read_input_tokens,
        cacheWriteTokens: reported.cache_creation_input_tokens,
        costUsd: expect.any(Number),
        apiMs: expect.any(Number),
        turns: 6,
        records: 2,
        unknownCostRecords: 0,
      },
    ]);
    // Claude Code's own cost of each turn, summed: the list price of every reported token.
    expect(totals[0].costUsd).toBeCloseTo(listPrice(reported), 9);
  });

  it('stops at a USD budget the first turn breaks, as budget-exhausted, leaving no Claude Code running', async () => {
    // At Sonnet 4.5's prices the first request alone costs $0.32, the whole turn $0.96.
    const { server, repo, marker } = await claudeRun([
      { input_tokens: 104_729, output_tokens: 311, cache_read_input_tokens: 2203, cache_creation_input_tokens: 97 },
      { input_tokens: 105_113, output_tokens: 53, cache_read_input_tokens: 2417, cache_creation_input_tokens: 89 },
      { input_tokens: 105_391, output_tokens: 19, cache_read_input_tokens: 2621, cache_creation_input_tokens: 71 },
    ]);
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'claude-code', '--max-iterations', '4', '--max-usd', '0.25'],
      { cwd: repo },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/\nbudget-exhausted: spent \$0\.3\d of a \$0\.25 budget \(1 iteration\)\n/);
    expect(run.exitCode).toBe(1);
    // Stopped in its first turn, as soon as the running usage broke the budget; its process group went with it.
    expect(run.stdout).toContain('iteration 1\n  agent killed (the turn was aborted)');
    expect(server.messageRequests().filter(startsTurn)).toHaveLength(1);
    expect(pidsWithEnv('SLUICE_TEST_MARKER', marker)).toEqual([]);

    const id = runIdOf(run.stdout);
    const show = await runSluice(['show', id, '--json'], { cwd: repo });
    expect(JSON.parse(show.stdout)).toMatchObject({ run: { id, status: 'budget-exhausted' } });
    const usage = await runSluice(['usage', '--json'], { cwd: repo });
    const [total] = JSON.parse(usage.stdout);
    expect(total).toMatchObject({ key: model, records: 1, unknownCostRecords: 0 });
    expect(total.costUsd).toBeGreaterThanOrEqual(0.25);
  });

  it('--session: the Stop hook keeps one Claude Code session working until the base gates pass', async () => {
    const { server, repo } = await claudeRun(
      [{ input_tokens: 900, output_tokens: 40, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }],
      sessionAgent,
    );
    const run = await runSluice(
      ['run', 'Make add() add', '--agent', 'claude-code', '--session', '--max-iterations', '2'],
      {
        cwd: repo,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (1 iteration)',
    );
    const requests = server.messageRequests();
    // Read, Write (wrong), try to stop -> blocked by the hook with the feedback -> Write (right), stop -> allowed.
    expect(requests).toHaveLength(5);
    const afterBlock = conversation(requests[3] as MessagesRequest);
    expect(afterBlock).toContain('Stop hook');
    for (const part of feedbackOfIteration1) expect(afterBlock).toContain(part);
    const runId = runIdOf(run.stdout);
    expect(await git(repo, 'show', `sluice/${runId}:src/add.js`)).toBe(rightAdd.trim());
  });

  it('sandboxes Claude Code by default: Bash and Write outside the worktree are refused; --sandbox off allows them', async () => {
    const outside = tempDir('sluice-claude-outside-');
    const usage = [
      { input_tokens: 100, output_tokens: 10, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    ];
    /** One turn: a Bash write and a Write outside the worktree, then the fix of src/add.js inside it. */
    const escapingAgent: ModelReply = (request, use) => {
      switch (toolResults(request)) {
        case 0:
          return toolUseReply('Bash', { command: `echo x > ${outside}/bash.txt`, description: 'write' }, use);
        case 1:
          return toolUseReply('Write', { file_path: join(outside, 'write.txt'), content: 'x\n' }, use);
        case 2:
          return toolUseReply('Read', { file_path: 'src/add.js' }, use);
        case 3:
          return toolUseReply('Write', { file_path: 'src/add.js', content: rightAdd }, use);
        default:
          return textReply('Fixed.', use);
      }
    };
    const args = ['run', 'Make add() add', '--agent', 'claude-code', '--max-iterations', '1'];

    const sandboxed = await claudeRun(usage, escapingAgent);
    const run = await runSluice(args, { cwd: sandboxed.repo });
    expect(run.stdout).toContain('agent sandbox: Claude Code sandbox: Bash commands in bubblewrap');
    expect(run.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (1 iteration)',
    );
    expect(readdirSync(outside)).toEqual([]);
    const answers = sandboxed.server.messageRequests().map((request) => conversation(request));
    expect(answers[1]).toContain('Read-only file system');
    expect(answers[2]).toContain('requested permissions to write');

    const unsandboxed = await claudeRun(usage, escapingAgent);
    const off = await runSluice([...args, '--sandbox', 'off'], { cwd: unsandboxed.repo });
    expect(off.stdout).toContain('agent sandbox: not sandboxed: agent.sandbox is off');
    expect(off.exitCode).toBe(0);
    expect(readdirSync(outside).sort()).toEqual(['bash.txt', 'write.txt']);
  });
});
