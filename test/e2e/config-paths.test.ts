import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitdir } from '../support/gitdir.ts';
import { checkJson, runSluice } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('sluice check never reads or deletes files outside the repository through its config', () => {
  it('a report path or invariant file outside the repository is a config error at file:line:column', async () => {
    const outside = tempDir('sluice-outside-');
    writeFileSync(join(outside, 'precious.xml'), 'keep me');
    const repo = await gitdir({
      files: {
        'sluice.yaml': `gates:\n  unit:\n    run: "true"\n    report: { format: junit, path: ${join(outside, 'precious.xml')} }\n  bytes:\n    kind: invariant\n    run: "true"\n    invariant: { from: ../../precious.json, assert: ["x = 1"] }\n`,
      },
    });
    const check = await runSluice(['check'], { cwd: repo });
    expect(check.exitCode).toBe(2);
    expect(check.stderr).toMatch(
      /sluice\.yaml:4:\d+: gates\.unit\.report\.path: ".*precious\.xml" is an absolute path/,
    );
    expect(check.stderr).toMatch(
      /sluice\.yaml:8:\d+: gates\.bytes\.invariant\.from: "\.\.\/\.\.\/precious\.json" leads outside/,
    );
    expect(readFileSync(join(outside, 'precious.xml'), 'utf8')).toBe('keep me');
  });

  it('a report or invariant file reached through a symbolic link that leaves the repository fails its gate, untouched', async () => {
    const outside = tempDir('sluice-outside-');
    writeFileSync(join(outside, 'unit.xml'), 'keep me');
    writeFileSync(join(outside, 'result.json'), '{"x": 1}');
    const repo = await gitdir({
      files: {
        'sluice.yaml': [
          'gates:',
          '  unit:',
          '    run: "true"',
          '    report: { format: junit, path: reports/unit.xml }',
          '  bytes:',
          '    kind: invariant',
          '    run: "true"',
          '    invariant: { from: result.json, assert: ["x = 1"] }',
          '  fine:',
          '    run: "true"',
          '',
        ].join('\n'),
      },
    });
    symlinkSync(outside, join(repo, 'reports'));
    symlinkSync(join(outside, 'result.json'), join(repo, 'result.json'));
    const check = await checkJson(repo);
    expect(check.json.verdict).toBe('failed');
    expect(check.gate('unit').status).toBe('failed');
    expect(check.gate('unit').reason).toMatch(
      /^reports\/unit\.xml leads to .*unit\.xml through a symbolic link, outside the repository .*; Sluice does not read or delete files there$/,
    );
    expect(check.gate('bytes').status).toBe('failed');
    expect(check.gate('bytes').reason).toMatch(/^result\.json leads to .*result\.json through a symbolic link/);
    expect(check.gate('fine').status).toBe('passed');
    expect(readFileSync(join(outside, 'unit.xml'), 'utf8')).toBe('keep me');
    expect(existsSync(join(outside, 'result.json'))).toBe(true);
  });
});
