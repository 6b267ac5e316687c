import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';
import { maxReportBytes, readGateFailures } from '../../../src/gates/read-gate-failures.ts';
import { tempDir } from '../../support/temp-dir.ts';

const gate = parseConfigText(
  'gates:\n  test:\n    run: x\n    report: { format: junit, path: report.xml }\n',
  'sluice.yaml',
).gates.test;

/** A JUnit report with one failure at the start and `padding` bytes of passing tests after it. */
function junit(padding: number): string {
  const head =
    '<testsuites><testsuite name="s"><testcase name="from report" file="src/a.test.ts"><failure message="report says"/></testcase>';
  const passing = '<testcase name="ok"/>';
  return `${head}${passing.repeat(Math.ceil(padding / passing.length))}</testsuite></testsuites>\n`;
}

async function read(dir: string, report: string) {
  const logFile = join(dir, 'test.log');
  writeFileSync(logFile, 'src/b.test.ts:3:1: error: log says\n');
  if (!gate) throw new Error('no gate');
  return readGateFailures({ gate, logFile, reportFile: report, passed: false, root: dir, cwd: dir });
}

describe('reading a report with a size cap', () => {
  it('reads a report under the cap', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'report.xml'), junit(1000));
    const result = await read(dir, join(dir, 'report.xml'));
    expect(result.failures.map((failure) => failure.message)).toContain('report says');
    expect(result.problems).toEqual([]);
  });

  it('says a report over the cap is too big and reads the failures from the log', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'report.xml'), junit(maxReportBytes + 10));
    const result = await read(dir, join(dir, 'report.xml'));
    expect(result.problems).toEqual([
      'report report.xml is too big to read (more than 16 MB); failures are read from the log instead',
    ]);
    expect(result.failures.map((failure) => failure.message)).toEqual(['error: log says']);
  });

  it('does not read endlessly from a report that is a link to /dev/zero, nor block on a FIFO', async () => {
    const dir = tempDir();
    symlinkSync('/dev/zero', join(dir, 'zero.xml'));
    expect((await read(dir, join(dir, 'zero.xml'))).problems).toEqual([
      'report zero.xml is not a regular file; it was not read',
    ]);
    expect(spawnSync('mkfifo', [join(dir, 'fifo.xml')]).status).toBe(0);
    const result = await read(dir, join(dir, 'fifo.xml'));
    expect(result.problems).toEqual(['report fifo.xml is not a regular file; it was not read']);
    expect(result.failures.map((failure) => failure.message)).toEqual(['error: log says']);
  });
});
