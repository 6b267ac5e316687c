import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';
import { BaselineError, BaselineWorktrees } from '../../../src/gates/bench/baseline-worktrees.ts';
import { runGateGraph } from '../../../src/gates/run-gate-graph.ts';
import { ensureSluiceDir } from '../../../src/gates/sluice-dir.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

const countSetup = 'echo ran >> "$SLUICE_MAIN_CHECKOUT/setup.runs"';

/** What a check makes: `.sluice/` (ignored by git) and the check's baseline worktrees. */
async function baselines(root: string, setup: string[]) {
  return new BaselineWorktrees({ root, sluiceDir: await ensureSluiceDir(root), setup });
}

function setupRuns(root: string): number {
  const file = join(root, 'setup.runs');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length : 0;
}

describe('baseline worktrees', () => {
  it('checks a commit out once, sets it up once, and reuses it in later checks', async () => {
    const repo = await gitdir({ files: { 'app/bench.sh': 'echo v1\n', 'README.md': '# r\n' } });
    const root = join(repo, 'app');
    const commit = await git(repo, 'rev-parse', 'HEAD');
    const first = await baselines(root, [countSetup]);
    const [a, b] = await Promise.all([first.checkout('HEAD'), first.checkout('main')]);
    expect(a).toEqual({ commit, root: join(root, '.sluice', 'baselines', commit, 'app') });
    expect(b).toEqual(a);
    expect(readFileSync(join(a.root, 'bench.sh'), 'utf8')).toBe('echo v1\n');
    expect(setupRuns(root)).toBe(1);
    // The next check has its own BaselineWorktrees: the worktree on disk is reused, not set up again.
    expect(await (await baselines(root, [countSetup])).checkout(commit)).toEqual(a);
    expect(setupRuns(root)).toBe(1);
    // Other setup commands make it anew.
    await (await baselines(root, [countSetup, 'true'])).checkout(commit);
    expect(setupRuns(root)).toBe(2);
    expect(await git(repo, 'status', '--porcelain')).toBe('?? app/setup.runs');
  });

  it('lets two checks that start together share one checkout, and takes over a dead process lock', async () => {
    const repo = await gitdir();
    const commit = await git(repo, 'rev-parse', 'HEAD');
    const slowSetup = `sleep 0.3; ${countSetup}`;
    const [one, two] = await Promise.all([baselines(repo, [slowSetup]), baselines(repo, [slowSetup])]);
    const [a, b] = await Promise.all([one.checkout('HEAD'), two.checkout('HEAD')]);
    expect(b).toEqual(a);
    expect(setupRuns(repo)).toBe(1);
    // A check killed mid-setup leaves its lock and no ready marker: the next one takes over and redoes it.
    const path = join(repo, '.sluice', 'baselines', commit);
    writeFileSync(`${path}.lock`, '999999999');
    rmSync(`${path}.ready`);
    expect(await (await baselines(repo, [slowSetup])).checkout('HEAD')).toEqual(a);
    expect(setupRuns(repo)).toBe(2);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('names a ref that is not a commit', async () => {
    const repo = await gitdir();
    const error = await (await baselines(repo, [])).checkout('no-such-branch').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BaselineError);
    expect((error as BaselineError).code).toBe('BASELINE_REF_NOT_FOUND');
    expect((error as BaselineError).message).toBe("baseline ref 'no-such-branch' does not name a commit");
  });

  it('reports a failing setup command, removes the half-made worktree, and retries next time', async () => {
    const repo = await gitdir();
    const commit = await git(repo, 'rev-parse', 'HEAD');
    const setup = [countSetup, 'echo "npm ERR! missing lockfile" >&2; exit 3'];
    const attempt = async () => (await baselines(repo, setup)).checkout('HEAD');
    await expect(attempt()).rejects.toThrow(
      `setup command 2 (echo "npm ERR! missing lockfile" >&2; exit 3) failed in the baseline worktree at ${commit.slice(0, 12)}: exit 3: npm ERR! missing lockfile (log: .sluice/logs/baseline-setup.log)`,
    );
    expect(existsSync(join(repo, '.sluice', 'baselines', commit))).toBe(false);
    expect(await git(repo, 'worktree', 'list', '--porcelain')).not.toContain('baselines');
    await expect(attempt()).rejects.toThrow(BaselineError);
    expect(setupRuns(repo)).toBe(2);
  });
});

describe('bench gates that cannot measure', () => {
  const config = (bench: string, run = 'sh bench.sh', extra = '') =>
    parseConfigText(
      `${extra}gates:\n  speed:\n    kind: bench\n    run: ${run}\n    timeout: 20s\n    bench:\n${bench}`,
      'sluice.yaml',
    );
  const metric = '      metrics: { p50_ms: { json: p50_ms } }\n';

  it('fails a ratio goal without a baseline, saying how to give one, before running anything', async () => {
    const root = tempDir();
    writeFiles(root, { 'bench.sh': 'touch ran\n' });
    const result = await runGateGraph({ config: config(`${metric}      goals: ["ratio <= 0.9"]\n`), root });
    expect(result.gates[0]?.status).toBe('failed');
    expect(result.gates[0]?.reason).toBe(
      'goal "ratio <= 0.9" needs a baseline to compare with: run `sluice check --base REF`, check inside `sluice run` (its base commit), or set `bench.baseline`',
    );
    expect(existsSync(join(root, 'ran'))).toBe(false);
  });

  it('fails with the failing setup command when the baseline cannot be set up', async () => {
    const root = await gitdir({ files: { 'bench.sh': 'echo \'{"p50_ms": 1}\'\n' } });
    const result = await runGateGraph({
      config: config(`      runs: 3\n${metric}`, 'sh bench.sh', 'setup: ["exit 7"]\n'),
      root,
      baseRef: 'HEAD',
    });
    expect(result.gates[0]?.status).toBe('failed');
    expect(result.gates[0]?.reason).toMatch(
      /^setup command 1 \(exit 7\) failed in the baseline worktree at [0-9a-f]{12}: exit 7/,
    );
  });

  it('fails with a bad baseline ref', async () => {
    const root = await gitdir({ files: { 'bench.sh': 'echo \'{"p50_ms": 1}\'\n' } });
    const result = await runGateGraph({ config: config(`      baseline: v9.9\n${metric}`), root });
    expect(result.gates[0]?.reason).toBe("baseline ref 'v9.9' does not name a commit");
  });

  it('fails when a run fails, saying which side, with the end of its output', async () => {
    const root = await gitdir({ files: { 'bench.sh': 'echo "TypeError: boom in the old code" >&2; exit 2\n' } });
    writeFiles(root, { 'bench.sh': 'echo \'{"p50_ms": 1}\'\n' });
    const result = await runGateGraph({ config: config(`      runs: 3\n${metric}`), root, baseRef: 'HEAD' });
    const gate = result.gates[0];
    expect(gate?.status).toBe('failed');
    expect(gate?.reason).toBe('baseline warm-up run 1 of 1 failed: exit 2');
    expect(gate?.exitCode).toBe(2);
    expect(gate?.logPath).toBe('.sluice/logs/speed.baseline.log');
    expect(JSON.stringify([gate?.failures, gate?.outputTail])).toContain('TypeError: boom in the old code');
  });

  it('fails when a metric cannot be read, showing what the output looked like', async () => {
    const root = tempDir();
    writeFiles(root, { 'bench.sh': 'echo "p50: 12ms"\n' });
    const result = await runGateGraph({ config: config(`      runs: 3\n      warmup: 0\n${metric}`), root });
    const gate = result.gates[0];
    expect(gate?.reason).toBe(
      'cannot read metric p50_ms from the change run 1 of 3: the output holds no JSON document',
    );
    expect(gate?.outputTail).toEqual(['p50: 12ms']);
  });

  it('bounds all runs together by the gate timeout', async () => {
    const root = tempDir();
    writeFiles(root, { 'bench.sh': 'sleep 0.4\n' });
    const bench = '      runs: 5\n      metrics: { wall: {} }\n';
    const slow = parseConfigText(
      `gates:\n  speed:\n    kind: bench\n    run: sh bench.sh\n    timeout: 1s\n    bench:\n${bench}`,
      'sluice.yaml',
    );
    const result = await runGateGraph({ config: slow, root });
    expect(result.gates[0]?.status).toBe('timed-out');
    expect(result.gates[0]?.reason).toMatch(/^timed out during the change run 2 of 5 \(/);
    expect(result.gates[0]?.durationMs).toBeLessThan(2500);
  });

  it('stops at once when the check is cancelled', async () => {
    const root = tempDir();
    writeFiles(root, { 'bench.sh': 'sleep 0.3\n' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const started = performance.now();
    const result = await runGateGraph({
      config: config('      metrics: { wall: {} }\n'),
      root,
      signal: controller.signal,
    });
    expect(result.gates[0]).toMatchObject({ status: 'skipped', reason: 'cancelled' });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('measures wall time and judges a value goal without a baseline', async () => {
    const root = tempDir();
    writeFiles(root, { 'bench.sh': 'sleep 0.05\n' });
    const bench = '      runs: 3\n      warmup: 0\n      metrics: { wall: {} }\n      goals: ["wall <= 5000"]\n';
    const result = await runGateGraph({ config: config(bench), root });
    const metricResult = result.gates[0]?.bench?.metrics[0];
    expect(result.gates[0]?.status).toBe('passed');
    expect(metricResult?.unit).toBe('ms');
    expect(metricResult?.median).toBeGreaterThan(45);
    expect(metricResult?.baseline).toBeUndefined();
    expect(metricResult?.goals[0]?.verdict).toBe('goal-met');
  });
});
