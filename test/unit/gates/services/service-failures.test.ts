import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServiceStartError } from '../../../../src/gates/services/service-set.ts';
import { alivePids, freePort, httpServerScript, node, recordedPids } from '../../../e2e/services/service-fixtures.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { writeFiles } from '../../../support/write-files.ts';
import { serviceSet } from './service-test-set.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

async function startError(start: Promise<void>): Promise<ServiceStartError> {
  const error = await start.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ServiceStartError)) throw new Error(`expected a ServiceStartError, got ${String(error)}`);
  return error;
}

describe('a service that does not get ready', () => {
  it('fails after ready_timeout with the end of its log, and is stopped', async () => {
    const dir = tempDir();
    const port = await freePort();
    const lines = Array.from({ length: 30 }, (_, index) => `echo "line ${index + 1}"`).join('; ');
    const services = serviceSet(dir, {
      db: {
        run: `echo $$ > services.pids; ${lines}; echo "FATAL: could not bind" >&2; exec sleep 300`,
        ready: { tcp: port },
        ready_timeout: '1s',
      },
    });
    const started = performance.now();
    const error = await startError(services.ensure(['db']));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(error.message).toBe(`service "db" was not ready after 1s (waiting for tcp 127.0.0.1:${port})`);
    expect(error.service).toBe('db');
    expect(error.logPath).toBe('.sluice/logs/service-db.log');
    expect(error.logTail).toHaveLength(20);
    expect(error.logTail.at(-2)).toBe('line 30');
    expect(error.logTail.at(-1)).toBe('FATAL: could not bind');
    expect(alivePids(await recordedPids(dir, 1))).toEqual([]);
  });

  it('fails as soon as its command exits, without waiting for the timeout', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, {
      db: { run: 'echo "config file missing" >&2; exit 3', ready: { tcp: await freePort() }, ready_timeout: 20 },
    });
    const started = performance.now();
    const error = await startError(services.ensure(['db']));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(error.message).toBe('service "db" exited with code 3 before it was ready');
    expect(error.logTail).toEqual(['config file missing']);
  });

  it('says what to do when the command exits 0 before it is ready and there is no stop command', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, { db: { run: 'true', ready: { log: 'ready' }, ready_timeout: 20 } });
    const error = await startError(services.ensure(['db']));
    expect(error.message).toContain('service "db" exited with code 0 before it was ready');
    expect(error.message).toContain('`stop`');
  });

  it('is not started when another process already answers on its address', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFiles(dir, { 'server.mjs': httpServerScript });
    const stranger = serviceSet(dir, { stranger: { run: `exec ${node} server.mjs ${port}`, ready: { tcp: port } } });
    await stranger.ensure(['stranger']);
    const services = serviceSet(dir, {
      db: { run: 'echo started >> starts.txt; exec sleep 300', ready: { tcp: port }, ready_timeout: 5 },
      web: {
        run: 'echo started >> starts.txt; exec sleep 300',
        ready: { http: `http://127.0.0.1:${port}/`, status: 204 },
      },
    });
    const error = await startError(services.ensure(['db']));
    expect(error.message).toBe(
      `service "db" was not started: 127.0.0.1:${port} already answers, so another process holds it`,
    );
    expect(error.logTail).toEqual([]);
    expect((await startError(services.ensure(['web']))).message).toContain(`http://127.0.0.1:${port}/ already answers`);
    expect(existsSync(join(dir, 'starts.txt'))).toBe(false);
  });

  it('keeps a failed start failed: a later gate gets the same error without a second start', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, {
      db: { run: 'echo start >> starts.txt; exit 1', ready: { log: 'ready' }, ready_timeout: 5 },
    });
    const first = await startError(services.ensure(['db']));
    const second = await startError(services.ensure(['db']));
    expect(second).toBe(first);
    expect(readFileSync(join(dir, 'starts.txt'), 'utf8')).toBe('start\n');
  });

  it('stops waiting when the check is cancelled', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const services = serviceSet(
      dir,
      { db: { run: 'echo $$ > services.pids; exec sleep 300', ready: { log: 'never' }, ready_timeout: 30 } },
      controller.signal,
    );
    const started = performance.now();
    setTimeout(() => controller.abort(), 200);
    const error = await startError(services.ensure(['db']));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toBe('service "db" was cancelled before it was ready');
    expect(alivePids(await recordedPids(dir, 1))).toEqual([]);
  });

  it('reports a working directory that does not exist', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, { db: { run: 'exec sleep 300', cwd: 'missing' } });
    const error = await startError(services.ensure(['db']));
    expect(error.message).toBe('service "db" could not start: its working directory missing does not exist');
  });
});
