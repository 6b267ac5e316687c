import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../src/gates/reports/failure-text.ts';
import { sluiceBin } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

const run = promisify(execFile);

describe('sluice check on a terminal', () => {
  it('draws a live task list that ends with every gate in its final state', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml':
        'gates:\n  quick: { run: "true" }\n  slow: { run: "sleep 0.5" }\n  last: { run: "exit 1", tier: 2 }\n',
    });
    // `script` gives the CLI a real pseudo-terminal, as a person's shell would.
    const env = { ...process.env, TERM: 'xterm' } as Record<string, string | undefined>;
    delete env.CI;
    delete env.NO_COLOR;
    const command = `'${process.execPath}' '${sluiceBin}' check`;
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], { cwd: dir, env }).catch(
      (error: { stdout: string }) => error,
    );
    expect(stdout).toContain('\x1b[?25l'); // cursor hidden while drawing
    expect(stdout).toContain('\x1b[?25h'); // and shown again
    expect(stdout).toMatch(/\[\d+F/); // cursor moved up: redrawn in place
    expect(stdout).toMatch(/waiting/);
    const plain = stripAnsi(stdout);
    expect(plain).toMatch(/✓ quick\s+passed/);
    expect(plain).toMatch(/✓ slow\s+passed/);
    expect(plain).toMatch(/✗ last\s+failed/);
    expect(plain).toContain('2 passed · 1 failed');
  });
});
