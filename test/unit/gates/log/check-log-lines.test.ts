import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFailure } from '../../../../src/gates/feedback/compact-feedback.ts';
import { checkLog, checkLogLines } from '../../../../src/gates/log/check-log-lines.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { writeFiles } from '../../../support/write-files.ts';

function logFile(text: string): string {
  const dir = tempDir();
  writeFiles(dir, { 'app.log': text });
  return join(dir, 'app.log');
}

const startup = [
  'starting app',
  'config: mode=fast',
  'feature search enabled',
  'ERROR db timeout after 5s',
  'WARN deprecated option --legacy',
  'ERROR cache unavailable',
  'ready on :8080',
].join('\n');

describe('checkLogLines', () => {
  it('passes when every `must` line appears and no `must_not` line does', async () => {
    const failures = await checkLogLines(
      { must: ['feature search enabled', '/^config: mode=(fast|turbo)$/'], must_not: ['panic', '/^FATAL/'] },
      logFile(startup),
      'the output',
    );
    expect(failures).toEqual([]);
  });

  it('names each `must` pattern that no line matches', async () => {
    const check = await checkLog(
      { must: ['feature export enabled', '/mode=slow/', 'Ready on'], must_not: [] },
      logFile(startup),
      'the output',
    );
    expect(check.missing).toBe(3);
    expect(check.failures.map((failure) => failure.message)).toEqual([
      'missing: "feature export enabled" (no line of the output matches)',
      'missing: /mode=slow/ (no line of the output matches)',
      'missing: "Ready on" (no line of the output matches)\nonly if case is ignored: line 7: ready on :8080',
    ]);
  });

  it('lists the lines a `must_not` pattern matches with their numbers, and counts the rest', async () => {
    const lines = Array.from({ length: 10 }, (_, index) => `line ${index}`);
    lines.push('ERROR a', 'ERROR b', 'ok', 'ERROR c', 'ERROR d', 'ERROR e');
    const check = await checkLog(
      { must: [], must_not: ['ERROR', '/deprecat/i'] },
      logFile(lines.join('\n')),
      'the output',
    );
    expect(check.forbiddenLines).toBe(5);
    expect(check.failures.map((failure) => failure.message)).toEqual([
      [
        'forbidden: "ERROR" matches 5 lines of the output',
        'line 11: ERROR a',
        'line 12: ERROR b',
        'line 14: ERROR c',
        '… and 2 more',
      ].join('\n'),
    ]);
    // The agent sees the count and the first lines.
    expect(renderFailure(check.failures[0] as never)).toBe(
      '- forbidden: "ERROR" matches 5 lines of the output\n  line 11: ERROR a\n  line 12: ERROR b',
    );
  });

  it('matches /regex/flags and counts a line matched by two patterns once', async () => {
    const check = await checkLog(
      { must: [], must_not: ['/^error\\b/i', 'db timeout', '/deprecated/'] },
      logFile(startup),
      'the log of service "app"',
    );
    expect(check.failures.map((failure) => failure.message.split('\n')[0])).toEqual([
      'forbidden: /^error\\b/i matches 2 lines of the log of service "app"',
      'forbidden: "db timeout" matches 1 line of the log of service "app"',
      'forbidden: /deprecated/ matches 1 line of the log of service "app"',
    ]);
    expect(check.failures[2]?.message).toContain('line 5: WARN deprecated option --legacy');
    expect(check.forbiddenLines).toBe(3);
  });

  it('ignores colour codes and Windows line ends', async () => {
    const failures = await checkLogLines(
      { must: ['config: mode=fast', '/^ready$/'], must_not: [] },
      logFile('\u001b[32mconfig:\u001b[0m mode=fast\r\nready\r\n'),
      'the output',
    );
    expect(failures).toEqual([]);
  });

  it('fails when the log is missing, saying whose it is', async () => {
    const path = join(tempDir(), 'service-app.log');
    const check = await checkLog({ must: ['ready'], must_not: [] }, path, 'the log of service "app"');
    expect(check.unreadable).toBe('the log of service "app" is missing');
    expect(check.failures).toEqual([{ message: `the log of service "app" is missing (no file ${path})` }]);
  });

  it('fails an invalid regular expression instead of throwing', async () => {
    const check = await checkLog({ must: ['/(unclosed/'], must_not: [] }, logFile(startup), 'the output');
    expect(check.invalidPatterns).toBe(1);
    expect(check.failures[0]?.message).toMatch(/^invalid pattern \/\(unclosed\//);
  });
});
