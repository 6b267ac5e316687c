import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { type ContainmentPlan, parseInitReport, type ReportedEnd } from '../containment.ts';
import { killProcessGroup, trackProcessGroup, untrackProcessGroup } from '../process-groups.ts';
import { spawnerScript, spawnerSyscalls } from './spawner-script.ts';

type NamespacePlan = Extract<ContainmentPlan, { mechanism: 'pid-namespace' }>;

/** One contained command for the spawner: `mode` as containment.ts's init takes it. */
export interface SpawnRequest {
  mode: 'once' | 'linger';
  argv: string[];
  cwd: string;
  /** The command's whole environment. */
  env: Record<string, string | undefined>;
  /**
   * Absolute; opened (created, truncated) by the spawner for stdout and stderr together; with
   * `stdoutFifo`, for stderr only and appended to (created, not truncated: the caller did that).
   */
  outputPath: string;
  /** A file in `privateDir` that becomes the command's stdin (else /dev/null). */
  stdinPath?: string;
  /** A path in `privateDir` where the spawner makes a FIFO for the command's stdout (see spawner-script.ts). */
  stdoutFifo?: string;
  /** Folders the command must not see, each covered by an empty read-only tmpfs (as `privateDir` always is). */
  hide?: string[];
}

/** How a request to the spawner ended. */
export type SpawnedEnd =
  /**
   * The command's namespace is gone; `report` is its init's word, `waitStatus` the init's own end;
   * `openFailed`: why the command could not be given its output file, stdin or stdout (it never ran).
   */
  | { kind: 'done'; report: ReportedEnd | undefined; openFailed: string | undefined; waitStatus: number }
  /** The spawner died before the command was started, or could not make its stdout FIFO: it can be run another way. */
  | { kind: 'not-started' }
  /** The spawner died while the command ran; with it, the command's namespace. */
  | { kind: 'lost'; reason: string };

/** A running request: its end, and how to stop it. */
export interface SpawnedCommand {
  ended: Promise<SpawnedEnd>;
  /** SIGTERM to the command's process group. */
  terminate(): void;
  /** SIGKILL to the command's namespace (its init, and with it every process in it). */
  kill(): void;
}

interface Pending {
  started: boolean;
  report: ReportedEnd | undefined;
  openFailed: string | undefined;
  notStarted: boolean;
  onStarted: (machinePid: number | undefined, startTime: string | undefined) => void;
  resolve: (end: SpawnedEnd) => void;
}

/**
 * Node's side of the contained spawner (spawner-script.ts): one long-lived process that starts contained
 * commands on request, so a contained command costs a line on a pipe and three forks of a small Perl
 * process instead of Node forking itself and exec'ing setpriv, unshare and Perl. It does not keep Node's
 * event loop alive while idle, exits when Sluice closes its stdin and dies with Sluice on kill -9.
 */
export class ContainedSpawner {
  private readonly child: ChildProcess;
  private readonly input: Writable;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private buffered = '';
  private alive = true;
  private readonly pgid: number | undefined;
  /** The spawner's environment: each request sends only how its command's differs. */
  private readonly baseEnv = { ...process.env };
  /** Resolves once the spawner is gone. */
  readonly closed: Promise<string>;
  /**
   * Sluice's private dir for the commands' stdin files and stdout FIFOs (0700, in the system temp folder,
   * named as scratch-dir.ts sweeps it once its owner is gone); hidden from every command (spawner-script.ts).
   */
  readonly privateDir: string;

  constructor(plan: NamespacePlan, syscalls: number[]) {
    const privateDir = mkdtempSync(join(tmpdir(), `sluice-spawner-${process.pid}-`));
    this.privateDir = privateDir;
    process.once('exit', () => rmSync(privateDir, { recursive: true, force: true }));
    const [file = 'setpriv', ...prefix] = plan.spawnerPrefix;
    // The machine's /proc, from which each namespace's init tells its pid on the machine (for onStart).
    const machineProc = openSync('/proc', 'r');
    try {
      this.child = spawn(file, [...prefix, spawnerScript, 'spawner', ...syscalls.map(String)], {
        stdio: ['pipe', 'pipe', 'ignore', machineProc],
        detached: true,
        env: this.baseEnv,
      });
    } finally {
      closeSync(machineProc);
    }
    this.input = this.child.stdin as Writable;
    const output = this.child.stdout as Readable;
    this.pgid = this.child.pid;
    // Killed with Sluice's exit hook too, should Sluice exit before the spawner has read the end of its stdin.
    if (this.pgid !== undefined) trackProcessGroup(this.pgid);
    this.input.on('error', () => this.abandon());
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.receive(chunk));
    this.closed = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.alive = false;
        resolve(error.message);
      });
      // 'close': exited and its stdout read to the end, so every reply any of its processes wrote is in.
      this.child.once('close', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with ${code}`));
    });
    void this.closed.then((reason) => this.died(reason));
    this.idle();
  }

  get running(): boolean {
    return this.alive;
  }

  /**
   * Start a command; `onStarted` is told its namespace's init's pid and start time on this machine (the pid
   * undefined if the init could not read it), once its stdout FIFO, if it has one, exists.
   */
  run(
    request: SpawnRequest,
    onStarted: (machinePid: number | undefined, startTime: string | undefined) => void,
  ): SpawnedCommand {
    const id = String(this.nextId++);
    const ended = new Promise<SpawnedEnd>((resolve) => {
      if (!this.alive) return resolve({ kind: 'not-started' });
      this.pending.set(id, {
        started: false,
        report: undefined,
        openFailed: undefined,
        notStarted: false,
        onStarted,
        resolve,
      });
      // Busy: the spawner's replies keep Node running until every command has ended.
      (this.child.stdout as Readable & { ref(): void }).ref();
      this.send(requestLine(id, request, this.baseEnv, this.privateDir));
    });
    return { ended, terminate: () => this.send(`term ${id}\n`), kill: () => this.send(`kill ${id}\n`) };
  }

  /** SIGKILL the spawner (a spawner that stopped answering): every command it runs dies with it. */
  abandon(): void {
    if (this.pgid !== undefined) killProcessGroup(this.pgid, 'SIGKILL');
  }

  private send(line: string): void {
    if (this.alive) this.input.write(line);
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let end = this.buffered.indexOf('\n');
    while (end >= 0) {
      this.reply(this.buffered.slice(0, end));
      this.buffered = this.buffered.slice(end + 1);
      end = this.buffered.indexOf('\n');
    }
  }

  private reply(line: string): void {
    const [kind = '', id = '', ...rest] = line.split(' ');
    const request = this.pending.get(id);
    if (!request) return;
    if (kind === 'started') {
      // The init's own line comes first; anything after it was written by the command (its init's pipe).
      if (request.started) return;
      request.started = true;
      const machinePid = Number(rest[0]);
      const startTime = rest[1] && rest[1] !== '-' ? rest[1] : undefined;
      request.onStarted(machinePid > 0 ? machinePid : undefined, startTime);
    } else if (kind === 'end') {
      // The first report wins (a failed exec reports, then its exit 127 would).
      if (rest[0] === 'open-failed') request.openFailed ??= `open the output file: ${errnoText(rest.join(' '))}`;
      else if (rest[0] === 'setup-failed')
        request.openFailed ??= `open its stdin or stdout: ${errnoText(rest.join(' '))}`;
      else if (rest[0] === 'not-started') request.notStarted = true;
      else request.report ??= parseInitReport(rest.join(' '));
    } else if (kind === 'done') {
      // Only the spawner itself says so (a command can write its own init's report pipe, not the spawner's stdout).
      if (request.notStarted) this.settle(id, { kind: 'not-started' });
      else
        this.settle(id, {
          kind: 'done',
          report: request.openFailed ? undefined : request.report,
          openFailed: request.openFailed,
          waitStatus: Number(rest[0]),
        });
    }
  }

  private settle(id: string, end: SpawnedEnd): void {
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    request.resolve(end);
    if (this.pending.size === 0) this.idle();
  }

  /** Nothing pending: the spawner must not keep Node's event loop alive. */
  private idle(): void {
    this.child.unref();
    (this.child.stdout as Readable & { unref(): void }).unref();
    (this.child.stdin as Writable & { unref?: () => void }).unref?.();
  }

  private died(reason: string): void {
    this.alive = false;
    rmSync(this.privateDir, { recursive: true, force: true });
    if (this.pgid !== undefined) untrackProcessGroup(this.pgid);
    for (const [id, request] of this.pending) {
      this.settle(
        id,
        request.started ? { kind: 'lost', reason: `the contained spawner died (${reason})` } : { kind: 'not-started' },
      );
    }
  }
}

let current: ContainedSpawner | undefined;
let starting: Promise<ContainedSpawner | undefined> | undefined;
let starts = 0;
/** A spawner that died is started again once; after that, contained commands go the per-command way. */
const maxStarts = 2;

/**
 * The process's contained spawner, started on first use and checked with one command before it is trusted;
 * undefined where it cannot be used (then runProcess starts each command with the namespace prefix).
 */
export function containedSpawner(plan: NamespacePlan): Promise<ContainedSpawner | undefined> {
  if (current?.running) return Promise.resolve(current);
  if (starting) return starting;
  const syscalls = spawnerSyscalls(process.arch);
  if (!syscalls || starts >= maxStarts) return Promise.resolve(undefined);
  starts++;
  let spawner: ContainedSpawner;
  try {
    spawner = new ContainedSpawner(plan, syscalls);
  } catch {
    // It could not even be started (no /proc to hand over, spawn refused): the per-command way it is.
    starts = maxStarts;
    return Promise.resolve(undefined);
  }
  starting = checked(spawner).then((works) => {
    starting = undefined;
    if (!works) {
      // Not to be trusted here (a kernel that refuses the nested namespaces): never tried again.
      spawner.abandon();
      starts = maxStarts;
      return undefined;
    }
    current = spawner;
    return spawner;
  });
  return starting;
}

/**
 * The spawner works here: a command runs as process 2 of a namespace of its own, does not see the
 * spawner's private dir, and is reported exactly.
 */
async function checked(spawner: ContainedSpawner): Promise<boolean> {
  let started = false;
  const marker = join(spawner.privateDir, 'hidden');
  try {
    closeSync(openSync(marker, 'wx', 0o600));
  } catch {
    return false;
  }
  const command = spawner.run(
    {
      mode: 'once',
      argv: ['/bin/sh', '-c', 'read pid rest < /proc/self/stat; test "$pid" = 2 && test ! -e "$0" && exit 42', marker],
      cwd: '/',
      env: { PATH: '/usr/bin:/bin' },
      outputPath: '/dev/null',
    },
    (machinePid) => {
      started = machinePid !== undefined;
    },
  );
  const timer = setTimeout(() => spawner.abandon(), 5000).unref();
  const end = await command.ended;
  clearTimeout(timer);
  rmSync(marker, { force: true });
  return started && end.kind === 'done' && end.report?.status === 'exited' && end.report.exitCode === 42;
}

/** The request as the spawner reads it; the environment as changes to the spawner's own (`base`). */
function requestLine(
  id: string,
  request: SpawnRequest,
  base: Record<string, string | undefined>,
  hiddenDir: string,
): string {
  const fields = [
    request.mode,
    request.cwd,
    request.outputPath,
    request.stdinPath ?? '',
    request.stdoutFifo ?? '',
    // NUL cannot be in a path: the spawner splits the field on it.
    [hiddenDir, ...(request.hide ?? [])].join('\0'),
    String(request.argv.length),
    ...request.argv,
  ];
  for (const [name, value] of Object.entries(request.env)) {
    if (value !== undefined && base[name] !== value) fields.push(`${name}=${value}`);
  }
  const removed = Object.keys(base).filter((name) => request.env[name] === undefined);
  return `run ${id} ${[...fields.map((field) => `x${hex(field)}`), ...removed.map((name) => `-${hex(name)}`)].join(' ')}\n`;
}

function hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

function errnoText(report: string): string {
  const reported = parseInitReport(`spawn-failed ${report.split(' ')[1] ?? ''}`);
  return reported?.status === 'spawn-failed' ? reported.code : report;
}
