import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The bin folder of the newest PostgreSQL installed as Debian/Ubuntu do it (/usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry) && existsSync(join(base, entry, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(base, majors[0], 'bin');
}

/** A cluster made by initdb in a temp folder, not running; commands to run as its owner. */
export interface PostgresCluster {
  bin: string;
  dataDir: string;
  /** Where the server puts its Unix socket (a temp folder, not /var/run/postgresql). */
  socketDir: string;
  /** A folder the cluster's owner may write to (for `pg_ctl -l`). */
  logDir: string;
  /**
   * A shell command running a PostgreSQL binary (`postgres`, `pg_ctl`) with its arguments (already quoted
   * for the shell) as the cluster's owner: `runuser -u postgres --` when the tests run as root, which
   * PostgreSQL refuses to run as.
   */
  command(binary: string, args: string): string;
}

/**
 * initdb a cluster under `dir` (superuser `postgres`, trust authentication). As root, the cluster
 * belongs to the `postgres` user (else `nobody`), and `dir` is opened to it.
 */
export function initPostgresCluster(dir: string): PostgresCluster {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/<major>/bin/initdb)');
  const dataDir = join(dir, 'pgdata');
  const socketDir = join(dir, 'pgsocket');
  const logDir = join(dir, 'pglog');
  for (const path of [dataDir, socketDir, logDir]) mkdirSync(path, { mode: 0o700 });
  const owner = process.getuid?.() === 0 ? clusterOwner() : undefined;
  if (owner) {
    // The owner must reach its folders; pg_ctl also needs to read its working directory.
    chmodSync(dir, 0o755);
    for (const path of [dataDir, socketDir, logDir]) chownSync(path, owner.uid, owner.gid);
  }
  const prefix = owner ? `${runuserPath()} -u ${owner.name} -- ` : '';
  const command = (binary: string, args: string) => `${prefix}${quote(join(bin, binary))} ${args}`;
  execFileSync(
    '/bin/sh',
    ['-c', command('initdb', `-D ${quote(dataDir)} -U postgres --auth=trust --no-sync -E UTF8 --locale=C`)],
    { cwd: dir, stdio: 'pipe' },
  );
  return { bin, dataDir, socketDir, logDir, command };
}

/** The pid in postmaster.pid while a server runs on the cluster; undefined once it is gone. */
export function postmasterPid(cluster: PostgresCluster): number | undefined {
  try {
    const pid = Number(readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Quote for /bin/sh. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

function clusterOwner(): { name: string; uid: number; gid: number } {
  const users = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const fields = users.find((line) => line.startsWith(`${name}:`))?.split(':');
    if (fields?.[2] && fields[3]) return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to own the cluster');
}

/** runuser lives in /usr/sbin (or /sbin), which a plain user's PATH (CI's, say) may leave out. */
function runuserPath(): string {
  return ['/usr/sbin/runuser', '/sbin/runuser'].find((path) => existsSync(path)) ?? 'runuser';
}
