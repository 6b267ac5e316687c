import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { repoRoot, runSluice } from '../../support/sluice-cli.ts';
import { commitSrc, folderSnapshot, gatedRepo } from './git-hook-fixtures.ts';

/**
 * Hooks managed by a tool: Sluice's hook must run the tool's as if nothing had moved, including a stub that
 * finds the script to run from its own path and name (husky 9 does that under core.hooksPath .husky/_).
 */
describe('sluice hooks install --git over a hook manager', () => {
  it('chains to a husky-style stub under core.hooksPath, which still finds and runs the user’s .husky script', async () => {
    const repo = await gatedRepo({
      // Written here in the shape husky 9 uses: _/pre-commit sources _/h, which runs .husky/<its own name>.
      '.husky/_/.gitignore': '*\n',
      '.husky/_/h':
        '#!/usr/bin/env sh\nname=$(basename "$0")\nscript="$(dirname "$(dirname "$0")")/$name"\n[ -f "$script" ] || exit 0\nsh -e "$script" "$@"\n',
      '.husky/_/pre-commit': '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n',
      '.husky/pre-commit':
        'echo "husky pre-commit ran" >> ../manager.log\n[ ! -f block-commit ] || { echo "the husky hook says no" >&2; exit 1; }\n',
    });
    await git(repo, 'config', 'core.hooksPath', '.husky/_');
    const hooksDir = join(repo, '.husky/_');
    execFileSync('chmod', ['+x', join(hooksDir, 'pre-commit'), join(hooksDir, 'h')]);
    const before = folderSnapshot(hooksDir);

    const install = await runSluice(['hooks', 'install', '--git'], { cwd: repo });
    expect(install.stdout).toContain(`chained: ${join(hooksDir, 'pre-commit')}`);
    expect(install.stdout).toContain(`installed: ${join(hooksDir, 'pre-push')}`);

    writeFileSync(join(repo, 'src/app.js'), 'export const answer = 43;\n');
    expect((await commitSrc(repo, 'through husky')).exitCode).toBe(0);
    expect(readFileSync(join(dirname(repo), 'manager.log'), 'utf8')).toBe('husky pre-commit ran\n');

    writeFileSync(join(repo, 'block-commit'), '');
    writeFileSync(join(repo, 'src/app.js'), 'export const answer = 44;\n');
    const refused = await commitSrc(repo, 'refused by husky');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toContain('the husky hook says no');
    rmSync(join(repo, 'block-commit'));

    // Sluice's own gate still refuses when the husky hook passes.
    writeFileSync(join(repo, 'src/app.js'), '// TODO\n');
    expect((await commitSrc(repo, 'refused by sluice')).output).toContain('src/app.js:1: TODO left in the code');

    expect((await runSluice(['hooks', 'uninstall', '--git'], { cwd: repo })).exitCode).toBe(0);
    expect(folderSnapshot(hooksDir)).toEqual(before);
  });

  it('chains to the hook lefthook installed, which still runs lefthook.yml', async () => {
    const repo = await gatedRepo({
      'lefthook.yml':
        'pre-commit:\n  commands:\n    mark:\n      run: echo "lefthook ran" >> ../manager.log\n    refuse:\n      run: test ! -f block-commit\n',
    });
    execFileSync(process.execPath, [join(repoRoot, 'node_modules/.bin/lefthook'), 'install'], { cwd: repo });
    const hooksDir = join(repo, '.git/hooks');
    const before = folderSnapshot(hooksDir);
    expect(before['pre-commit']?.content).toContain('call_lefthook run "pre-commit"');

    const install = await runSluice(['hooks', 'install', '--git'], { cwd: repo });
    expect(install.stdout).toContain(`chained: ${join(hooksDir, 'pre-commit')}`);

    writeFileSync(join(repo, 'src/app.js'), 'export const answer = 43;\n');
    const passed = await commitSrc(repo, 'through lefthook');
    expect(passed.exitCode).toBe(0);
    expect(readFileSync(join(dirname(repo), 'manager.log'), 'utf8')).toBe('lefthook ran\n');
    expect(passed.output).toContain('lint  passed');

    writeFileSync(join(repo, 'block-commit'), '');
    writeFileSync(join(repo, 'src/app.js'), 'export const answer = 44;\n');
    expect((await commitSrc(repo, 'refused by lefthook')).exitCode).not.toBe(0);
    rmSync(join(repo, 'block-commit'));

    expect((await runSluice(['hooks', 'uninstall', '--git'], { cwd: repo })).exitCode).toBe(0);
    expect(folderSnapshot(hooksDir)).toEqual(before);
  });
});
