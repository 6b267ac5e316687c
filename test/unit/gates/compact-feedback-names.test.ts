import { describe, expect, it } from 'vitest';
import { renderFailure } from '../../../src/gates/feedback/compact-feedback.ts';

describe('renderFailure: the test name and its place', () => {
  it('clips a long name in its middle, so the file:line after it stays whole', () => {
    const test = `readConfig > passes the database url through ${'unchanged '.repeat(20)}when DATABASE_URL is set`;
    const [title = ''] = renderFailure({ test, message: 'm', file: 'test/config.test.js', line: 12 }).split('\n');
    expect(title.length).toBeLessThanOrEqual(160);
    expect(title).toMatch(
      /^- readConfig > passes the database url .*….* when DATABASE_URL is set \(test\/config\.test\.js:12\)$/,
    );
  });

  it("drops the file from the test's name when the location names it (vitest's 'file > suite > test')", () => {
    const failure = { test: 'test/parse.test.js > parse > reads', message: 'm', file: 'test/parse.test.js', line: 4 };
    expect(renderFailure(failure).split('\n')[0]).toBe('- parse > reads (test/parse.test.js:4)');
    // Another file's name, or a suite that only looks like one, stays.
    expect(renderFailure({ ...failure, file: 'test/other.test.js' }).split('\n')[0]).toBe(
      '- test/parse.test.js > parse > reads (test/other.test.js:4)',
    );
    expect(renderFailure({ ...failure, test: 'parse > reads' }).split('\n')[0]).toBe(
      '- parse > reads (test/parse.test.js:4)',
    );
  });

  it('shows undefined as undefined, and leaves out diff lines the expected/received line repeats', () => {
    const text = renderFailure({
      test: 'url',
      message: "Expected values to be strictly equal:\n+ undefined\n- 'postgres://x'",
      file: 'test/a.test.js',
      line: 3,
      expected: "'postgres://x'",
      received: 'undefined',
    });
    expect(text).toBe(
      [
        '- url (test/a.test.js:3)',
        '  Expected values to be strictly equal:',
        "  expected: 'postgres://x'  received: undefined",
      ].join('\n'),
    );
  });
});
