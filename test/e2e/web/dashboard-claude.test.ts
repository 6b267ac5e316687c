import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../src/server/api-types.ts';
import { claudeRun, conversation, type ModelReply, toolResults } from '../../support/claude-run.ts';
import { textReply, toolUseReply } from '../../support/fake-anthropic-server.ts';
import { rightAdd, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { launchChromium, openDashboard, screenshot, serveDashboard } from './dashboard-fixtures.ts';

/** Each request to the fake model reports this usage: six requests in two turns. */
const usage = {
  input_tokens: 1203,
  output_tokens: 87,
  cache_read_input_tokens: 4111,
  cache_creation_input_tokens: 519,
};
const tokensPerRequest = 1203 + 87 + 4111 + 519;

/** Read src/add.js, write it (fixed once the prompt carries Sluice's feedback), say so. */
const fixingAgent: ModelReply = (request, reported) => {
  switch (toolResults(request)) {
    case 0:
      return toolUseReply('Read', { file_path: 'src/add.js' }, reported);
    case 1: {
      const fed = conversation(request).includes('expected: 5  received: 6');
      return toolUseReply('Write', { file_path: 'src/add.js', content: fed ? rightAdd : wrongAdd }, reported);
    }
    default:
      return textReply('I changed src/add.js.', reported);
  }
};

describe('the dashboard over a run of the real Claude Code', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the run's iterations, the feedback Claude Code received, and the tokens and cost it reported", async () => {
    const { repo } = await claudeRun([usage], fixingAgent);
    const run = await runSluice(['run', 'Make add() add', '--agent', 'claude-code', '--max-iterations', '4'], {
      cwd: repo,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';

    const dashboard = await serveDashboard(repo);
    const response = await fetch(`${dashboard.url}/api/runs/${runId}`);
    const detail = (await response.json()) as RunDetail;
    const sums = detail.usage;
    expect(sums.inputTokens + sums.outputTokens + sums.cacheReadTokens + sums.cacheWriteTokens).toBe(
      6 * tokensPerRequest,
    );
    expect(sums.costUsd).toBeGreaterThan(0);

    const { page, problems } = await openDashboard(browser, dashboard);
    await page.goto(`${dashboard.url}/runs/${runId}`);
    await page.waitForSelector('[data-testid="iteration"][data-iteration="2"][data-verdict="passed"]');
    await page.waitForSelector('[data-testid="iteration"][data-iteration="1"][data-verdict="failed"]');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain(`${Math.round((6 * tokensPerRequest) / 1000)}k tokens · ${sums.turns} turns`);
    expect(text).toContain(`$${(sums.costUsd ?? 0).toFixed(3)}`);
    // The feedback the agent received after iteration 1, as the page shows it when opened.
    await page
      .getByText(/Feedback the agent received next/)
      .first()
      .click();
    await page
      .getByText(/expected: 5 +received: 6/)
      .first()
      .waitFor({ state: 'visible' });
    await screenshot(page, 'run-claude-code');
    expect(problems).toEqual([]);
  });
});
