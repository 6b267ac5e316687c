import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/sluice-cli.ts';

describe("the README's main job (npm run demo)", () => {
  it('runs the loop offline: a failing first attempt, exact feedback, a fix, done', () => {
    const demo = spawnSync(process.execPath, [`${repoRoot}examples/demo-run.mjs`], {
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    });
    const repo = /demo repository: (\S+)/.exec(demo.stdout)?.[1];
    if (repo) rmSync(dirname(repo), { recursive: true, force: true });
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    expect(demo.stdout).toContain('  checks failed: unit (1 of 8 tests)');
    expect(demo.stdout).toContain(
      'done: every blocking gate and acceptance check passed on the final tree (2 iterations)',
    );
  });
});
