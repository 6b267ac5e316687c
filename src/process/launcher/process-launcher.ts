import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { killProcessGroup, trackProcessGroup, untrackProcessGroup } from '../process-groups.ts';
import { type LauncherOutcome, LauncherReplyReader } from './launcher-replies.ts';
import { launcherScript, launcherSyscalls } from './launcher-script.ts';

/** One command for the launcher: as captureProcess takes it, the cwd absolute. */
export interface LaunchRequest {
  argv: readonly string[];
  cwd: string;
  /** The command's whole environment. */
  env: Record<string, string>;
  /** The command's stdin; without it stdin is /dev/null. */
  input: Buffer | undefined;
}

/** How a launched command ended. */
export type LaunchedEnd =
  | { kind: 'ended'; outcome: LauncherOutcome; stdout: Buffer; stderr: Buffer }
  /** The launcher died before it started the command: the command never ran, it may be run another way. */
  | { kind: 'not-started' }
  /** The launcher died while the command ran; the command died with it (parent-death signal). */
  | { kind: 'lost' };

export interface LaunchedCommand {
  ended: Promise<LaunchedEnd>;
  /** SIGTERM to the command's process group, while it runs. */
  terminate(): void;
  /** SIGKILL to the command's process group, while it runs. */
  kill(): void;
}

interface Pending {
  /** The command's pid, which is its group's id, once the launcher started it. */
  pid: number | undefined;
  onStarted: (pid: number) => void;
  resolve: (end: LaunchedEnd) => void;
}

/**
 * Node's side of the process launcher (launcher-script.ts): a command costs a request on a pipe and a
 * fork of a small Perl process, instead of Node forking its whole heap on the main thread. It does not
 * keep Node's event loop alive while idle, exits when Sluice closes its stdin (Sluice exited or was
 * killed: it kills what it runs first) and takes its commands down when it is killed itself.
 */
export class ProcessLauncher {
  private readonly child: ChildProcess;
  private readonly requests: Writable;
  private readonly replies: Readable;
  private readonly reader = new LauncherReplyReader();
  private readonly pending = new Map<string, Pending>();
  /** The launcher's environment: each request sends only how its command's differs. */
  private readonly baseEnv: Record<string, string>;
  private nextId = 1;
  private alive = true;
  /** Resolves once the launcher is gone and every reply it wrote has been read. */
  readonly closed: Promise<void>;

  constructor(syscalls: number[]) {
    this.baseEnv = launcherEnvironment();
    this.child = spawn('perl', ['-e', launcherScript, ...syscalls.map(String)], {
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
      env: this.baseEnv,
    });
    this.requests = this.child.stdin as Writable;
    this.replies = this.child.stdout as Readable;
    const pgid = this.child.pid;
    // Killed by Sluice's exit hook too, should Sluice exit before the launcher has read the end of its stdin.
    if (pgid !== undefined) trackProcessGroup(pgid);
    this.requests.on('error', () => this.abandon());
    this.replies.on('data', (chunk: Buffer) => this.receive(chunk));
    this.closed = new Promise((resolve) => {
      this.child.once('error', () => resolve());
      // 'close': exited and its stdout read to the end, so every reply it wrote is in.
      this.child.once('close', () => resolve());
    });
    void this.closed.then(() => {
      if (pgid !== undefined) untrackProcessGroup(pgid);
      this.died();
    });
    this.idle();
  }

  get running(): boolean {
    return this.alive;
  }

  /** The launcher's pid (its group's id too), while it runs. */
  get pid(): number | undefined {
    return this.alive ? this.child.pid : undefined;
  }

  /** Start a command; `onStarted` is told its pid (its group's id) once it exists. */
  run(request: LaunchRequest, onStarted: (pid: number) => void): LaunchedCommand {
    const id = String(this.nextId++);
    const ended = new Promise<LaunchedEnd>((resolve) => {
      if (!this.alive) return resolve({ kind: 'not-started' });
      this.pending.set(id, { pid: undefined, onStarted, resolve });
      // Busy: the launcher's replies keep Node running until every command has ended.
      (this.replies as Readable & { ref(): void }).ref();
      const { line, input } = requestOf(id, request, this.baseEnv);
      this.requests.write(line);
      if (input) this.requests.write(input);
    });
    return {
      ended,
      terminate: () => this.signal('term', id),
      kill: () => this.signal('kill', id),
    };
  }

  /** SIGKILL the launcher (one that stopped answering); each command it runs dies with it. */
  abandon(): void {
    const pid = this.child.pid;
    if (pid !== undefined && this.alive) killProcessGroup(pid, 'SIGKILL');
  }

  private signal(kind: 'term' | 'kill', id: string): void {
    if (this.alive && this.pending.has(id)) this.requests.write(`${kind} ${id}\n`);
  }

  private receive(chunk: Buffer): void {
    let replies: ReturnType<LauncherReplyReader['read']>;
    try {
      replies = this.reader.read(chunk);
    } catch {
      // Not a reply: nothing it says can be trusted any more.
      this.abandon();
      return;
    }
    for (const reply of replies) {
      const request = this.pending.get(reply.id);
      if (!request) continue;
      if (reply.kind === 'started') {
        request.pid = reply.pid;
        // Killed with Sluice's exit hook, or when the launcher dies, should it outlive its command.
        trackProcessGroup(reply.pid);
        request.onStarted(reply.pid);
        continue;
      }
      if (request.pid !== undefined) untrackProcessGroup(request.pid);
      this.settle(reply.id, { kind: 'ended', outcome: reply.outcome, stdout: reply.stdout, stderr: reply.stderr });
    }
  }

  private settle(id: string, end: LaunchedEnd): void {
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    request.resolve(end);
    if (this.pending.size === 0) this.idle();
  }

  /** Nothing pending: the launcher must not keep Node's event loop alive. */
  private idle(): void {
    this.child.unref();
    (this.replies as Readable & { unref(): void }).unref();
    (this.requests as Writable & { unref?: () => void }).unref?.();
  }

  private died(): void {
    this.alive = false;
    for (const [id, request] of this.pending) {
      if (request.pid !== undefined) {
        // The command died with the launcher; what it left in its group goes too.
        killProcessGroup(request.pid, 'SIGKILL');
        untrackProcessGroup(request.pid);
      }
      this.settle(id, request.pid === undefined ? { kind: 'not-started' } : { kind: 'lost' });
    }
  }
}

/**
 * Sluice's environment without Perl's own variables: PERL5OPT, PERL5LIB or PERL_UNICODE would change how
 * the launcher itself runs (a layer that re-encodes its binary replies). Commands get them back: each
 * request's environment is sent as changes to this one.
 */
function launcherEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('PERL')) env[name] = value;
  }
  return env;
}

/** The request as the launcher reads it: a line, then the input's bytes. */
function requestOf(
  id: string,
  request: LaunchRequest,
  base: Record<string, string>,
): { line: string; input: Buffer | undefined } {
  const fields = [request.cwd, String(request.argv.length), ...request.argv].map((field) => `x${hex(field)}`);
  // As a spawn would: a variable whose value is undefined is left out.
  const given = Object.entries(request.env).filter(([, value]) => value !== undefined);
  for (const [name, value] of given) {
    if (base[name] !== value) fields.push(`x${hex(`${name}=${value}`)}`);
  }
  const names = new Set(given.map(([name]) => name));
  for (const name of Object.keys(base)) {
    if (!names.has(name)) fields.push(`-${hex(name)}`);
  }
  const size = request.input === undefined ? '-' : String(request.input.length);
  return { line: `run ${id} ${size} ${fields.join(' ')}\n`, input: request.input };
}

function hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

/** Whether this machine can run the launcher at all (Linux on an architecture whose syscalls it knows). */
export function launcherSyscallsHere(): number[] | undefined {
  return process.platform === 'linux' ? launcherSyscalls(process.arch) : undefined;
}
