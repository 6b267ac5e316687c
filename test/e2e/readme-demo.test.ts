import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/sluice-cli.ts';

/** Run a command the demo printed, as a person would from the README's folder (`npx sluice` is the bin there). */
function runPrinted(command: string) {
  const args = command.replace(/^npx sluice /, '').split(' ');
  return spawnSync(process.execPath, [`${repoRoot}bin/sluice.js`, ...args], { cwd: repoRoot, encoding: 'utf8' });
}

describe("the README's main job (npm run demo)", () => {
  it('runs the loop offline: a failing first attempt, the exact feedback shown, a fix, done; its hints work as printed', () => {
    // As `npm run demo` starts it: from the package's folder, through npm.
    const demo = spawnSync(process.execPath, [`${repoRoot}examples/demo-run.mjs`], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, CI: '1', npm_command: 'run-script' },
    });
    const repo = /demo repository: (\S+)/.exec(demo.stdout)?.[1];
    try {
      expect(demo.stderr).toBe('');
      expect(demo.status).toBe(0);
      expect(demo.stdout).toContain('  checks failed: unit (1 of 8 tests)');
      // The feedback the agent received between its turns, as it received it.
      expect(demo.stdout).toMatch(
        /feedback to the agent:\n( {2}│.*\n)* {2}│ - gives 20% off from 50 items \(test\/bulk\.test\.js:6\)\n {2}│ +Expected values to be strictly equal:\n {2}│ +expected: 4000 +received: 4500\n/,
      );
      expect(demo.stdout).toContain(
        'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
      );
      const review = /: (npx sluice review show \S+ -C \S+)\n/.exec(demo.stdout)?.[1];
      expect(review, demo.stdout).toBeDefined();
      const shown = runPrinted(review ?? '');
      expect(shown.stderr).toBe('');
      expect(shown.status).toBe(0);
      const runId = /review show (\S+)/.exec(review ?? '')?.[1];
      const receipts = runPrinted(`npx sluice show ${runId} --feedback -C ${repo}`);
      expect(receipts.status).toBe(0);
      expect(receipts.stdout).toContain('  │ - gives 20% off from 50 items (test/bulk.test.js:6)');
      const runs = /The receipts: (npx sluice runs -C \S+)/.exec(demo.stdout)?.[1];
      expect(runPrinted(runs ?? '').stdout).toContain(runId);
    } finally {
      if (repo) rmSync(dirname(repo), { recursive: true, force: true });
    }
  });
});
