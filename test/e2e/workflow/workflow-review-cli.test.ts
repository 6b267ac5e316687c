import { describe, expect, it, onTestFinished } from 'vitest';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { costOf, pricesFor } from '../../../src/usage/pricing.ts';
import { claudeRun } from '../../support/claude-run.ts';
import { textReply } from '../../support/fake-anthropic-server.ts';
import {
  type FakeUsage,
  type RecordedRequest,
  startFakeResponsesServer,
} from '../../support/fake-openai-responses-server.ts';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

const model = 'gpt-5';

/** What Codex sent as the answer's format: the Responses API's `text.format`. */
function answerFormat(request: RecordedRequest | undefined): { type?: string; schema?: unknown; strict?: boolean } {
  return ((request?.body as { text?: { format?: object } } | undefined)?.text?.format ?? {}) as {
    type?: string;
    schema?: unknown;
    strict?: boolean;
  };
}

function inputText(request: RecordedRequest | undefined): string {
  return JSON.stringify((request?.body as { input?: unknown } | undefined)?.input);
}

async function addWorkflow(repo: string, writerCommand: string, review: string) {
  writeFiles(repo, {
    'writer.sh': `#!/bin/sh\nexec ${writerCommand}\n`,
    '.gitignore': '.sluice/\n',
    '.sluice/workflows/change.yaml': `steps:
  write:
    agent: { goal: Make add() add, agent: command, command: ./writer.sh, prompt_via: stdin, max_iterations: 2 }
  review:
    needs: [write]
    review: ${review}
`,
  });
  await git(repo, 'add', '-A');
  await git(repo, 'update-index', '--chmod=+x', 'writer.sh');
  await git(repo, 'commit', '-q', '-m', 'workflow');
}

describe('review steps with the real Claude Code as the reviewer', () => {
  it('hands Claude Code the answer schema (--json-schema): the model answers through its StructuredOutput tool', async () => {
    const answer = { verdict: 'approve', findings: [] };
    const usage = {
      input_tokens: 700,
      output_tokens: 30,
      cache_read_input_tokens: 200,
      cache_creation_input_tokens: 0,
    };
    const { server, repo } = await claudeRun([usage], (request, reported) =>
      request.tools?.some((tool) => tool.name === 'StructuredOutput')
        ? {
            blocks: [{ type: 'tool_use', name: 'StructuredOutput', input: answer }],
            ...(reported ? { usage: reported } : {}),
          }
        : textReply('There was no schema to answer in.', reported),
    );
    const writer = scriptedAgent([{ write: rightAdd }]);
    await addWorkflow(repo, writer.command, '{ of: write, rounds: 1, asks: 1 }');
    const run = await runSluice(['workflow', 'run', 'change'], { cwd: repo });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const first = server.messageRequests()[0] as { tools?: Array<{ name: string; input_schema?: unknown }> };
    const tool = first.tools?.find((entry) => entry.name === 'StructuredOutput');
    expect(tool?.input_schema).toMatchObject({ required: ['verdict', 'findings'], additionalProperties: false });
    const id = /workflow change (w-\S+)/.exec(run.stdout)?.[1] ?? '';
    const show = (await runSluice(['workflow', 'show', id], { cwd: repo })).stdout;
    expect(show).toContain('verdict=approve');
    expect(show).toMatch(/reviewer_input_tokens=[1-9]\d*/);
    expect(show).toMatch(/reviewer_cost_usd=0\.\d*[1-9]/);
  }, 120_000);
});

describe('review steps with the real Codex CLI as the reviewer', () => {
  it('hands Codex the answer schema (--output-schema), asks again when the answer is still malformed, and records what the reviewer spent', async () => {
    const usage: FakeUsage[] = [
      { inputTokens: 3000, cachedTokens: 1000, outputTokens: 40 },
      { inputTokens: 3400, cachedTokens: 2000, outputTokens: 55 },
    ];
    // The model ignores the schema once (as models do): zod still judges, and the reviewer is asked again.
    const fake = await startFakeResponsesServer([
      {
        kind: 'text',
        text: JSON.stringify({ verdict: 'changes', findings: [] }),
        usage: usage[0],
      },
      {
        kind: 'text',
        text: JSON.stringify({
          verdict: 'approve',
          findings: [{ severity: 'minor', area: 'tests', file: null, message: 'one more case would help' }],
        }),
        usage: usage[1],
      },
    ]);
    onTestFinished(() => fake.close());
    const writer = scriptedAgent([{ write: rightAdd }]);
    const repo = await brokenAdderRepo(
      `agent: { name: codex, model: ${model}, base_url: "${fake.baseUrl}", api_key_env: FAKE_KEY }\n`,
    );
    await addWorkflow(repo, writer.command, '{ of: write, agent: codex, rounds: 1, asks: 2 }');
    const env = { CODEX_HOME: tempDir('sluice-codex-home-'), FAKE_KEY: 'x', HOME: tempDir('sluice-codex-shell-home-') };

    const run = await runSluice(['workflow', 'run', 'change'], { cwd: repo, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);

    const requests = fake.responseRequests();
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      // --output-schema reached the model API as a strict JSON Schema of the review answer.
      const format = answerFormat(request);
      expect(format.type).toBe('json_schema');
      expect(format.schema).toMatchObject({
        required: ['verdict', 'findings'],
        properties: {
          verdict: { enum: ['approve', 'changes'] },
          findings: {
            items: { properties: { area: { enum: ['correctness', 'tests', 'types', 'scope', 'simplicity'] } } },
          },
        },
      });
    }
    expect(inputText(requests[0])).toContain('You review a change another agent wrote');
    expect(inputText(requests[0])).not.toContain('Your last answer was not valid');
    // "changes" without a blocking finding passes the JSON Schema but not the answer's rules: asked again.
    expect(inputText(requests[1])).toContain('Your last answer was not valid');
    expect(inputText(requests[1])).toContain('needs at least one blocking finding');

    // The reviewer's two turns, recorded with the step as Codex reported them and priced as an agent turn.
    const id = /workflow change (w-\S+)/.exec(run.stdout)?.[1] ?? '';
    const show = (await runSluice(['workflow', 'show', id], { cwd: repo })).stdout;
    expect(show).toContain('review [review]: succeeded');
    const input = 3000 - 1000 + (3400 - 2000);
    const turn = {
      model,
      inputTokens: input,
      outputTokens: 95,
      cacheReadTokens: 3000,
      cacheWriteTokens: 0,
      apiMs: 0,
      turns: 2,
    };
    expect(show).toContain(`reviewer_input_tokens=${input}`);
    expect(show).toContain('reviewer_cache_read_tokens=3000');
    expect(show).toContain('reviewer_output_tokens=95');
    expect(show).toContain(`reviewer_cost_usd=${(costOf(turn, pricesFor(model)) ?? Number.NaN).toFixed(4)}`);
    const store = await RunStore.open(runStorePath(repo));
    try {
      const outputs = (await store.workflows.getStep(id, 'review'))?.outputs ?? {};
      expect(JSON.parse(outputs.reviewer_usage ?? '[]')).toEqual([
        expect.objectContaining({ model, inputTokens: input, outputTokens: 95, cacheReadTokens: 3000 }),
      ]);
      // In the store as an agent turn's usage is: with the reviewed run, one row per reviewer turn
      // (iteration 0, none of the writer's), so the run's totals and its budget count it.
      const runId = (await store.workflows.getStep(id, 'write'))?.outputs.run_id ?? '';
      const rows = await store.iterationUsage(runId);
      expect(rows.filter((row) => row.iteration === 0)).toEqual([
        expect.objectContaining({ model, inputTokens: input, outputTokens: 95, cacheReadTokens: 3000, turns: 2 }),
      ]);
    } finally {
      await store.close();
    }
    const totals = JSON.parse((await runSluice(['usage', '--json'], { cwd: repo })).stdout) as Array<{
      key: string;
      inputTokens: number;
      outputTokens: number;
    }>;
    expect(totals).toEqual([expect.objectContaining({ key: model, inputTokens: input, outputTokens: 95 })]);
  }, 120_000);
});
