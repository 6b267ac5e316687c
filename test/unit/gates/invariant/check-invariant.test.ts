import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InvariantConfig } from '../../../../src/config/invariant-schema.ts';
import { renderFailure } from '../../../../src/gates/feedback/compact-feedback.ts';
import { checkInvariant } from '../../../../src/gates/invariant/check-invariant.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { writeFiles } from '../../../support/write-files.ts';

const bytesAddUp = '$abs($sum(channels.bytes) - total.bytes) <= 0.001 * total.bytes';

/** Check `assert` against a command output holding `output`. */
async function check(output: string, assert: InvariantConfig['assert'], from?: string, files = {}) {
  const cwd = tempDir();
  writeFiles(cwd, { 'gate.log': output, ...files });
  return checkInvariant({ assert, ...(from ? { from } : {}) }, { logFile: join(cwd, 'gate.log'), cwd });
}

const report = (second: number) =>
  JSON.stringify({ total: { bytes: 1000 }, channels: [{ bytes: 600 }, { bytes: second }] });

describe('checkInvariant', () => {
  it('shows the sides of a broken comparison and the paths and calls they are made of', async () => {
    const result = await check(report(415), [{ that: bytesAddUp, name: 'bytes add up' }]);
    expect(result.broken).toEqual(['bytes add up']);
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure?.message).toBe(
      [
        `bytes add up: ${bytesAddUp}`,
        '$abs($sum(channels.bytes) - total.bytes) = 15 · 0.001 * total.bytes = 1 · $sum(channels.bytes) = 1015 · channels.bytes = [600,415]',
        'total.bytes = 1000',
      ].join('\n'),
    );
    // What the agent reads: the title, then the values, within the renderer's three lines.
    expect(renderFailure(failure as never)).toContain('$sum(channels.bytes) = 1015');
    expect(renderFailure(failure as never)).toContain('total.bytes = 1000');
  });

  it('passes within the tolerance and fails just outside it', async () => {
    expect((await check(report(400), [bytesAddUp])).failures).toEqual([]);
    expect((await check(report(401), [bytesAddUp])).failures).toEqual([]);
    const outside = await check(report(402), [bytesAddUp]);
    expect(outside.failures[0]?.message).toContain('$abs($sum(channels.bytes) - total.bytes) = 2');
    expect(outside.broken).toEqual([bytesAddUp]);
  });

  it('reads the last JSON document among other lines of output', async () => {
    const output = `building...\n{"total":{"bytes":5},"channels":[]}\n[INFO] measuring\n${JSON.stringify(
      JSON.parse(report(400)),
      null,
      2,
    )}\ndone in 3s\n`;
    expect((await check(output, [bytesAddUp])).failures).toEqual([]);
    const stale = await check(`${report(400)}\n{"total":{"bytes":7}}\n`, ['total.bytes = 1000']);
    expect(stale.failures[0]?.message).toContain('total.bytes = 7');
  });

  it('reads the JSON from the `from` file relative to cwd', async () => {
    const result = await check('no json here\n', ['total.bytes = 1000'], 'out/report.json', {
      'out/report.json': report(400),
    });
    expect(result.failures).toEqual([]);
    const missing = await check(report(400), ['total.bytes = 1000'], 'out/report.json');
    expect(missing.unchecked).toBe('out/report.json was not written');
    expect(missing.failures[0]?.message).toBe('no JSON to check: out/report.json does not exist');
    const broken = await check('', ['true'], 'r.json', { 'r.json': 'total: 5\n' });
    expect(broken.failures[0]?.message).toMatch(/r\.json is not valid JSON \(.+\); it is one line: "total: 5"/);
  });

  it('says what the output held when it has no JSON', async () => {
    const result = await check('Compiling 3 files\nwarning: slow\n', [bytesAddUp]);
    expect(result.unchecked).toBe('no JSON in the output');
    expect(result.failures[0]?.message).toBe(
      'no JSON to check: the command printed no JSON object or array; it has 2 lines, the first: "Compiling 3 files"',
    );
    expect((await check('', [bytesAddUp])).failures[0]?.message).toContain('it is empty');
    expect((await check('{ "cut": [1, 2\n', [bytesAddUp])).unchecked).toBe('no JSON in the output');
  });

  it('names the path that is missing and what is there instead', async () => {
    const result = await check(report(400), ['total.byts <= 1000']);
    expect(result.failures[0]?.message.split('\n')).toEqual([
      'total.byts <= 1000',
      'total.byts is missing (total has: bytes)',
      'total.byts = undefined',
    ]);
    const top = await check(report(400), ['$sum(chanels.bytes) = totals.bytes']);
    expect(top.failures[0]?.message).toContain(
      'chanels is missing (the JSON has: total, channels); totals is missing (the JSON has: total, channels)',
    );
    const filtered = await check(report(400), ['$count(channels[bytes > 900]) > 0']);
    expect(filtered.failures[0]?.message).toContain('$count(channels[bytes > 900]) = 0');
  });

  it('fails an expression that gives something other than true or false', async () => {
    const number = await check(report(415), ['$sum(channels.bytes)']);
    expect(number.failures[0]?.message.split('\n')[1]).toBe(
      'gives 1015 (a number), not true or false: compare it, e.g. `… <= 10`',
    );
    const nothing = await check(report(415), ['total.count']);
    expect(nothing.failures[0]?.message).toBe('total.count\ntotal.count is missing (total has: bytes)');
    const empty = await check('{"items":[]}', ['$max(items)']);
    expect(empty.failures[0]?.message).toBe('$max(items)\ngives no value, not true or false\nitems = []');
  });

  it('reports a syntax error with where it is', async () => {
    const result = await check(report(400), ['total.bytes <= ']);
    expect(result.broken).toEqual(['total.bytes <= ']);
    expect(result.failures[0]?.message).toMatch(
      /^total\.bytes <= \nnot a valid JSONata expression: .+ \(at character \d+/,
    );
  });

  it('hints that JSONata functions start with $ when `abs(` is written', async () => {
    const result = await check(report(415), ['abs(sum(channels.bytes) - total.bytes) <= 0.001 * total.bytes']);
    expect(result.failures[0]?.message.split('\n')[1]).toBe(
      'abs(…), sum(…) is not a function: JSONata functions start with $: $abs, $sum',
    );
    const unknown = await check(report(415), ['$abss(total.bytes) > 1']);
    expect(unknown.failures[0]?.message).toContain('cannot be evaluated: $abss is not a JSONata function');
  });

  it('shows the values around an evaluation error', async () => {
    const result = await check('{"total":{"bytes":"1000"}}', ['total.bytes - 1 > 0']);
    expect(result.failures[0]?.message).toContain('cannot be evaluated:');
    expect(result.failures[0]?.message).toContain('total.bytes = "1000"');
  });

  it('shows only the branches of an `and` that failed', async () => {
    const result = await check(report(415), ['total.bytes = 1000 and $count(channels) > 2']);
    const message = result.failures[0]?.message ?? '';
    const [title, ...explanation] = message.split('\n');
    expect(title).toBe('total.bytes = 1000 and $count(channels) > 2');
    expect(explanation.join('\n')).toContain('$count(channels) = 2');
    expect(explanation.join('\n')).not.toContain('total.bytes');
  });

  it('checks every assertion and names each broken one', async () => {
    const result = await check(report(415), [
      'total.bytes = 1000',
      { that: '$count(channels) = 3', name: 'three channels' },
      { that: bytesAddUp, name: 'bytes add up' },
    ]);
    expect(result.broken).toEqual(['three channels', 'bytes add up']);
    expect(result.failures.map((failure) => failure.message.split('\n')[0])).toEqual([
      'three channels: $count(channels) = 3',
      `bytes add up: ${bytesAddUp}`,
    ]);
  });
});
