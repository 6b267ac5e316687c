import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJson, runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

const bytesAddUp = '$abs($sum(channels.bytes) - total.bytes) <= 0.001 * total.bytes';

/** A script that prints a line of progress, then the totals as JSON. */
function reportScript(channels: number[]): string {
  const report = { total: { bytes: 1000 }, channels: channels.map((bytes) => ({ bytes })) };
  return `console.log('measuring ${channels.length} channels');\nconsole.log(${JSON.stringify(JSON.stringify(report))});\n`;
}

/** A script that prints a service's start-up log. */
function startupScript(lines: string[]): string {
  return lines.map((line) => `console.log(${JSON.stringify(line)});`).join('\n');
}

describe('invariant gates', () => {
  it('fails an invariant off by 1.5% with the numbers shown, then passes when fixed', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'report.js': reportScript([600, 415]),
      'sluice.yaml': `gates:
  bytes:
    kind: invariant
    run: node report.js
    invariant:
      assert:
        - that: '${bytesAddUp}'
          name: bytes add up
`,
    });
    const broken = await runSluice(['check'], { cwd: dir });
    expect(broken.exitCode).toBe(1);
    expect(broken.stdout).toContain('invariant broken: bytes add up');
    expect(broken.stdout).toContain(`- bytes add up: ${bytesAddUp}`);
    expect(broken.stdout).toContain('$sum(channels.bytes) = 1015');
    expect(broken.stdout).toContain('total.bytes = 1000');

    const { exitCode, gate, json } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(gate('bytes')).toMatchObject({ status: 'failed', exit_code: 0, reason: 'invariant broken: bytes add up' });
    expect(gate('bytes').failures).toEqual([
      {
        test: null,
        file: null,
        line: null,
        message: [
          `bytes add up: ${bytesAddUp}`,
          '$abs($sum(channels.bytes) - total.bytes) = 15 · 0.001 * total.bytes = 1 · $sum(channels.bytes) = 1015 · channels.bytes = [600,415]',
          'total.bytes = 1000',
        ].join('\n'),
      },
    ]);
    expect(json.feedback).toContain('$sum(channels.bytes) = 1015');

    writeFileSync(join(dir, 'report.js'), reportScript([600, 400]));
    const fixed = await runSluice(['check'], { cwd: dir });
    expect(fixed.exitCode).toBe(0);
  });

  it('says what the command printed when it printed no JSON', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:\n  bytes:\n    kind: invariant\n    run: echo "Compiling 3 files"\n    invariant: { assert: ['total.bytes > 0'] }\n`,
    });
    const { exitCode, gate } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(gate('bytes').reason).toBe('invariant not checked: no JSON in the output');
    expect(gate('bytes').failures[0]?.message).toContain('it is one line: "Compiling 3 files"');
  });

  it('reads a file the command writes when `from` names it', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:
  sizes:
    kind: invariant
    run: "node -e \\"require('fs').writeFileSync('out/sizes.json', JSON.stringify({ js: 510, css: 90 }))\\""
    invariant:
      from: out/sizes.json
      assert: ['js + css <= 550']
`,
      'out/.keep': '',
    });
    const { exitCode, gate } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(gate('sizes').failures[0]?.message).toBe('js + css <= 550\njs + css = 600 · js = 510 · css = 90');
  });
});

describe('log gates', () => {
  it('fails with the missing and the forbidden lines of the output, then passes when fixed', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'start.js': startupScript([
        'config: mode=slow',
        'feature search enabled',
        'ERROR db timeout',
        'WARN flag --legacy is deprecated',
        'ERROR cache down',
      ]),
      'sluice.yaml': `gates:
  startup:
    kind: log
    run: node start.js
    log:
      must: ['feature search enabled', '/^config: mode=fast$/']
      must_not: [ERROR, deprecated]
`,
    });
    const { exitCode, gate, json } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(gate('startup')).toMatchObject({
      status: 'failed',
      reason: '1 line missing, 3 forbidden lines in the output',
    });
    expect(gate('startup').failures.map((failure) => failure.message)).toEqual([
      'missing: /^config: mode=fast$/ (no line of the output matches)',
      'forbidden: "ERROR" matches 2 lines of the output\nline 3: ERROR db timeout\nline 5: ERROR cache down',
      'forbidden: "deprecated" matches 1 line of the output\nline 4: WARN flag --legacy is deprecated',
    ]);
    expect(json.feedback).toContain(
      '## startup: 1 line missing, 3 forbidden lines in the output; log: .sluice/logs/startup.log',
    );
    expect(json.feedback).toContain('line 3: ERROR db timeout');

    writeFileSync(join(dir, 'start.js'), startupScript(['config: mode=fast', 'feature search enabled', 'ready']));
    const fixed = await runSluice(['check'], { cwd: dir });
    expect(fixed.exitCode).toBe(0);
  });

  it('leaves a gate whose command failed to its exit code', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:\n  startup:\n    kind: log\n    run: "echo ERROR boom; exit 2"\n    log: { must_not: [ERROR] }\n`,
    });
    const { gate } = await checkJson(dir);
    expect(gate('startup')).toMatchObject({ status: 'failed', exit_code: 2 });
    expect(gate('startup').reason).toBeNull();
  });
});
