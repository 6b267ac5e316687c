import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alivePids,
  freePort,
  httpServerScript,
  node,
  pidRecordingService,
  recordedPids,
} from '../../../e2e/services/service-fixtures.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { writeFiles } from '../../../support/write-files.ts';
import { serviceSet } from './service-test-set.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

describe('stopping services', () => {
  it('leaves no process of a service alive: its group, and a grandchild that left the group', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFiles(dir, { 'server.mjs': httpServerScript });
    const services = serviceSet(dir, { web: { run: pidRecordingService(port), ready: { tcp: port } } });
    await services.ensure(['web']);
    const pids = await recordedPids(dir);
    expect(alivePids(pids)).toEqual(pids);
    await services.stopAll();
    expect(alivePids(pids)).toEqual([]);
  });

  it('sends stop_signal first, and SIGKILL after stop_timeout to what ignores it', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, {
      polite: {
        run: 'trap "echo got INT; exit 0" INT; echo $$ >> services.pids; echo up; while :; do sleep 0.05; done',
        ready: { log: 'up' },
        stop_signal: 'SIGINT',
      },
      stubborn: {
        run: 'trap "" TERM; echo $$ >> stubborn.pids; echo up; while :; do sleep 0.05; done',
        ready: { log: 'up' },
        stop_timeout: '500ms',
      },
    });
    await services.ensure(['polite', 'stubborn']);
    const pids = [...(await recordedPids(dir, 1)), ...(await recordedPids(dir, 1, 'stubborn.pids'))];
    const started = performance.now();
    await services.stopAll();
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(alivePids(pids)).toEqual([]);
    expect(readFileSync(services.logPath('polite'), 'utf8')).toContain('got INT');
  });

  it('runs the stop command of a daemon whose start command exited, and stops services last-started first', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFiles(dir, { 'server.mjs': httpServerScript });
    const services = serviceSet(dir, {
      db: {
        // Like pg_ctl start: the server leaves the group, the start command exits 0 before it listens.
        run: `setsid sh -c 'sleep 0.3; exec ${node} server.mjs ${port}' > daemon.log 2>&1 & echo $! > daemon.pid; echo started`,
        ready: { tcp: port },
        ready_timeout: 5,
        stop: 'echo "stopping db"; echo db >> stops.txt; kill $(cat daemon.pid)',
      },
      app: { run: 'exec sleep 300', stop: 'echo app >> stops.txt' },
    });
    await services.ensure(['db']);
    await services.ensure(['app']);
    const [daemon] = await recordedPids(dir, 1, 'daemon.pid');
    expect(alivePids([daemon as number])).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(204);
    await services.stopAll();
    expect(alivePids([daemon as number])).toEqual([]);
    expect(readFileSync(join(dir, 'stops.txt'), 'utf8')).toBe('app\ndb\n');
    expect(readFileSync(join(dir, '.sluice/logs/service-db.stop.log'), 'utf8')).toBe('stopping db\n');
    expect(readFileSync(services.logPath('db'), 'utf8')).toBe('started\n');
  });

  it('runs the stop command when a daemon never gets ready, before the error is thrown', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, {
      db: {
        run: 'setsid sleep 300 > /dev/null 2>&1 & echo $! > daemon.pid',
        ready: { tcp: await freePort() },
        ready_timeout: '500ms',
        stop: 'kill $(cat daemon.pid)',
      },
    });
    await expect(services.ensure(['db'])).rejects.toThrow('service "db" was not ready after 500ms');
    const [daemon] = await recordedPids(dir, 1, 'daemon.pid');
    expect(alivePids([daemon as number])).toEqual([]);
  });

  it('kills the daemon a start command left behind when its stop command does not stop it', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, {
      db: {
        run: 'setsid sleep 300 > /dev/null 2>&1 & echo $! > daemon.pid; sleep 0.5; echo up',
        ready: { log: 'up' },
        stop: 'echo "stopping nothing"',
        stop_timeout: '500ms',
      },
    });
    await services.ensure(['db']);
    const daemon = await recordedPids(dir, 1, 'daemon.pid');
    expect(alivePids(daemon)).toEqual(daemon);
    await services.stopAll();
    expect(alivePids(daemon)).toEqual([]);
  });

  it('never throws, and stopping twice is harmless', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, {
      broken: { run: 'exit 1', ready: { log: 'up' } },
      fine: { run: 'exec sleep 300', stop: 'exit 7' },
    });
    await expect(services.ensure(['broken'])).rejects.toThrow('exited with code 1');
    await services.ensure(['fine']);
    await services.stopAll();
    await services.stopAll();
    expect(existsSync(join(dir, '.sluice/logs/service-fine.stop.log'))).toBe(true);
  });
});
