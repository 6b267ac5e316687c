import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alivePids, freePort, httpServerScript, node, recordedPids } from '../../../e2e/services/service-fixtures.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { writeFiles } from '../../../support/write-files.ts';
import { serviceSet } from './service-test-set.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

describe('service readiness', () => {
  it('waits until a tcp port accepts connections', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFiles(dir, { 'server.mjs': httpServerScript });
    const services = serviceSet(dir, {
      web: { run: `sleep 0.3; exec ${node} server.mjs ${port}`, ready: { tcp: port }, ready_timeout: 5 },
    });
    await services.ensure(['web']);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(204);
    expect(readFileSync(services.logPath('web'), 'utf8')).toContain(`listening on ${port}`);
  });

  it('waits until an http URL answers the expected status, not just any answer', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFiles(dir, { 'server.mjs': httpServerScript });
    const services = serviceSet(dir, {
      web: {
        run: `exec ${node} server.mjs ${port} 3`,
        ready: { http: `http://127.0.0.1:${port}/health`, status: 204 },
        ready_timeout: 5,
      },
    });
    await services.ensure(['web']);
    const log = readFileSync(services.logPath('web'), 'utf8');
    // Three 503 answers were not taken for ready; the fourth request got 204, and probing stopped.
    expect(log).toContain('hit 4');
    expect(log).not.toContain('hit 5');
  });

  it('waits until a line of the service log matches', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, {
      db: {
        run: 'echo booting; sleep 0.3; printf "LOG:  database system is ready to accept connections\\n"; exec sleep 300',
        ready: { log: '/ready to accept connections$/' },
        ready_timeout: 5,
      },
    });
    const started = performance.now();
    await services.ensure(['db']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(readFileSync(services.logPath('db'), 'utf8')).toContain('ready to accept');
  });

  it('runs the command in its cwd with its env, and truncates the log of an earlier check', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'app/.keep': '', '.sluice/logs/service-app.log': 'left over from the last check\n' });
    const services = serviceSet(dir, {
      app: {
        run: 'echo "in $(basename "$PWD") as $SLUICE_SERVICE with $GREETING"; exec sleep 300',
        cwd: 'app',
        env: { GREETING: 'hello' },
        ready: { log: 'with hello' },
        ready_timeout: 5,
      },
    });
    await services.ensure(['app']);
    expect(readFileSync(join(dir, '.sluice/logs/service-app.log'), 'utf8')).toBe('in app as app with hello\n');
  });

  it('waits for a daemon starter to return once its daemon answers, and believes its exit code', async () => {
    const dir = tempDir();
    const [good, bad] = [await freePort(), await freePort()];
    writeFiles(dir, { 'server.mjs': httpServerScript });
    // Like pg_ctl start: the daemon leaves the group and listens at once, the starter returns later.
    const starter = (port: number, code: number) => ({
      run: `setsid ${node} server.mjs ${port} > /dev/null 2>&1 & echo $! > ${port}.pid; sleep 0.6; touch ${port}.returned; exit ${code}`,
      ready: { tcp: port },
      ready_timeout: 5,
      stop: `kill $(cat ${port}.pid)`,
    });
    const services = serviceSet(dir, { good: starter(good, 0), bad: starter(bad, 4) });
    await services.ensure(['good']);
    expect(existsSync(join(dir, `${good}.returned`))).toBe(true);
    await expect(services.ensure(['bad'])).rejects.toThrow('service "bad" exited with code 4 before it was ready');
    const daemons = [...(await recordedPids(dir, 1, `${good}.pid`)), ...(await recordedPids(dir, 1, `${bad}.pid`))];
    expect(alivePids(daemons)).toHaveLength(1);
    await services.stopAll();
    expect(alivePids(daemons)).toEqual([]);
  });

  it('is ready at once without a ready block', async () => {
    const dir = tempDir();
    const services = serviceSet(dir, { idle: { run: 'exec sleep 300' } });
    const started = performance.now();
    await services.ensure(['idle']);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('starts a service once, however many gates ask for it at the same time', async () => {
    const dir = tempDir();
    const service = (name: string) => ({
      run: `echo ${name} >> starts.txt; sleep 0.2; echo up; exec sleep 300`,
      ready: { log: 'up' },
      ready_timeout: 5,
    });
    const services = serviceSet(dir, { a: service('a'), b: service('b') });
    await Promise.all([services.ensure(['a']), services.ensure(['a', 'b']), services.ensure(['b', 'a'])]);
    await services.ensure(['a']);
    expect(readFileSync(join(dir, 'starts.txt'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['a', 'b']);
  });
});
