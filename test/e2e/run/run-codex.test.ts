import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { UnpricedUsage } from '../../../src/usage/pricing.ts';
import { costOf, pricesFor } from '../../../src/usage/pricing.ts';
import {
  type FakeResponse,
  type FakeUsage,
  type RecordedRequest,
  startFakeResponsesServer,
} from '../../support/fake-openai-responses-server.ts';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

const model = 'gpt-5';

/** A shell command for Codex's `exec_command` tool that writes `content` to src/add.js. */
function writeAdd(content: string): string {
  return `cat > src/add.js <<'EOF'\n${content}EOF`;
}

function inputText(request: RecordedRequest | undefined): string {
  return JSON.stringify((request?.body as { input?: unknown } | undefined)?.input);
}

/** What Sluice should record for one Codex turn (one `codex exec`) made of these model requests. */
function expectedTurnUsage(requests: FakeUsage[]): UnpricedUsage {
  const sum = (pick: (usage: FakeUsage) => number | undefined) =>
    requests.reduce((total, usage) => total + (pick(usage) ?? 0), 0);
  const cacheReadTokens = sum((usage) => usage.cachedTokens);
  const cacheWriteTokens = sum((usage) => usage.cacheWriteTokens);
  return {
    model,
    // The Responses API counts cached and cache-written tokens inside input_tokens: only the rest is plain input.
    inputTokens: sum((usage) => usage.inputTokens) - cacheReadTokens - cacheWriteTokens,
    cacheReadTokens,
    cacheWriteTokens,
    // output_tokens already includes the reasoning tokens.
    outputTokens: sum((usage) => usage.outputTokens),
    apiMs: 0,
    turns: requests.length,
  };
}

describe('sluice run with the real Codex CLI against a scripted model', () => {
  it('feeds the failing test back, ends done on the fixed tree, and records exactly the usage the model reported', async () => {
    // Four model requests, two per iteration; every count differs, so a lost or doubled request shows.
    const usage: FakeUsage[] = [
      { inputTokens: 1200, cachedTokens: 1000, outputTokens: 30 },
      { inputTokens: 1500, cachedTokens: 1100, cacheWriteTokens: 64, outputTokens: 12, reasoningTokens: 5 },
      { inputTokens: 2300, cachedTokens: 1900, outputTokens: 41 },
      { inputTokens: 2600, cachedTokens: 2200, outputTokens: 17 },
    ];
    const script: FakeResponse[] = [
      { kind: 'exec', cmd: writeAdd(wrongAdd), usage: usage[0] },
      { kind: 'text', text: 'add() is fixed.', usage: usage[1] },
      { kind: 'exec', cmd: writeAdd(rightAdd), usage: usage[2] },
      { kind: 'text', text: 'add() adds now.', usage: usage[3] },
    ];
    const fake = await startFakeResponsesServer(script);
    onTestFinished(() => fake.close());
    const repo = await brokenAdderRepo(
      `agent: { name: codex, model: ${model}, base_url: "${fake.baseUrl}", api_key_env: FAKE_KEY }\n`,
    );
    const mainBefore = await git(repo, 'rev-parse', 'main');
    // HOME without the machine's dotfiles: a login shell killed mid `pyenv init` would stall later ones.
    const env = { CODEX_HOME: tempDir('sluice-codex-home-'), FAKE_KEY: 'x', HOME: tempDir('sluice-codex-shell-home-') };

    const run = await runSluice(['run', 'Make add() add'], { cwd: repo, env });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
    );

    // Codex asked the fake (and only the fake) four times, with the configured model and key.
    const requests = fake.responseRequests();
    expect(requests).toHaveLength(4);
    for (const request of requests) {
      expect(request.body).toMatchObject({ model, stream: true });
      expect(request.headers.authorization).toBe('Bearer x');
    }
    // Each tool call ran for real and its output went back to the model.
    expect(inputText(requests[1])).toContain('function_call_output');
    expect(inputText(requests[3])).toContain('function_call_output');
    // Iteration 1 starts from the goal alone; iteration 2 starts with Sluice's feedback on the failing test.
    expect(inputText(requests[0])).toContain('Make add() add');
    expect(inputText(requests[0])).not.toContain('What the checks said');
    const secondIteration = inputText(requests[2]);
    expect(secondIteration).toContain('What the checks said about the last attempt (iteration 1)');
    expect(secondIteration).toContain('adds two numbers (test/add.test.js:6)');
    expect(secondIteration).toContain('expected: 5  received: 6');

    // The run branch holds the two turns and the fix; the user's checkout is untouched.
    const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
    expect(await git(repo, 'log', '--format=%s', `sluice/${runId}`, '-3')).toBe(
      `sluice: iteration 2 of run ${runId}\nsluice: iteration 1 of run ${runId}\nInitial commit`,
    );
    expect(await git(repo, 'show', `sluice/${runId}~1:src/add.js`)).toBe(wrongAdd.trim());
    expect(await git(repo, 'show', `sluice/${runId}:src/add.js`)).toBe(rightAdd.trim());
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toBe('export function add(a, b) {\n  return a - b;\n}\n');
    expect(await git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    expect(await git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    // Nothing new in the checkout for git: Sluice's own folder (store, logs, evidence) ignores itself.
    expect(await git(repo, 'status', '--porcelain', '--untracked-files=normal')).toBe('');
    expect(existsSync(join(repo, '.sluice', 'sluice.db'))).toBe(true);

    // Receipts: per iteration, then summed, exactly as the fake reported and priced by the pricing table.
    const prices = pricesFor(model);
    expect(prices).toBeDefined();
    const turn1 = expectedTurnUsage(usage.slice(0, 2));
    const turn2 = expectedTurnUsage(usage.slice(2));
    const cost1 = costOf(turn1, prices);
    const cost2 = costOf(turn2, prices);
    const show = await runSluice(['show', runId, '--json'], { cwd: repo });
    expect(JSON.parse(show.stdout).run).toMatchObject({ status: 'done', agent: 'codex', model });
    const totals = await runSluice(['usage', '--json'], { cwd: repo });
    expect(totals.exitCode).toBe(0);
    expect(JSON.parse(totals.stdout)).toEqual([
      {
        key: model,
        inputTokens: turn1.inputTokens + turn2.inputTokens,
        outputTokens: turn1.outputTokens + turn2.outputTokens,
        cacheReadTokens: turn1.cacheReadTokens + turn2.cacheReadTokens,
        cacheWriteTokens: turn1.cacheWriteTokens + turn2.cacheWriteTokens,
        costUsd: (cost1 ?? Number.NaN) + (cost2 ?? Number.NaN),
        apiMs: 0,
        turns: 4,
        records: 2,
        unknownCostRecords: 0,
      },
    ]);
    // The same figures written out: 7600 input of which 6200 cached and 64 cache-written, 100 output (reasoning inside).
    expect(JSON.parse(totals.stdout)[0]).toMatchObject({
      inputTokens: 7600 - 6200 - 64,
      cacheReadTokens: 6200,
      cacheWriteTokens: 64,
      outputTokens: 100,
    });
    const gpt5 = prices ?? { input: 0, cacheRead: 0, cacheWrite: 0, output: 0 };
    expect(JSON.parse(totals.stdout)[0].costUsd).toBeCloseTo(
      (1336 * gpt5.input + 6200 * gpt5.cacheRead + 64 * gpt5.cacheWrite + 100 * gpt5.output) / 1e6,
      12,
    );
  });

  it('sandboxes Codex by default: a command writing outside the worktree is refused; --sandbox off allows it', async () => {
    const outside = tempDir('sluice-codex-outside-');
    const script: FakeResponse[] = [
      { kind: 'exec', cmd: `echo x > ${outside}/shell.txt` },
      { kind: 'exec', cmd: writeAdd(rightAdd) },
      { kind: 'text', text: 'Fixed.' },
    ];
    const runWith = async (extra: string[]) => {
      const fake = await startFakeResponsesServer(script);
      onTestFinished(() => fake.close());
      const repo = await brokenAdderRepo(
        `agent: { name: codex, model: ${model}, base_url: "${fake.baseUrl}", api_key_env: FAKE_KEY }\n`,
      );
      const env = {
        CODEX_HOME: tempDir('sluice-codex-home-'),
        FAKE_KEY: 'x',
        HOME: tempDir('sluice-codex-shell-home-'),
      };
      const run = await runSluice(['run', 'Make add() add', '--max-iterations', '1', ...extra], { cwd: repo, env });
      return { run, fake };
    };

    const sandboxed = await runWith([]);
    expect(sandboxed.run.stdout).toContain('agent sandbox: Codex sandbox (workspace-write)');
    expect(sandboxed.run.exitCode).toBe(0);
    expect(readdirSync(outside)).toEqual([]);
    expect(inputText(sandboxed.fake.responseRequests()[1])).toContain('Read-only file system');

    const off = await runWith(['--sandbox', 'off']);
    expect(off.run.stdout).toContain('agent sandbox: not sandboxed: agent.sandbox is off');
    expect(off.run.exitCode).toBe(0);
    expect(readFileSync(join(outside, 'shell.txt'), 'utf8')).toBe('x\n');
  });
});
