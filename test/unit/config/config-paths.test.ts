import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatePathOutsideRepository, pathEscape } from '../../../src/config/config-paths.ts';
import { parseConfigText } from '../../../src/config/load-config.ts';
import { gitdir } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';

function problems(yaml: string): string {
  try {
    parseConfigText(yaml, 'sluice.yaml');
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('paths in sluice.yaml stay inside the repository', () => {
  it('refuses absolute paths and .. escapes in every path Sluice reads or deletes, at file:line:column', () => {
    const message = problems(
      [
        'services:',
        '  app: { run: node s.js, cwd: /srv/app }',
        'setup:',
        '  - { run: npm ci, inputs: [../package-lock.json] }',
        'gates:',
        '  unit:',
        '    run: node --test',
        '    report: { format: junit, path: /home/someone/.ssh/id_rsa }',
        '  deep:',
        '    run: node --test',
        '    cwd: sub',
        '    report: { format: junit, path: ../../outside.xml }',
        '  bytes:',
        '    kind: invariant',
        '    run: node r.js',
        '    invariant: { from: ../../etc/passwd, assert: ["x = 1"] }',
        '  up:',
        '    run: "true"',
        '    cwd: ../neighbour',
        '    inputs: ["src/**", "!../**", "a/../../b/**"]',
        '  ui: { kind: browser, browser: { script: "C:\\\\x\\\\cart.mjs" } }',
      ].join('\n'),
    );
    const lines = message.split('\n').slice(1);
    expect(lines).toEqual([
      expect.stringMatching(/^sluice\.yaml:2:\d+: services\.app\.cwd: "\/srv\/app" is an absolute path/),
      expect.stringMatching(/^sluice\.yaml:4:\d+: setup\.0\.inputs\.0: "\.\.\/package-lock\.json" leads outside/),
      expect.stringMatching(/^sluice\.yaml:8:\d+: gates\.unit\.report\.path: .* is an absolute path/),
      expect.stringMatching(
        /^sluice\.yaml:12:\d+: gates\.deep\.report\.path: "\.\.\/\.\.\/outside\.xml" leads outside/,
      ),
      expect.stringMatching(/^sluice\.yaml:16:\d+: gates\.bytes\.invariant\.from: .* leads outside/),
      expect.stringMatching(/^sluice\.yaml:19:\d+: gates\.up\.cwd: "\.\.\/neighbour" leads outside/),
      expect.stringMatching(/^sluice\.yaml:20:\d+: gates\.up\.inputs\.1: "\.\.\/\*\*" leads outside/),
      expect.stringMatching(/^sluice\.yaml:20:\d+: gates\.up\.inputs\.2: "a\/\.\.\/\.\.\/b\/\*\*" leads outside/),
      expect.stringMatching(/^sluice\.yaml:21:\d+: gates\.ui\.browser\.script: .* is an absolute path/),
    ]);
  });

  it('accepts paths that stay inside, .. included', () => {
    expect(
      problems(
        [
          'gates:',
          '  unit:',
          '    run: node --test',
          '    cwd: packages/a',
          '    report: { format: junit, path: ../../.sluice/reports/a.xml }',
          '    inputs: ["packages/a/src/**", "shared/../packages/**"]',
        ].join('\n'),
      ),
    ).toBe('');
    expect(pathEscape('./x/../y')).toBeUndefined();
    expect(pathEscape('..')).toMatch(/leads outside/);
    expect(pathEscape('x', '..')).toMatch(/leads outside/);
  });

  it('refuses at use time a path that leaves the repository through a symbolic link, wherever the link is', async () => {
    const repo = await gitdir();
    const outside = tempDir('sluice-outside-');
    writeFileSync(join(outside, 'precious.json'), '{}');
    symlinkSync(outside, join(repo, 'reports'));
    mkdirSync(join(repo, 'sub'));
    symlinkSync(join(outside, 'precious.json'), join(repo, 'sub', 'result.json'));
    symlinkSync(outside, join(repo, 'linked-cwd'));
    const report = await gatePathOutsideRepository(repo, { cwd: '.', report: { path: 'reports/new/unit.xml' } });
    expect(report).toMatch(
      /^reports\/new\/unit\.xml leads to .*sluice-outside-.*\/new\/unit\.xml through a symbolic link, outside the repository/,
    );
    expect(await gatePathOutsideRepository(repo, { cwd: 'sub', invariant: { from: 'result.json' } })).toMatch(
      /^sub\/result\.json leads to .*precious\.json through a symbolic link/,
    );
    expect(await gatePathOutsideRepository(repo, { cwd: 'linked-cwd', report: { path: 'x.xml' } })).toMatch(
      /^linked-cwd leads to/,
    );
    expect(
      await gatePathOutsideRepository(repo, {
        cwd: 'sub',
        report: { path: '.sluice/r.xml' },
        invariant: { from: 'a.json' },
      }),
    ).toBeUndefined();
  });
});
