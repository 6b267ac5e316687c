import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hookSessionPath, hookSessionsDir } from '../../../src/hooks/hook-sessions.ts';
import { runStopHook } from '../../../src/hooks/stop-hook.ts';
import { parseStopHookInput } from '../../../src/hooks/stop-hook-input.ts';
import { gitdir } from '../../support/gitdir.ts';
import { adderTest, brokenAdderRepo, rightAdd } from '../../support/run-fixtures.ts';
import { tempDir } from '../../support/temp-dir.ts';

const input = (cwd: string, sessionId = 'session-1', stopHookActive = false) => ({ sessionId, cwd, stopHookActive });
/** A stop Claude Code makes while continuing after one of our blocks. */
const again = (cwd: string, sessionId = 'session-1') => input(cwd, sessionId, true);
const sessionRecord = (repo: string, sessionId = 'session-1') =>
  JSON.parse(readFileSync(hookSessionPath(hookSessionsDir(repo), sessionId), 'utf8')) as Record<string, unknown>;

describe('parseStopHookInput', () => {
  it('reads the fields of a Claude Code Stop hook JSON', () => {
    const text = JSON.stringify({
      session_id: 'abc',
      transcript_path: '/tmp/t.jsonl',
      cwd: '/repo',
      permission_mode: 'default',
      hook_event_name: 'Stop',
      stop_hook_active: true,
      last_assistant_message: 'Done.',
    });
    expect(parseStopHookInput(text)).toEqual({
      ok: true,
      input: { sessionId: 'abc', cwd: '/repo', stopHookActive: true },
    });
  });

  it.each([
    ['', 'empty stdin'],
    ['  \n', 'empty stdin'],
    ['{"session_id":', 'not JSON'],
    ['[1,2]', 'not a JSON object'],
    ['null', 'not a JSON object'],
    ['{"cwd":"/repo"}', 'no session_id'],
    ['{"session_id":"abc","cwd":7}', 'no cwd'],
  ])('turns %j into a problem, not a throw', (text, problem) => {
    const result = parseStopHookInput(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(problem);
  });
});

describe('runStopHook', () => {
  it('blocks a stop while a blocking gate fails, with feedback naming the failing test', async () => {
    const repo = await brokenAdderRepo();
    const outcome = await runStopHook(input(repo));
    expect(outcome.decision).toBe('blocked');
    if (outcome.decision !== 'blocked') return;
    expect(outcome.feedback).toContain('adds two numbers (test/add.test.js:6)');
    expect(outcome.feedback).toContain('expected: 5  received: -1');
    expect(outcome).toMatchObject({ blocks: 1, maxBlocks: 8 });
    expect(sessionRecord(repo)).toMatchObject({ session_id: 'session-1', status: 'open', blocks: 1, total_blocks: 1 });
  });

  it('allows the stop once the gates pass, records the session done, and answers again from the cache', async () => {
    const repo = await brokenAdderRepo();
    expect((await runStopHook(input(repo))).decision).toBe('blocked');
    writeFileSync(join(repo, 'src/add.js'), rightAdd);
    expect(await runStopHook(input(repo))).toEqual({ decision: 'allowed', summary: '1 gate passed.' });
    expect(sessionRecord(repo)).toMatchObject({ status: 'done', blocks: 0, total_blocks: 1 });
    expect(sessionRecord(repo)).not.toHaveProperty('reason');
    // Unchanged tree: the pass is answered from the cache.
    expect(await runStopHook(input(repo))).toEqual({ decision: 'allowed', summary: '1 gate passed; 1 from cache.' });
  });

  it('lets the agent stop after the cap, recording the session as not done with the reason', async () => {
    const repo = await brokenAdderRepo();
    const decisions = [await runStopHook(input(repo), { maxBlocks: 2 })];
    for (let stop = 1; stop < 3; stop += 1) decisions.push(await runStopHook(again(repo), { maxBlocks: 2 }));
    expect(decisions.map((outcome) => outcome.decision)).toEqual(['blocked', 'blocked', 'capped']);
    expect(decisions[2]).toMatchObject({
      reason: 'the guard or a blocking gate still fails after 2 blocked stops (cap 2)',
      sessionPath: hookSessionPath(hookSessionsDir(repo), 'session-1'),
    });
    const record = sessionRecord(repo);
    expect(record).toMatchObject({ status: 'not-done', blocks: 0, total_blocks: 2 });
    expect(record.reason).toContain('after 2 blocked stops');
    expect(record.reason).toContain('adds two numbers');
    // Another session of the same repository is counted apart.
    expect((await runStopHook(input(repo, 'session-2'), { maxBlocks: 2 })).decision).toBe('blocked');
  });

  it('honours stop_hook_active: a stop that does not follow our block starts the count again', async () => {
    const repo = await brokenAdderRepo();
    expect(await runStopHook(input(repo), { maxBlocks: 1 })).toMatchObject({ decision: 'blocked', blocks: 1 });
    // A new prompt, a new turn: Claude Code says it is not continuing because of a Stop hook.
    expect(await runStopHook(input(repo), { maxBlocks: 1 })).toMatchObject({ decision: 'blocked', blocks: 1 });
    expect(await runStopHook(again(repo), { maxBlocks: 1 })).toMatchObject({ decision: 'capped', blocks: 1 });
  });

  it('blocks a stop whose tests pass only because the change weakened them, naming what to restore', async () => {
    const repo = await brokenAdderRepo();
    writeFileSync(join(repo, 'test/add.test.js'), adderTest.replace('5);', '-1);'));
    const outcome = await runStopHook(input(repo));
    expect(outcome.decision).toBe('blocked');
    if (outcome.decision !== 'blocked') return;
    expect(outcome.feedback).toContain('Test guard: the change weakens the tests');
    expect(outcome.feedback).toContain('test/add.test.js:6 expected-value-changed');
    expect(outcome.feedback).toContain('restore `assert.equal(add(2, 3), 5)`');
    // The gates pass on the weakened test, so they are not part of the feedback.
    expect(outcome.feedback).not.toContain('gate');
    // The guard measures from the HEAD the session's hooks first saw, recorded in the session file.
    expect(sessionRecord(repo).base_commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("counts each session in its own file, and a crafted id cannot leave the project's sessions folder", async () => {
    const repo = await brokenAdderRepo();
    await runStopHook(input(repo, '../../escape'));
    expect(existsSync(join(hookSessionsDir(repo), '______escape.json'))).toBe(true);
    expect(existsSync(join(hookSessionsDir(repo), '..', '..', 'escape.json'))).toBe(false);
  });

  it('ignores a folder with no sluice.yaml, and a cwd that does not exist', async () => {
    const repo = await gitdir();
    expect(await runStopHook(input(repo))).toMatchObject({ decision: 'ignored' });
    expect(await runStopHook(input(join(tempDir(), 'gone')))).toMatchObject({ decision: 'ignored' });
  });

  it('blocks when sluice.yaml is invalid: a broken judge does not wave the work through', async () => {
    const repo = await gitdir({ files: { 'sluice.yaml': 'gates:\n  unit:\n    runn: true\n' } });
    const outcome = await runStopHook(input(repo));
    expect(outcome.decision).toBe('blocked');
    if (outcome.decision === 'blocked') expect(outcome.feedback).toContain('sluice.yaml is invalid');
  });
});
