import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { adderTest, brokenAdderRepo, rightAdd, scriptedAgent } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';

const skipped = adderTest.replace("test('adds", "test.skip('adds");
const noAssertion = adderTest.replace('  assert.equal(add(2, 3), 5);\n', '');
const loosened = adderTest.replace('5);', '-1);');

async function sluiceRun(repo: string, command: string) {
  const run = await runSluice(
    ['run', 'Make add() add', '--agent', 'command', '--agent-command', command, '--prompt-via', 'stdin'],
    { cwd: repo },
  );
  const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
  if (run.exitCode === 70) throw new Error(run.stderr + run.stdout);
  const evidence = () => readFileSync(join(repo, '.sluice/runs', runId, 'evidence.md'), 'utf8');
  return { ...run, runId, evidence };
}

describe('sluice run applies the test guard after every iteration', () => {
  it('does not accept a skipped test as done: the agent is told what to restore, and fixes the code', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([
      { write: 'nothing', files: { 'test/add.test.js': skipped } },
      { write: rightAdd, files: { 'test/add.test.js': adderTest } },
    ]);
    const run = await sluiceRun(repo, agent.command);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
    );
    const [, second] = agent.prompts();
    expect(second).toContain('Test guard: the change weakens the tests');
    expect(second).toContain('test/add.test.js:5 skip-marker-added: `test.skip` added');
  });

  it('ends blocked, not done, when the agent keeps weakening the test (the gates pass all along)', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: 'nothing', files: { 'test/add.test.js': loosened } }]);
    const run = await sluiceRun(repo, agent.command);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('checks passed · guard blocks: expected-value-changed');
    expect(run.stdout).toContain('blocked: the test guard blocked the same change in 3 iterations in a row');
    expect(agent.prompts()[1]).toContain('expected-value-changed');
    expect(agent.prompts()[1]).toContain('restore `assert.equal(add(2, 3), 5)`');
    expect(run.evidence()).toContain('## Test guard');
    expect(run.evidence()).toContain('**Blocking:**');
    const show = await runSluice(['show', run.runId], { cwd: repo });
    expect(show.stdout).toContain('  guard     expected-value-changed (block) test/add.test.js:6');
  });

  it('restores the files of a `revert` rule from the base and tells the agent', async () => {
    const repo = await brokenAdderRepo('guard:\n  rules:\n    assertions-removed: revert\n');
    const agent = scriptedAgent([
      { write: wrongAdd(), files: { 'test/add.test.js': noAssertion } },
      { write: rightAdd },
    ]);
    const run = await sluiceRun(repo, agent.command);
    expect(run.exitCode).toBe(0);
    expect(agent.prompts()[1]).toContain('Sluice restored these files from the base; do not change them again:');
    expect(agent.prompts()[1]).toContain('adds two numbers (test/add.test.js:6)');
    expect(await git(repo, 'show', `sluice/${run.runId}:test/add.test.js`)).toBe(adderTest.trim());
    expect(await git(repo, 'log', '--format=%s', `sluice/${run.runId}`)).toContain(
      'sluice: restore test/add.test.js from the base',
    );
    expect(run.evidence()).toContain('**Restored by Sluice from the base:**');
    const show = await runSluice(['show', run.runId], { cwd: repo });
    expect(show.stdout).toContain('  restored  test/add.test.js (assertions-removed)');
  });

  it('lets an `ask` finding through to done, for a human to decide in the evidence', async () => {
    const repo = await brokenAdderRepo('guard:\n  rules:\n    tests-removed: ask\n');
    const extra = adderTest.replace('});\n', "});\n\ntest('adds zero', () => {\n  assert.equal(add(0, 0), 0);\n});\n");
    await import('node:fs').then(({ writeFileSync }) => writeFileSync(join(repo, 'test/add.test.js'), extra));
    await git(repo, 'commit', '-qam', 'second test');
    const agent = scriptedAgent([{ write: rightAdd, files: { 'test/add.test.js': adderTest } }]);
    const run = await sluiceRun(repo, agent.command);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('1 test-guard finding awaits a human decision');
    expect(run.evidence()).toContain('**Needs your decision:**');
    expect(run.evidence()).toContain('"adds zero"');
  });
});

function wrongAdd(): string {
  return 'export function add(a, b) {\n  return a * b;\n}\n';
}

describe('sluice run keeps a change a human can review', () => {
  it('does not accept an oversized change as done; the agent splits it into follow-up tasks', async () => {
    const repo = await brokenAdderRepo('review:\n  max_change_lines: 12\n');
    const bulk = Array.from({ length: 20 }, (_, index) => `export const helper${index} = ${index};`).join('\n');
    const agent = scriptedAgent([
      { write: rightAdd, files: { 'src/helpers.js': `${bulk}\n` } },
      { write: 'nothing', files: { 'src/helpers.js': null, 'SLUICE_TASKS.md': '- [ ] Add the 20 helpers\n' } },
    ]);
    const run = await sluiceRun(repo, agent.command);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('(2 iterations)');
    const [, second] = agent.prompts();
    expect(second).toContain('the change is 22 lines (added + deleted) and a human reviews at most 12 at once');
    expect(second).toContain('SLUICE_TASKS.md');
  });
});
