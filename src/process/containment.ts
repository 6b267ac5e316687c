import { spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * How Sluice makes sure that every process a contained command started (an agent turn, a gate, a
 * bench run, a setup command, a service) is gone once the command is done — and, where the kernel
 * allows, also when Sluice itself is killed with -9.
 *
 * - `pid-namespace` (kernel-enforced): the command runs as process 2 of a PID namespace of its own
 *   (`setpriv --pdeathsig KILL unshare --pid --fork --kill-child --mount-proc`, plus `--user
 *   --map-current-user` when Sluice is not root). Process 1 is a tiny Perl init that reaps orphans and
 *   reports how the command ended. When the command ends, the init exits and the kernel kills every
 *   process left in the namespace — `setsid`, double-forked, `nohup` and environment-scrubbed daemons
 *   alike; no process can leave a PID namespace. The outer `unshare` dies with Sluice (parent-death
 *   signal), and the init with it, so a `kill -9` of Sluice takes the namespace down too. The
 *   namespace has its own /proc, so `ps`, `pgrep` and pidfiles inside it agree with each other.
 *   Contained commands (gates, bench runs, agent turns) are started by one long-lived spawner
 *   (spawner/), process 1 of a namespace made with that same prefix once per Sluice process: it creates
 *   each command's PID namespace nested inside its own, with the same init behaviour, and with Sluice dies
 *   every namespace nested in it. The per-command prefix is the fallback where the spawner cannot work.
 *   The price: each contained command has a pid space of its own, so a pid written by one (a service's
 *   pidfile) means nothing to another (a gate) or to the machine; a service's `stop` command is therefore
 *   run inside the service's namespace (nsenter). Without root, files of other users show as `nobody`
 *   and setuid programs (sudo) do not work inside the user namespace.
 * - `process-group` (best effort): the command runs in its own process group; when it ends, Sluice
 *   kills the group, every descendant it saw in /proc while their parents lived (sampled while the
 *   command runs, `setsid` ones included), and, in a final sweep of /proc, every process that carries
 *   the spawn's marker in its environment. A daemon that scrubbed its environment (`env -i`) and was
 *   reparented between two samples escapes it, and nothing is killed when Sluice dies with -9.
 *
 * `SLUICE_CONTAINMENT=process-group` forces the fallback (tests, machines where namespaces misbehave);
 * `SLUICE_CONTAINMENT=pid-namespace` demands the namespace and fails loudly where it is unavailable.
 * Anything else (or unset) picks the strongest mechanism that works, probed once per Sluice process.
 */
export const containmentEnvVar = 'SLUICE_CONTAINMENT';

/** The per-spawn environment marker the process-group fallback sweeps /proc for. */
export const containmentMarkerVar = 'SLUICE_CONTAINMENT_ID';

export type ContainmentMechanism = 'pid-namespace' | 'process-group';

/** What protects the judge from processes an agent or a gate leaves behind, for the evidence. */
export interface ContainmentDescription {
  mechanism: ContainmentMechanism;
  kernelEnforced: boolean;
  note: string;
}

/** How contained commands are started on this machine. */
export type ContainmentPlan =
  | {
      mechanism: 'pid-namespace';
      prefix: string[];
      /**
       * Starts the long-lived contained spawner (spawner/): the same namespace prefix up to `perl -e`, the
       * script to follow; in a user namespace with --keep-caps, so it can create the commands' namespaces.
       */
      spawnerPrefix: string[];
      enterPrefix: (initPid: number, cwd: string) => string[];
      note: string;
    }
  | { mechanism: 'process-group'; note: string };

export class ContainmentUnavailableError extends Error {
  readonly code = 'CONTAINMENT_UNAVAILABLE';
  constructor(reason: string) {
    super(`${containmentEnvVar}=pid-namespace, but a PID namespace cannot be used here: ${reason}`);
    this.name = 'ContainmentUnavailableError';
  }
}

/**
 * Process 1 of the namespace. It runs the command as its child (so the command is an ordinary process:
 * SIGTERM reaches it, it can signal itself), reaps orphans, and writes on fd 3 how the command ended —
 * `exit N`, `signal N` or `spawn-failed <errno number>` — because process 1 cannot die by a signal to pass that on.
 * `once`: exit as soon as the command does (the kernel then kills the rest); `linger`: stay while
 * anything in the namespace runs (a service whose `run` starts a daemon and exits, and its `stop` command).
 */
/** The first line of the init: it is in the init's command line, so /proc tells a contained process's init. */
export const containmentInitMarker = 'my $mode = shift @ARGV; # sluice containment init';

const initScript = [
  // Plain Perl only: `use POSIX` or `%!` (Errno) would add tens of milliseconds to every spawn.
  containmentInitMarker,
  "open(my $report, '>&=', 3) or exit 125;",
  // F_SETFD, FD_CLOEXEC: the command must not inherit the report pipe.
  'fcntl($report, 2, 1); select((select($report), $| = 1)[0]);',
  'my $child = fork();',
  'if (!defined $child) { print $report "spawn-failed " . ($! + 0) . "\\n"; exit 127 }',
  'if ($child == 0) { exec { $ARGV[0] } @ARGV; print $report "spawn-failed " . ($! + 0) . "\\n"; exit 127 }',
  'my $status = 0;',
  'while (1) { my $pid = waitpid(-1, 0);',
  // ECHILD (10 on every Linux): no child is left. Lingering, the namespace also stays while a process that
  // entered it from outside runs (a service's `stop` command, through nsenter): it is no child of ours, but
  // kill(-1, 0) from process 1 reaches every other process of the namespace, and when process 1 exits the
  // kernel kills them all — the stop command with them, half-way.
  '  if ($pid == -1) { next unless $! + 0 == 10;',
  "    last unless $mode eq 'linger' && kill(0, -1);",
  '    select(undef, undef, undef, 0.05); next }',
  '  next unless $pid == $child; $status = $?;',
  '  print $report (($status & 127) ? "signal " . ($status & 127) : "exit " . ($status >> 8)), "\\n";',
  "  last if $mode eq 'once' }",
  'exit(($status & 127) ? 128 + ($status & 127) : $status >> 8);',
].join('\n');

let cachedPlan: ContainmentPlan | undefined;

/** The mechanism contained commands use here; probed on first use, then cached for this process. */
export function containmentPlan(): ContainmentPlan {
  cachedPlan ??= choosePlan(process.env[containmentEnvVar]);
  return cachedPlan;
}

/** The mechanism as the evidence states it. */
export function describeContainment(): ContainmentDescription {
  const plan = containmentPlan();
  return { mechanism: plan.mechanism, kernelEnforced: plan.mechanism === 'pid-namespace', note: plan.note };
}

/** The argv that runs `file args` contained: `once` ends the namespace with the command, `linger` with its last process. */
export function namespacedArgv(
  plan: Extract<ContainmentPlan, { mechanism: 'pid-namespace' }>,
  mode: 'once' | 'linger',
  file: string,
  args: string[],
): { file: string; args: string[] } {
  const [wrapper = 'setpriv', ...rest] = plan.prefix;
  return { file: wrapper, args: [...rest, mode, file, ...args] };
}

/** How the contained command ended, as the init reported it on fd 3 (the first such line wins). */
export type ReportedEnd =
  | { status: 'exited'; exitCode: number }
  | { status: 'signalled'; signal: NodeJS.Signals }
  | { status: 'spawn-failed'; code: string };

export function parseInitReport(text: string): ReportedEnd | undefined {
  for (const line of text.split('\n')) {
    const [kind, value = ''] = line.trim().split(' ');
    if (kind === 'exit') return { status: 'exited', exitCode: Number(value) };
    if (kind === 'signal') return { status: 'signalled', signal: signalName(Number(value)) };
    if (kind === 'spawn-failed') return { status: 'spawn-failed', code: errnoName(Number(value)) };
  }
  return undefined;
}

function errnoName(number: number): string {
  return Object.entries(osConstants.errno).find(([, value]) => value === number)?.[0] ?? `errno ${number}`;
}

function signalName(number: number): NodeJS.Signals {
  const found = Object.entries(osConstants.signals).find(([, value]) => value === number);
  return (found?.[0] ?? 'SIGKILL') as NodeJS.Signals;
}

function choosePlan(forced: string | undefined): ContainmentPlan {
  if (forced === 'process-group') {
    return { mechanism: 'process-group', note: `${fallbackNote} (forced by ${containmentEnvVar}=process-group)` };
  }
  const probed = probeNamespace();
  if (probed.ok) return probed.plan;
  if (forced === 'pid-namespace') throw new ContainmentUnavailableError(probed.reason);
  return { mechanism: 'process-group', note: `${fallbackNote} (no PID namespace: ${probed.reason})` };
}

const fallbackNote =
  'process group, descendants sampled from /proc and a final sweep for the spawn marker; an environment-scrubbed ' +
  'daemon reparented between samples can escape, and nothing is killed if Sluice dies with -9';

function probeNamespace(): { ok: true; plan: ContainmentPlan } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `${process.platform} has no PID namespaces` };
  const [setpriv, unshare, nsenter, perl] = ['setpriv', 'unshare', 'nsenter', 'perl'].map(findExecutable);
  if (!setpriv || !unshare || !nsenter || !perl) {
    return { ok: false, reason: 'setpriv, unshare, nsenter (util-linux) and perl are needed' };
  }
  // Root creates the namespace directly; anyone else needs a user namespace that maps them to themselves.
  const userFlags =
    process.getuid?.() === 0 ? [[], ['--user', '--map-current-user']] : [['--user', '--map-current-user']];
  let reason = 'unshare failed';
  for (const flags of userFlags) {
    const launcher = [
      setpriv,
      '--pdeathsig',
      'KILL',
      unshare,
      ...flags,
      '--pid',
      '--fork',
      '--kill-child',
      '--mount-proc',
    ];
    const prefix = [...launcher, '--', perl, '-e', initScript, '--'];
    // The command must be process 2 under our init and see the namespace's own /proc (its /proc/self/stat
    // starts with 2), and the init must report how it ended.
    const probe = spawnSync(prefix[0] ?? setpriv, [...prefix.slice(1), 'once', '/bin/cat', '/proc/self/stat'], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      timeout: 5000,
      encoding: 'utf8',
    });
    const [stdout = '', report = ''] = [probe.output?.[1] ?? '', probe.output?.[3] ?? ''].map(String);
    const reported = parseInitReport(report);
    if (
      probe.status === 0 &&
      stdout.startsWith('2 (cat)') &&
      reported?.status === 'exited' &&
      reported.exitCode === 0
    ) {
      const enterFlags = flags.length > 0 ? ['--user', '--preserve-credentials'] : [];
      return {
        ok: true,
        plan: {
          mechanism: 'pid-namespace',
          prefix,
          spawnerPrefix: [...launcher, ...(flags.length > 0 ? ['--keep-caps'] : []), '--', perl, '-e'],
          // Entering a mount namespace resets the working directory: name it again.
          enterPrefix: (initPid, cwd) => [
            nsenter,
            '--target',
            String(initPid),
            ...enterFlags,
            '--pid',
            '--mount',
            `--wd=${cwd}`,
            '--',
          ],
          note:
            'PID namespace per command (unshare --pid --mount-proc' +
            (flags.length > 0 ? ' in a user namespace' : '') +
            '), killed by the kernel when the command ends and with Sluice (parent-death signal)',
        },
      };
    }
    reason = (probe.error?.message ?? String(probe.stderr ?? '').trim()) || `probe exited with ${probe.status}`;
  }
  return { ok: false, reason };
}

function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
