import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hookSessionsDir } from '../../../src/hooks/hook-sessions.ts';
import { claudeAgent, claudeTestEnv, pidsWithEnv } from '../../support/claude-code.ts';
import {
  type FakeReply,
  type MessagesRequest,
  startFakeAnthropicServer,
  textReply,
  toolUseReply,
} from '../../support/fake-anthropic-server.ts';
import { waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd } from '../../support/run-fixtures.ts';
import { runSluice, sluiceBin } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

const conversation = (request: MessagesRequest) => JSON.stringify(request.messages);
const toolResults = (request: MessagesRequest) => conversation(request).split('"type":"tool_result"').length - 1;
const stopHookFeedback = 'Stop hook feedback';

/**
 * A fake model that plays an agent stopping too early: it first just says it is done; once a
 * request carries the Stop hook's feedback it reads src/add.js, writes the fix, and says done again.
 */
function earlyStopper() {
  return fakeModel((request) => {
    if (!conversation(request).includes(stopHookFeedback)) return textReply('All done, add() works.');
    switch (toolResults(request)) {
      case 0:
        return toolUseReply('Read', { file_path: 'src/add.js' });
      case 1:
        return toolUseReply('Write', { file_path: 'src/add.js', content: rightAdd });
      default:
        return textReply('Fixed add(); the tests pass now.');
    }
  });
}

/** The fake model server answering with `reply`; closed, and Claude Code's processes gone, when the test ends. */
async function fakeModel(reply: (request: MessagesRequest) => FakeReply) {
  const server = await startFakeAnthropicServer([], { fallback: reply });
  const marker = randomUUID();
  onTestFinished(async () => {
    await server.close();
    await waitFor(() => pidsWithEnv('SLUICE_TEST_MARKER', marker).length === 0, 2000);
    expect(pidsWithEnv('SLUICE_TEST_MARKER', marker)).toEqual([]);
  });
  return { server, marker };
}

/** One `claude -p` turn in `repo` against the fake model. */
function claudeTurn(repo: string, model: { server: { url: string }; marker: string }, home: string) {
  return claudeAgent().runTurn({
    prompt: 'Make add() add.',
    cwd: repo,
    logPath: join(home, 'logs', 'turn.log'),
    timeoutMs: 60_000,
    env: { ...claudeTestEnv(model.server.url, home), SLUICE_TEST_MARKER: model.marker },
  });
}

describe('sluice hook stop under the real Claude Code', () => {
  it('installed by "sluice hooks install --claude", blocks a stop on a failing test, feeds the failure to the model, and allows the stop once fixed', async () => {
    const model = await earlyStopper();
    const { server } = model;
    const repo = await brokenAdderRepo();
    const home = tempDir('sluice-claude-home-');
    const install = await runSluice(['hooks', 'install', '--claude'], { cwd: repo });
    expect(install).toMatchObject({ exitCode: 0, stderr: '' });
    expect(readFileSync(join(repo, '.claude/settings.json'), 'utf8')).toContain(`${sluiceBin} hook stop`);
    const result = await claudeTurn(repo, model, home);
    expect(result).toMatchObject({ status: 'finished', finalMessage: 'Fixed add(); the tests pass now.' });

    const requests = server.messageRequests();
    // Stop (blocked) -> Read -> Write -> stop (allowed): four requests, no more.
    expect(requests).toHaveLength(4);
    const [first, second] = requests as [MessagesRequest, MessagesRequest];
    expect(conversation(first)).not.toContain(stopHookFeedback);
    // The request after the blocked stop carries Sluice's feedback: the failing test, where, what.
    const fed = conversation(second);
    expect(fed).toContain(stopHookFeedback);
    expect(fed).toContain('adds two numbers (test/add.test.js:6)');
    expect(fed).toContain('expected: 5  received: -1');
    expect(requests.map(toolResults)).toEqual([0, 0, 1, 2]);
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toBe(rightAdd);

    // One session: blocked once, then done.
    const records = readdirSync(hookSessionsDir(repo)).filter((name) => name.endsWith('.json'));
    expect(records).toHaveLength(1);
    const record = JSON.parse(readFileSync(join(hookSessionsDir(repo), records[0] ?? ''), 'utf8'));
    expect(record).toMatchObject({ session_id: result.sessionId, status: 'done', blocks: 0, total_blocks: 1 });

    // Uninstall removes the settings file Sluice created.
    expect((await runSluice(['hooks', 'uninstall', '--claude'], { cwd: repo })).exitCode).toBe(0);
    expect(existsSync(join(repo, '.claude/settings.json'))).toBe(false);
  });

  it('judges the project when the agent cd-s into a folder with a passing sluice.yaml of its own', async () => {
    const repo = await brokenAdderRepo();
    const plant = 'mkdir -p sub && printf "gates:\\n  ok:\\n    run: \\"true\\"\\n" > sub/sluice.yaml && cd sub';
    // The agent plants a judge that always passes and moves its shell there before it stops; once fed the
    // failure it fixes the code (by absolute path: its shell is still in sub/).
    const model = await fakeModel((request) => {
      const fed = conversation(request).includes(stopHookFeedback);
      if (!fed) return toolResults(request) === 0 ? toolUseReply('Bash', { command: plant }) : textReply('All done.');
      return toolResults(request) === 1
        ? toolUseReply('Write', { file_path: join(repo, 'src/add.js'), content: rightAdd })
        : textReply('Fixed add().');
    });
    const home = tempDir('sluice-claude-home-');
    expect((await runSluice(['hooks', 'install', '--claude'], { cwd: repo })).exitCode).toBe(0);
    // A second Stop hook keeps what Claude Code hands the hooks: the cwd must really be sub/ for this test to
    // mean anything.
    const settingsPath = join(repo, '.claude/settings.json');
    const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
    const seen = join(home, 'stop-inputs.jsonl');
    settings.hooks.Stop.push({ hooks: [{ type: 'command', command: `cat >> '${seen}'; echo >> '${seen}'` }] });
    writeFileSync(settingsPath, JSON.stringify(settings));

    const result = await claudeTurn(repo, model, home);
    expect(result).toMatchObject({ status: 'finished', finalMessage: 'Fixed add().' });
    const stops = readFileSync(seen, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(stops[0]?.cwd).toBe(join(repo, 'sub'));
    const requests = model.server.messageRequests();
    expect(conversation(requests[2] as MessagesRequest)).toContain('adds two numbers (test/add.test.js:6)');
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toBe(rightAdd);
  });
});
