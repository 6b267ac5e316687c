import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';

/**
 * CPU time of a bench run: the command runs under a small Perl parent that becomes a child
 * subreaper (so work handed to a double-forked or `setsid` helper still reaches it), reaps every
 * process that ends while the command runs, and then writes getrusage(RUSAGE_CHILDREN) — user and
 * system time, in microseconds, of the command and everything it and the parent waited for — to a
 * file. The run's exit status or signal is passed on unchanged.
 *
 * The file's path is no secret (argv), and a helper left running could write it after the parent
 * did; so the parent reads a one-time token from its stdin (never seen by the command, whose stdin is
 * /dev/null) and signs its figures with it: a file without the token is no measurement. Processes still running when the
 * command ends are not counted: containment kills them, and the measured work did not wait for them.
 *
 * Perl has no getrusage or prctl without modules that may be missing, so they are raw system calls,
 * whose numbers depend on the architecture; elsewhere `times` (clock ticks, ~10 ms steps) stands in.
 */
const syscallNumbers: Partial<Record<NodeJS.Architecture, { getrusage: number; prctl: number }>> = {
  x64: { getrusage: 98, prctl: 157 },
  arm64: { getrusage: 165, prctl: 167 },
};

const wrapperScript = [
  'my ($file, $getrusage, $prctl, @command) = @ARGV;',
  'my $token = <STDIN>; chomp $token; open(STDIN, "<", "/dev/null");',
  // PR_SET_CHILD_SUBREAPER (36): orphans of the command are reparented to us, and reaped (counted) by us.
  'syscall($prctl + 0, 36, 1, 0, 0, 0) if $prctl > 0;',
  'my $child = fork();',
  'die "fork: $!\\n" unless defined $child;',
  'if ($child == 0) { exec { $command[0] } @command; print STDERR "exec $command[0]: $!\\n"; exit 127 }',
  'my $status = 0;',
  'while (1) { my $pid = waitpid(-1, 0); last if $pid == -1; if ($pid == $child) { $status = $?; last } }',
  // Helpers that already ended count too (WNOHANG = 1).
  'while (waitpid(-1, 1) > 0) {}',
  'my ($user, $system);',
  'if ($getrusage > 0) { my $usage = "\\0" x 256; if (syscall($getrusage + 0, -1, $usage) == 0) {',
  '  my ($us, $uu, $ss, $su) = unpack("q4", $usage); ($user, $system) = ($us * 1e6 + $uu, $ss * 1e6 + $su) } }',
  'if (!defined $user) { my @t = times; ($user, $system) = ($t[2] * 1e6, $t[3] * 1e6) }',
  'if (open(my $out, ">", $file)) { print $out "cpu_us $token $user $system\\n"; close $out }',
  'if ($status & 127) { $SIG{$_} = "DEFAULT" for keys %SIG; kill($status & 127, $$); sleep 1 }',
  'exit($status >> 8);',
].join('\n');

/** How to run `sh -c command` under the CPU-time parent: argv, the token to give on stdin, and where it writes. */
export interface CpuTimedCommand {
  command: { file: string; args: string[] };
  input: string;
  token: string;
  cpuFile: string;
}

export function cpuTimedCommand(command: string, cpuFile: string): CpuTimedCommand {
  const numbers = syscallNumbers[process.arch];
  const token = randomBytes(16).toString('hex');
  const argv = {
    file: 'perl',
    args: [
      '-e',
      wrapperScript,
      cpuFile,
      String(numbers?.getrusage ?? 0),
      String(numbers?.prctl ?? 0),
      '/bin/sh',
      '-c',
      command,
    ],
  };
  return { command: argv, input: `${token}\n`, token, cpuFile };
}

/** The run's CPU time in milliseconds (user + system), or why there is none; the file is removed. */
export async function readCpuTime(
  timed: Pick<CpuTimedCommand, 'cpuFile' | 'token'>,
): Promise<{ ok: true; ms: number } | { ok: false; problem: string }> {
  const text = await readFile(timed.cpuFile, 'utf8').catch(() => undefined);
  await rm(timed.cpuFile, { force: true });
  if (text === undefined)
    return { ok: false, problem: 'the CPU time of the run was not recorded (is perl installed?)' };
  const match = /^cpu_us (\S+) (\d+(?:\.\d+)?(?:e\+?\d+)?) (\d+(?:\.\d+)?(?:e\+?\d+)?)\n$/.exec(text);
  if (!match || match[1] !== timed.token) {
    return { ok: false, problem: 'the CPU time record of the run was overwritten (by a process the run left behind?)' };
  }
  return { ok: true, ms: (Number(match[2]) + Number(match[3])) / 1000 };
}
