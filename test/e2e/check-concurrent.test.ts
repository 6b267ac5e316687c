import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitdir } from '../support/gitdir.ts';
import { runSluice } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

describe('two sluice check in the same folder at once', () => {
  it('run one after the other: neither reads the log or report the other is writing', async () => {
    const dir = tempDir();
    // Each check's gate writes a report naming its own run, waits, then fails on it: interleaved
    // checks would read the other's report (and log) and report the other's run.
    writeFiles(dir, {
      'sluice.yaml': [
        'gates:',
        '  test:',
        '    run: >-',
        '      id=$(date +%s%N);',
        '      echo "start $id" >> order.txt;',
        '      echo "not ok 1 - from $id" > .sluice/report.tap;',
        '      echo "log of $id"; sleep 1;',
        '      echo "end $id" >> order.txt; cat .sluice/report.tap; exit 1',
        '    report: { format: tap, path: .sluice/report.tap }',
        '',
      ].join('\n'),
    });
    const [first, second] = await Promise.all([
      runSluice(['check', '--json', '--no-cache'], { cwd: dir }),
      new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
        runSluice(['check', '--json', '--no-cache'], { cwd: dir }),
      ),
    ]);
    expect(first.exitCode).toBe(1);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(/waiting for the sluice check already running in .* \(pid \d+, since /);
    const order = readFileSync(join(dir, 'order.txt'), 'utf8').trim().split('\n');
    expect(order.map((line) => line.split(' ')[0])).toEqual(['start', 'end', 'start', 'end']);
    expect(order[0]?.split(' ')[1]).toBe(order[1]?.split(' ')[1]);
    for (const run of [first, second]) {
      const gate = JSON.parse(run.stdout).gates[0];
      const own = /from (\d+)/.exec(JSON.stringify(gate))?.[1];
      expect(own).toBeDefined();
      expect(JSON.stringify(gate)).not.toMatch(new RegExp(`from (?!${own})\\d+`));
    }
  }, 30_000);

  it('the waiting check looks at the files again once the first is done: what its gates wrote counts', async () => {
    // `writer` turns flag.txt bad a second in; `reader` passes only on a good flag, and its pass is cached.
    const dir = await gitdir({
      files: {
        'flag.txt': 'good\n',
        'sluice.yaml': [
          'gates:',
          '  writer:',
          '    run: sleep 1; echo bad > flag.txt',
          '  reader:',
          '    run: grep -q good flag.txt',
          '    inputs: [flag.txt]',
          '',
        ].join('\n'),
      },
    });
    expect((await runSluice(['check', '--gate', 'reader'], { cwd: dir })).exitCode).toBe(0);
    const [first, second] = await Promise.all([
      runSluice(['check', '--gate', 'writer'], { cwd: dir }),
      new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
        runSluice(['check', '--json', '--gate', 'reader'], { cwd: dir }),
      ),
    ]);
    expect(first.exitCode).toBe(0);
    expect(second.stderr).toMatch(/waiting for the sluice check already running/);
    expect(JSON.parse(second.stdout).gates[0]).toMatchObject({ name: 'reader', status: 'failed' });
    expect(second.exitCode).toBe(1);
  }, 30_000);
});
