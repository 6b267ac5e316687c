import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir } from '../../support/gitdir.ts';
import { scriptedAgent } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';

// A project whose benchmark measures a sleep of `delayMs`: sleeps keep their length on a loaded
// machine, so a faster constant is a real, repeatable speed-up.
const work = (delayMs: number) =>
  `export const delayMs = ${delayMs};\nexport function work() {\n  return new Promise((done) => setTimeout(done, delayMs));\n}\n`;

const bench = `import { work } from './src/work.js';
const times = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  await work();
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
console.log('warming done');
console.log(JSON.stringify({ p50_ms: times[1] }));
`;

const config = `gates:
  unit:
    run: node test.js
  speed:
    kind: bench
    run: node bench.js
    needs: [unit]
    bench:
      runs: 7
      metrics:
        p50_ms: { json: p50_ms, unit: ms }
      goals: ["p50_ms ratio <= 0.6"]
notify:
  command: 'echo "$SLUICE_RUN_VERDICT: $SLUICE_RUN_REASON" >> "$HOME_NOTES"'
`;

async function gymProject(): Promise<string> {
  return gitdir({
    files: {
      'sluice.yaml': config,
      'package.json': '{ "type": "module" }\n',
      'src/work.js': work(40),
      'bench.js': bench,
      'test.js': "import { work } from './src/work.js';\nawait work();\nconsole.log('work() resolves');\n",
    },
  });
}

function gym(repo: string, agentCommand: string, notes: string, extra: string[] = []) {
  return runSluice(
    [
      'gym',
      'Make work() faster',
      '--agent',
      'command',
      '--agent-command',
      agentCommand,
      '--prompt-via',
      'stdin',
      ...extra,
    ],
    { cwd: repo, env: { HOME_NOTES: notes } },
  );
}

describe('sluice gym', () => {
  it('iterates until the bench goal is met, with a progress line per metric, a chart and a notice', async () => {
    const repo = await gymProject();
    const agent = scriptedAgent([
      { write: 'nothing', files: { 'src/work.js': work(30) } },
      { write: 'nothing', files: { 'src/work.js': work(14) } },
    ]);
    const notes = join(repo, '..', 'notes.txt');
    const result = await gym(repo, agent.command, notes);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    const progress = lines.filter((line) => line.includes('gym: speed.p50_ms'));
    expect(progress).toHaveLength(2);
    expect(progress[0]).toMatch(/x0\.7\d vs base, improved · goal p50_ms ratio <= 0\.6: missed/);
    expect(progress[1]).toMatch(/x0\.3\d vs base, improved · goal p50_ms ratio <= 0\.6: met/);
    expect(result.stdout).toContain('gym: goals met 1/1 · best so far: iteration 2');
    expect(result.stdout).toMatch(
      /done: goals met: speed\.p50_ms x0\.3\d \(p50_ms ratio <= 0\.6\); every blocking gate and acceptance check passed on the final tree \(2 iterations\)/,
    );

    // The agent learned the numbers after its first try.
    expect(agent.prompts()[1]).toContain('p50_ms');
    expect(agent.prompts()[1]).toMatch(/ratio <= 0\.6/);

    const runId = /run (\S+) on branch/.exec(result.stdout)?.[1] ?? '';
    const runDir = join(repo, '.sluice/runs', runId);
    const evidence = readFileSync(join(runDir, 'evidence.md'), 'utf8');
    expect(evidence).toContain('## Benchmarks on the final tree');
    expect(evidence).toContain('## Goals, iteration by iteration');
    expect(evidence).toContain('Best result: iteration 2');
    expect(evidence).toContain('![speed.p50_ms](gym-speed.p50_ms.svg)');
    const chart = readFileSync(join(runDir, 'gym-speed.p50_ms.svg'), 'utf8');
    expect(chart.match(/<circle /g)).toHaveLength(3); // the baseline and two iterations

    const trend = await runSluice(['trend', 'speed.p50_ms', '--run', runId], { cwd: repo });
    expect(trend.exitCode).toBe(0);
    expect(trend.stdout).toContain('speed.p50_ms (lower is better) · 2 measurements');
    expect(trend.stdout).toContain(`run ${runId} #1`);
    expect(trend.stdout).toContain(`run ${runId} #2`);

    expect(readFileSync(notes, 'utf8')).toContain('done: goals met: speed.p50_ms');
  }, 180_000);

  it('stops when it stalls and leaves the branch on the best result', async () => {
    const repo = await gymProject();
    const agent = scriptedAgent([
      { write: 'nothing', files: { 'src/work.js': work(30) } },
      { write: 'nothing', files: { 'src/work.js': work(48) } },
      { write: 'nothing', files: { 'src/work.js': work(44) } },
      { write: 'nothing', files: { 'src/work.js': work(5) } },
    ]);
    const notes = join(repo, '..', 'notes.txt');
    const result = await gym(repo, agent.command, notes, ['--patience', '2']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      'blocked: stalled: no iteration came closer to the goals in 2 iterations (best: iteration 1); kept the best result, iteration 1 (3 iterations)',
    );
    expect(agent.prompts()).toHaveLength(3);
    const runId = /run (\S+) on branch/.exec(result.stdout)?.[1] ?? '';
    expect(await git(repo, 'show', `sluice/${runId}:src/work.js`)).toContain('delayMs = 30;');
    expect(await git(repo, 'log', '-1', '--format=%s', `sluice/${runId}`)).toBe(
      'sluice: keep the best result (iteration 1)',
    );
    expect(readFileSync(notes, 'utf8')).toContain('blocked: stalled');
    expect(existsSync(join(repo, '.sluice/runs', runId, 'gym-speed.p50_ms.svg'))).toBe(true);
  }, 240_000);

  it('refuses a project without bench goals, before starting anything', async () => {
    const repo = await gitdir({ files: { 'sluice.yaml': 'gates:\n  unit: { run: "true" }\n' } });
    const result = await runSluice(['gym', 'faster', '--agent', 'command', '--agent-command', 'true'], { cwd: repo });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('sluice gym needs goals: add a gate with kind: bench and bench.goals');
    expect(existsSync(join(repo, '.sluice/sluice.db'))).toBe(false);
  });
});
