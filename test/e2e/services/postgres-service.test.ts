import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initPostgresCluster, type PostgresCluster, postgresBinDir, quote } from '../../support/postgres.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';
import { alivePids, freePort, node, recordedPids } from './service-fixtures.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

/** Written by the gate while the server runs: the postmaster and its children (backends, checkpointer...). */
const serverPidsScript = `import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
const postmaster = Number(readFileSync(process.argv[2], 'utf8').split('\\n')[0]);
const children = readdirSync('/proc').filter((entry) => /^\\d+$/.test(entry)).filter((pid) => {
  try {
    const stat = readFileSync('/proc/' + pid + '/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
  } catch {
    return false;
  }
});
writeFileSync('server.pids', [postmaster, ...children].join('\\n') + '\\n');
`;

/** sluice.yaml with one `db` service and a gate that asks it 41+1 (and records the server's pids). */
function project(dir: string, cluster: PostgresCluster, port: number, db: object): void {
  const psql = `${quote(join(cluster.bin, 'psql'))} -h 127.0.0.1 -p ${port} -U postgres -d postgres -tAc 'select 41+1'`;
  const pids = `${node} server-pids.mjs ${quote(join(cluster.dataDir, 'postmaster.pid'))}`;
  writeFiles(dir, {
    'sluice.yaml': JSON.stringify({
      services: { db },
      gates: { query: { run: `${psql} > answer.txt && ${pids} && grep -x 42 answer.txt`, services: ['db'] } },
    }),
    'server-pids.mjs': serverPidsScript,
  });
}

/** The check passed against the real server, and nothing of that server runs any more. */
async function expectServerGone(dir: string, cluster: PostgresCluster): Promise<void> {
  expect(readFileSync(join(dir, 'answer.txt'), 'utf8')).toBe('42\n');
  const pids = await recordedPids(dir, 2, 'server.pids');
  expect(alivePids(pids)).toEqual([]);
  expect(existsSync(join(cluster.dataDir, 'postmaster.pid'))).toBe(false);
  // pg_ctl status: exit 3 means "no server running" in this data folder.
  const status = (() => {
    try {
      execFileSync('/bin/sh', ['-c', cluster.command('pg_ctl', `status -D ${quote(cluster.dataDir)}`)], {
        cwd: dir,
        stdio: 'pipe',
      });
      return 0;
    } catch (error) {
      return (error as { status: number }).status;
    }
  })();
  expect(status).toBe(3);
}

describe.runIf(postgresBinDir() !== undefined)('a real PostgreSQL as a service', () => {
  // Its port opens before it accepts queries ("the database system is starting up"): its log says when it does.
  it('runs the server in the foreground, ready by its log, stopped by SIGINT', async () => {
    const dir = tempDir();
    const cluster = initPostgresCluster(dir);
    const port = await freePort();
    project(dir, cluster, port, {
      run: cluster.command(
        'postgres',
        `-D ${quote(cluster.dataDir)} -p ${port} -k ${quote(cluster.socketDir)} -h 127.0.0.1`,
      ),
      ready: { log: 'database system is ready to accept connections' },
      ready_timeout: '20s',
      stop_signal: 'SIGINT',
    });
    const run = await runSluice(['check'], { cwd: dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    await expectServerGone(dir, cluster);
    expect(readFileSync(join(dir, '.sluice/logs/service-db.log'), 'utf8')).toContain('fast shutdown request');
  });

  // pg_ctl start returns once the server accepts queries; the port opens earlier, so Sluice waits for pg_ctl.
  it('starts a daemon with pg_ctl start, ready by its port, and stops it with pg_ctl stop', async () => {
    const dir = tempDir();
    const cluster = initPostgresCluster(dir);
    const port = await freePort();
    const options = `-p ${port} -k ${cluster.socketDir} -h 127.0.0.1`;
    const serverLog = join(cluster.logDir, 'server.log');
    project(dir, cluster, port, {
      run: cluster.command('pg_ctl', `-D ${quote(cluster.dataDir)} -o ${quote(options)} -l ${quote(serverLog)} start`),
      stop: cluster.command('pg_ctl', `-D ${quote(cluster.dataDir)} -m fast stop`),
      ready: { tcp: port },
      ready_timeout: '20s',
    });
    const run = await runSluice(['check'], { cwd: dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    await expectServerGone(dir, cluster);
    expect(readFileSync(join(dir, '.sluice/logs/service-db.stop.log'), 'utf8')).toContain('server stopped');
    expect(readFileSync(serverLog, 'utf8')).toContain('database system is shut down');
  });
});
