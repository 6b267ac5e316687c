import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcessAlive, waitFor } from '../support/process-state.ts';
import { sluiceBin } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

describe('Ctrl-C during a check', () => {
  it('kills every gate process group, records the check as cancelled and exits 130', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': 'gates:\n  slow: { run: "sh fork.sh" }\n  later: { run: "true", tier: 2 }\n',
      'fork.sh': 'sleep 300 &\necho $! > grandchild.pid\nsleep 300\n',
    });
    const child = spawn(process.execPath, [sluiceBin, 'check'], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, CI: '1' },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect(
      await waitFor(
        () =>
          existsSync(join(dir, 'grandchild.pid')) && readFileSync(join(dir, 'grandchild.pid'), 'utf8').trim() !== '',
      ),
    ).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const pid = Number(readFileSync(join(dir, 'grandchild.pid'), 'utf8'));
    expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);
    const last = JSON.parse(readFileSync(join(dir, '.sluice/last-check.json'), 'utf8'));
    expect(last.cancelled).toBe(true);
    expect(last.gates.map((gate: { name: string; status: string }) => [gate.name, gate.status])).toEqual([
      ['slow', 'skipped'],
      ['later', 'skipped'],
    ]);
  });
});
