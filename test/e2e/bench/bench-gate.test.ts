import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactFeedback } from '../../../src/gates/feedback/compact-feedback.ts';
import { git } from '../../support/gitdir.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { benchConfigText, benchProject, checkAgainstHead, speedOf, workFile, writeFiles } from './bench-fixture.ts';

describe('bench gates against the base ref, in its own worktree', () => {
  it('calls a no-op change a wash every time, reusing one baseline worktree', async () => {
    const root = await benchProject(40);
    writeFiles(root, { 'src/work.js': `${workFile(40)}// tidied up, nothing faster\n` });
    const commit = await git(root, 'rev-parse', 'HEAD');
    const worktree = join(root, '.sluice', 'baselines', commit);
    const seen: string[] = [];
    for (let check = 0; check < 5; check++) {
      const result = await checkAgainstHead(root, benchConfigText());
      const { metric, line } = speedOf(result);
      seen.push(line);
      expect(metric.change, seen.join('\n')).toBe('wash');
      expect(result.verdict).toBe('passed');
      // 7 runs a side, or more rounds of 7 when a busy machine left the first round unclear.
      const runs = speedOf(result).bench.runs;
      expect([7, 14, 21, 28]).toContain(runs);
      expect(metric.samples).toHaveLength(runs);
      expect(metric.baseline?.samples).toHaveLength(runs);
      expect(metric.baseline?.commit).toBe(commit);
      if (check === 0) writeFileSync(join(worktree, 'left-by-check-1'), ''); // survives only if the worktree is reused
    }
    console.log(`no-op change, 5 checks:\n${seen.join('\n')}`);
    expect(existsSync(join(worktree, 'left-by-check-1'))).toBe(true);
    // The baseline ran the committed code, in its worktree; the change ran the working tree.
    expect(readFileSync(join(worktree, 'src/work.js'), 'utf8')).toBe(workFile(40));
    expect(await git(root, 'status', '--porcelain')).toBe('M src/work.js');
  }, 60_000);

  it('reports a 25% slower change as regressed and fails the gate with the numbers', async () => {
    const root = await benchProject(40);
    writeFiles(root, { 'src/work.js': workFile(50) });
    const result = await checkAgainstHead(root, benchConfigText());
    const { metric, line } = speedOf(result);
    console.log(`25% slower: ${line}`);
    expect(metric.change).toBe('regressed');
    expect(metric.ratio?.value).toBeGreaterThan(1.1);
    expect(metric.ratio?.interval[0]).toBeGreaterThan(1.03);
    const gate = result.gates[0];
    expect(gate?.status).toBe('failed');
    // On a busy machine the reason also says so (the gate's load check).
    expect(gate?.reason).toMatch(
      /^p50_ms regressed: 5\d\.\d ms vs 4\d\.\d ms \(x1\.\d\d, 95% CI 1\.\d\d-1\.\d\d\)( — the machine is loaded \(.*)?$/,
    );
    const feedback = compactFeedback(result);
    expect(feedback).toContain('## speed: p50_ms regressed');
    expect(feedback).toMatch(/expected: no worse than 4\d\.\d ms \[.*\] \(baseline HEAD\)\s+received: 5\d\.\d ms/);
    expect(feedback).toContain('log: .sluice/logs/speed.log');
    expect(readFileSync(join(root, '.sluice/logs/speed.log'), 'utf8')).toContain('"p50_ms"');
    expect(readFileSync(join(root, '.sluice/logs/speed.baseline.log'), 'utf8')).toContain('"p50_ms"');
  }, 30_000);

  it('reports a faster change as improved and meets a ratio goal', async () => {
    const config = benchConfigText('      goals: ["p50_ms ratio <= 0.9"]\n');
    const root = await benchProject(40, config);
    writeFiles(root, { 'src/work.js': workFile(28) });
    const result = await checkAgainstHead(root, config);
    const { metric, line } = speedOf(result);
    console.log(`faster: ${line}`);
    expect(metric.change).toBe('improved');
    expect(metric.goals).toEqual([
      { goal: 'p50_ms ratio <= 0.9', verdict: 'goal-met', value: metric.ratio?.value, on: 'ratio' },
    ]);
    expect(result.verdict).toBe('passed');
    expect(line).toMatch(/improved · goal ratio <= 0\.9 met$/);
  }, 30_000);

  it('fails a ratio goal the change misses, through the real CLI with --base', async () => {
    const config = benchConfigText('      goals: ["p50_ms ratio <= 0.9"]\n');
    const root = await benchProject(40, config);
    await git(root, 'checkout', '--quiet', '-b', 'feature');
    writeFiles(root, { 'src/work.js': `${workFile(40)}// renamed a variable\n` });
    await git(root, 'commit', '--quiet', '-am', 'no faster at all');
    const run = await runSluice(['check', '--json', '--base', 'main'], { cwd: root });
    const json = JSON.parse(run.stdout) as { verdict: string; gates: Array<{ reason: string }>; feedback: string };
    expect(run.exitCode, run.stderr).toBe(1);
    expect(json.verdict).toBe('failed');
    expect(json.gates[0]?.reason).toMatch(
      /^goal missed: p50_ms ratio [01]\.\d+ \(goal <= 0\.9\)( — the machine is loaded \(.*)?$/,
    );
    expect(json.feedback).toMatch(/expected: p50_ms ratio <= 0\.9\s+received: x[01]\.\d\d \[/);
  }, 30_000);
});
