import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../support/process-state.ts';
import { runSluice, startSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';
import { alivePids, freePort, httpServerScript, node, pidRecordingService, recordedPids } from './service-fixtures.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

/** A project whose `web` service records its pids, and gates that ask it for a 204. */
async function webProject(gates: Record<string, object>): Promise<string> {
  const dir = tempDir();
  const port = await freePort();
  const config = {
    services: { web: { run: pidRecordingService(port), ready: { tcp: port }, ready_timeout: '2s', stop_timeout: 1 } },
    gates,
  };
  writeFiles(dir, {
    // JSON is YAML: no quoting to get wrong in the multi-line command.
    'sluice.yaml': JSON.stringify(config, null, 2),
    'server.mjs': httpServerScript,
    'ask.mjs': `const response = await fetch('http://127.0.0.1:${port}/');\nprocess.exit(response.status === 204 ? 0 : 1);\n`,
  });
  return dir;
}

const ask = `${node} ask.mjs`;

function lastCheck(dir: string): Array<[string, string]> {
  const last = JSON.parse(readFileSync(join(dir, '.sluice/last-check.json'), 'utf8'));
  return last.gates.map((gate: { name: string; status: string }) => [gate.name, gate.status]);
}

describe('services in sluice check', () => {
  it('starts a service once for all the gates that need it, and stops it after the check', async () => {
    const dir = await webProject({
      first: { run: ask, services: ['web'] },
      second: { run: ask, services: ['web'] },
      later: { run: ask, services: ['web'], tier: 2 },
      alone: { run: 'true' },
    });
    const run = await runSluice(['check'], { cwd: dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    // The service wrote three pids when it started: one start for three gates.
    const pids = await recordedPids(dir);
    expect(pids).toHaveLength(3);
    expect(alivePids(pids)).toEqual([]);
    expect(readFileSync(join(dir, '.sluice/logs/service-web.log'), 'utf8')).toContain('hit 3');
  });

  it('fails the gates of a service that never gets ready, showing the end of its log', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFiles(dir, {
      'sluice.yaml': JSON.stringify({
        services: {
          db: {
            run: 'echo $$ > services.pids; echo "db: starting"; echo "db: FATAL: data directory is missing" >&2; exec sleep 300',
            ready: { tcp: port },
            ready_timeout: '1s',
          },
        },
        gates: { queries: { run: 'true', services: ['db'] }, lint: { run: 'true' } },
      }),
    });
    const run = await runSluice(['check'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout).toContain(`service "db" was not ready after 1s (waiting for tcp 127.0.0.1:${port})`);
    expect(run.stdout).toContain('db: FATAL: data directory is missing');
    expect(run.stdout).toContain('.sluice/logs/service-db.log');
    expect(lastCheck(dir)).toEqual([
      ['queries', 'failed'],
      ['lint', 'passed'],
    ]);
    expect(alivePids(await recordedPids(dir, 1))).toEqual([]);
  });

  it('stops services after a failed gate and a timed-out gate', async () => {
    const dir = await webProject({
      broken: { run: `${ask} && exit 1`, services: ['web'] },
      hung: { run: 'sleep 300', services: ['web'], timeout: '1s' },
    });
    const run = await runSluice(['check'], { cwd: dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(lastCheck(dir), run.stdout).toEqual([
      ['broken', 'failed'],
      ['hung', 'timed-out'],
    ]);
    const pids = await recordedPids(dir);
    expect(pids).toHaveLength(3);
    expect(alivePids(pids)).toEqual([]);
  });

  it('stops services on Ctrl-C while a gate hangs', async () => {
    const dir = await webProject({ hangs: { run: 'echo $$ > gate.pid; sleep 300', services: ['web'] } });
    const sluice = startSluice(['check'], dir);
    expect(await waitFor(() => existsSync(join(dir, 'gate.pid')), 10_000)).toBe(true);
    const pids = await recordedPids(dir);
    expect(alivePids(pids)).toEqual(pids);
    sluice.child.kill('SIGINT');
    expect(await sluice.exited).toBe(130);
    expect(alivePids(pids)).toEqual([]);
  });
});
