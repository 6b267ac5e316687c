// Its own file: it ends this process's spawner (the spawner is started once per process).
import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { containmentEnvVar, describeContainment } from '../../../src/process/containment.ts';
import { runProcess } from '../../../src/process/run-process.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { baseOptions, sleepersWithToken } from './contained-daemons.ts';

delete process.env[containmentEnvVar];
const containment = describeContainment();

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

describe.skipIf(containment.mechanism !== 'pid-namespace')('a contained spawner that stops answering', () => {
  it('does not hang a timed-out command: the spawner is killed, and the command with it', async () => {
    const dir = tempDir();
    const token = String(9_000_000 + (process.pid % 1_000_000));
    let spawner = 0;
    onTestFinished(() => {
      for (const pid of sleepersWithToken(token)) process.kill(pid, 'SIGKILL');
      if (spawner && isProcessAlive(spawner)) process.kill(spawner, 'SIGKILL');
    });
    const started = performance.now();
    const result = await runProcess({
      ...baseOptions(dir, `setsid sleep ${token} & sleep ${token}`),
      timeoutMs: 300,
      killGraceMs: 200,
      onStart: ({ pgid }) => {
        // Frozen: it reads no request and relays no end any more.
        spawner = parentOf(pgid);
        process.kill(spawner, 'SIGSTOP');
      },
    });
    expect(result.status).toBe('timed-out');
    // The timeout, the grace, then 5 s for the spawner to answer the SIGKILL before it is taken for stuck.
    expect(performance.now() - started).toBeLessThan(300 + 200 + 5000 + 2000);
    expect(await waitFor(() => !isProcessAlive(spawner), 2000)).toBe(true);
    expect(sleepersWithToken(token)).toEqual([]);
    // The next command still runs (a new spawner).
    expect(await runProcess(baseOptions(dir, 'exit 2'))).toMatchObject({ status: 'exited', exitCode: 2 });
  });
});
